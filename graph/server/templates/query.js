"use strict";
const library = JSON.parse(document.getElementById("library").textContent);
const picker = document.getElementById("picker");
const editor = document.getElementById("query");
const statusLine = document.getElementById("status");
const output = document.getElementById("output");
picker.addEventListener("change", () => {
  const chosen = library[Number(picker.value)];
  if (chosen) editor.value = chosen.query;
});
function term(cell) {
  if (!cell) return "";
  if (cell.type === "bnode") return "_:" + cell.value;
  if (cell.type === "triple") return "<< " + JSON.stringify(cell.value) + " >>";
  return cell["xml:lang"] ? cell.value + " @" + cell["xml:lang"] : cell.value;
}
function el(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}
function show(type, text) {
  output.replaceChildren();
  if (!type.startsWith("application/sparql-results+json")) {
    output.append(el("pre", text));
    return;
  }
  const data = JSON.parse(text);
  if ("boolean" in data) {
    output.append(el("p", "ASK: " + data.boolean));
    statusLine.textContent += " · " + data.boolean;
    return;
  }
  const table = el("table");
  const head = el("tr");
  for (const name of data.head.vars) head.append(el("th", "?" + name));
  table.append(head);
  for (const row of data.results.bindings) {
    const tr = el("tr");
    for (const name of data.head.vars) tr.append(el("td", term(row[name])));
    table.append(tr);
  }
  output.append(table);
  statusLine.textContent += " · " + data.results.bindings.length + " rows";
}
document.getElementById("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  statusLine.textContent = "running…";
  output.replaceChildren();
  const started = performance.now();
  try {
    const response = await fetch("sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: editor.value,
    });
    const text = await response.text();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    statusLine.textContent = response.status + " " + response.statusText + " · " + seconds + " s";
    if (!response.ok) {
      output.append(el("pre", text));
      output.lastChild.className = "error";
      return;
    }
    show(response.headers.get("Content-Type") || "", text);
  } catch (error) {
    statusLine.textContent = "request failed: " + error;
  }
});
