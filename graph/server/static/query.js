"use strict";
// The query page: YASQE (editor) and YASR (results) from the vendored YASGUI build, the library in a
// picker, and each query's `# Param:` lines as form fields. Values go to the endpoint as `$name`
// arguments, which the server binds as RDF terms exactly as `newsgraph query --param` does.
const settings = JSON.parse(document.getElementById("settings").textContent);
const { Yasqe, Yasr } = Yasgui;
const endpoint = new URL("sparql", document.baseURI).href;
const picker = document.getElementById("picker");
const form = document.getElementById("params");
const question = document.getElementById("question");
const message = document.getElementById("message");
const downloads = document.getElementById("downloads");
const share = document.getElementById("share");

const HEADER = /^#\s*(Question|Param|Example):\s*(.*)$/;
const PARAM = /^(\S+)\s+(\S+)(?:\s+(\S+))?(?:\s+(.*))?$/;

// The question and parameters of a query's leading comment, read as graph.rdf.query.parse_header does.
function header(text) {
  const found = { question: "", params: [] };
  for (const line of text.split("\n")) {
    const stripped = line.trim();
    if (!stripped) continue;
    if (!stripped.startsWith("#")) break;
    const match = HEADER.exec(stripped);
    if (!match) continue;
    if (match[1] === "Question") found.question = match[2].trim();
    const parts = match[1] === "Param" ? PARAM.exec(match[2].trim()) : null;
    if (!parts) continue;
    found.params.push({
      name: parts[1].replace(/\?$/, ""),
      type: parts[2],
      example: parts[3] || "",
      description: parts[4] || "",
      optional: parts[1].endsWith("?"),
    });
  }
  return found;
}

// The editor knows the graph's prefixes, so `schema:name` needs no PREFIX line, as at the endpoint.
Yasqe.defineMode("sparql11-newsgraph", (config) => {
  const base = Yasqe.getMode(config, "sparql11");
  return Object.assign({}, base, {
    startState() {
      const state = base.startState();
      Object.assign(state.prefixes, settings.prefixes);
      return state;
    },
  });
});

// Completion from this graph's own vocabulary; YASQE's defaults would ask prefix.cc and LOV online.
function completeFrom(iris) {
  return (yasqe, token) => {
    const typed = (token && token.autocompletionString) || "";
    return Promise.resolve(iris.filter((iri) => iri.startsWith(typed)));
  };
}
Yasqe.forkAutocompleter(
  "prefixes",
  {
    name: "graphPrefixes",
    persistenceId: null,
    get: () => Promise.resolve(Object.entries(settings.prefixes).map(([p, iri]) => p + ": <" + iri + ">")),
  },
  false,
);
Yasqe.forkAutocompleter("property", { name: "graphProperties", get: completeFrom(settings.properties) }, false);
Yasqe.forkAutocompleter("class", { name: "graphClasses", get: completeFrom(settings.classes) }, false);

function describeLink(iri) {
  return "describe?iri=" + encodeURIComponent(iri);
}

// The results table, with each IRI linking to the server's description of that resource.
class DescribedTable extends Yasr.plugins.table {
  getUriLinkFromBinding(binding, prefixes) {
    const holder = document.createElement("template");
    holder.innerHTML = super.getUriLinkFromBinding(binding, prefixes);
    const link = holder.content.querySelector("a");
    if (link) {
      link.setAttribute("href", describeLink(binding.value));
      link.setAttribute("target", "_blank");
      link.setAttribute("rel", "noopener");
    }
    return holder.innerHTML;
  }
}
Yasr.registerPlugin("table", DescribedTable);

function fieldValues() {
  const values = {};
  for (const input of form.querySelectorAll("input")) values[input.name] = input.value;
  return values;
}

// Rebuild the fields from the editor's header, keeping what was typed unless `fresh` asks for examples.
function showFields(text, fresh) {
  const kept = fresh ? {} : fieldValues();
  const found = header(text);
  question.textContent = found.question;
  form.replaceChildren();
  for (const param of found.params) {
    const label = document.createElement("label");
    const name = document.createElement("span");
    name.textContent = param.name + (param.optional ? " (optional)" : "");
    const input = document.createElement("input");
    input.name = param.name;
    input.value = param.name in kept ? kept[param.name] : param.example;
    input.placeholder = param.example;
    input.title = param.description;
    input.dataset.type = param.type;
    input.dataset.description = param.description;
    input.dataset.example = param.example;
    if (!param.optional) input.required = true;
    const hint = document.createElement("small");
    hint.textContent = param.type + (param.description ? " · " + param.description : "");
    label.append(name, input, hint);
    form.append(label);
  }
}

function parameterArguments() {
  return Object.entries(fieldValues())
    .filter(([, value]) => value.trim() !== "")
    .map(([name, value]) => ({ name: "$" + name, value }));
}

// The same words as the server's answer to a required parameter left empty.
function missingParameter() {
  for (const input of form.querySelectorAll("input[required]")) {
    if (input.value.trim()) continue;
    const wanted = input.dataset.description ? ": give " + input.dataset.description : "";
    const example = input.dataset.example ? ", e.g. " + input.name + "=" + input.dataset.example : "";
    return { input, text: "parameter '" + input.name + "' has no value" + wanted + example };
  }
  return null;
}

function stateParams(extra) {
  const params = new URLSearchParams({ query: yasqe.getValue() });
  for (const { name, value } of parameterArguments()) params.append(name, value);
  for (const [name, value] of Object.entries(extra || {})) params.append(name, value);
  return params;
}

// The query and its parameters live in the URL, so a link reproduces them.
function remember() {
  const search = "?" + stateParams().toString();
  history.replaceState(null, "", search);
  share.href = search;
  document.getElementById("csv").href = "sparql?" + stateParams({ format: "csv" }).toString();
  document.getElementById("json").href = "sparql?" + stateParams({ format: "json" }).toString();
}

function say(text) {
  message.textContent = text;
  message.hidden = !text;
}

const opened = new URLSearchParams(location.search);
const yasqe = new Yasqe(document.getElementById("editor"), {
  mode: "sparql11-newsgraph",
  value: opened.get("query") || settings.defaultQuery,
  persistenceId: null,
  autocompleters: ["graphPrefixes", "variables", "graphProperties", "graphClasses"],
  createShareableLink: null,
  resizeable: true,
  editorHeight: "320px",
  requestConfig: {
    endpoint,
    method: "POST",
    acceptHeaderSelect: "application/sparql-results+json",
    acceptHeaderGraph: "text/turtle",
    args: () => parameterArguments(),
  },
});
const yasr = new Yasr(document.getElementById("results"), {
  persistenceId: null,
  prefixes: settings.prefixes,
  pluginOrder: ["table", "response"],
  defaultPlugin: "table",
});

const send = yasqe.query.bind(yasqe);
yasqe.query = (config) => {
  for (const input of form.querySelectorAll("input")) input.removeAttribute("aria-invalid");
  const missing = missingParameter();
  if (missing) {
    missing.input.setAttribute("aria-invalid", "true");
    missing.input.focus();
    say(missing.text);
    return Promise.resolve();
  }
  say("");
  downloads.hidden = true;
  remember();
  return send(config);
};
yasqe.on("queryResponse", (instance, response, duration) => {
  yasr.setResponse(response, duration);
  downloads.hidden = !(response && response.ok);
});

showFields(yasqe.getValue(), false);
for (const [name, value] of opened) {
  const input = name.startsWith("$") ? form.querySelector("input[name='" + CSS.escape(name.slice(1)) + "']") : null;
  if (input) input.value = value;
}
yasqe.on("change", () => showFields(yasqe.getValue(), false));

function choose(name) {
  const chosen = settings.library.find((entry) => entry.name === name);
  if (!chosen) return;
  yasqe.setValue(chosen.query);
  showFields(chosen.query, true);
  say("");
}
picker.addEventListener("change", () => choose(picker.value));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  yasqe.query().catch(() => {});
});
form.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    yasqe.query().catch(() => {});
  }
});

const library = settings.library.find((entry) => entry.query === yasqe.getValue());
if (library) picker.value = library.name;
say("");
if (opened.has("query")) yasqe.query().catch(() => {});
else remember();
