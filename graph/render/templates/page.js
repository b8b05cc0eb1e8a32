// The reporters' network page. Data comes from <script id="ng-data">; every string from it reaches the
// DOM through textContent, text nodes or property assignment, so markup in a headline stays text.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("ng-data").textContent);
  const panels = data.panels;
  const limits = data.limits;
  const ng = (window.newsgraph = {firstDrawAt: null, stableAt: null});

  // -- the model: entities, items (events, articles, projects) and the links between entities ------
  const byId = {};
  const adj = {};
  data.entities.forEach((e) => { e.kind = "entity"; byId[e.id] = e; adj[e.id] = []; });
  data.items.forEach((i) => { i.kind = "item"; byId[i.id] = i; });
  data.links.forEach((l, n) => {
    l.id = "l" + n;
    adj[l.a].push({other: l.b, link: l});
    adj[l.b].push({other: l.a, link: l});
  });
  Object.keys(adj).forEach((id) => adj[id].sort((p, q) => q.link.w - p.link.w || cmp(p.other, q.other)));
  const itemsOf = {};
  data.items.forEach((i) => i.entities.forEach((e) => (itemsOf[e] = itemsOf[e] || []).push(i.id)));
  const communities = {};
  data.communities.forEach((c) => (communities[c.index] = c));

  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  // -- state ---------------------------------------------------------------------------------------
  const pos = {};  // where each node is or was drawn; entities drawn by default come placed
  data.entities.forEach((e) => { if (e.x !== null) { pos[e.id] = {x: e.x, y: e.y}; } });
  let ego = null;  // {center, depth, members: Set}
  let labelled = new Set();

  const nodes = new vis.DataSet([]);
  const edges = new vis.DataSet([]);
  const container = document.getElementById("ng-network");
  const network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  const panel = document.getElementById("ng-panel");
  Object.assign(ng, {network: network, nodes: nodes, edges: edges, data: data});
  ng.visibleCount = () => nodes.length;

  const since = document.getElementById("ng-since");
  const until = document.getElementById("ng-until");
  const status = document.getElementById("ng-status");
  const typeBoxes = Array.from(document.querySelectorAll("input.ng-type"));
  function typeOn(type) { return typeBoxes.some((b) => b.value === type && b.checked); }
  function inWindow(day) {
    return Boolean(day) && (!since.value || day >= since.value) && (!until.value || day <= until.value);
  }
  function windowed() { return Boolean(since.value || until.value); }
  function activeInWindow(e) { return e.days.some(inWindow); }

  // -- what is drawn -------------------------------------------------------------------------------
  function egoMembers(center, depth) {
    const members = new Set([center]);
    const node = byId[center];
    let frontier = [center];
    if (node.kind === "item") {
      node.entities.forEach((e) => members.add(e));
      frontier = node.entities.slice();
      depth -= 1;
    }
    for (let d = 0; d < depth; d++) {
      const next = [];
      frontier.forEach((id) => {
        (adj[id] || []).slice(0, limits.egoNeighbours).forEach((p) => {
          if (!members.has(p.other) && members.size < limits.ego) { members.add(p.other); next.push(p.other); }
        });
      });
      frontier = next;
    }
    return members;
  }

  // Events, articles and projects come back as nodes for a selection, or for a window small enough.
  const itemNotes = [];
  function wantedItems() {
    itemNotes.length = 0;
    const types = ["event", "article", "project"].filter(typeOn);
    if (!types.length) { return []; }
    let pool;
    if (ego) {
      const seen = new Set();
      pool = [];
      ego.members.forEach((id) => (itemsOf[id] || []).forEach((i) => {
        if (!seen.has(i)) { seen.add(i); pool.push(byId[i]); }
      }));
      if (byId[ego.center].kind === "item" && !seen.has(ego.center)) { pool.push(byId[ego.center]); }
    } else if (windowed()) {
      pool = data.items.filter((i) => inWindow(i.date));
    } else {
      itemNotes.push("事件与报道：请选择一个人物或缩短时间范围");
      return [];
    }
    pool = pool.filter((i) => types.indexOf(i.type) >= 0 && (!windowed() || !i.date || inWindow(i.date)));
    if (pool.length > limits.items) {
      itemNotes.push("范围内有 " + pool.length + " 个事件与报道，显示最新的 " + limits.items + " 个");
      pool.sort((p, q) => cmp(q.date, p.date) || cmp(p.id, q.id));
      pool = pool.slice(0, limits.items);
    }
    return pool;
  }

  function wantedNodes() {
    const want = [];
    const seen = new Set();
    function add(id) { if (!seen.has(id) && want.length < limits.drawn) { seen.add(id); want.push(id); } }
    if (ego) { ego.members.forEach(add); }
    const items = wantedItems();
    items.forEach((i) => add(i.id));
    data.entities.forEach((e) => {
      if (e.x === null || !typeOn(e.type)) { return; }
      if (windowed() && !activeInWindow(e)) { return; }
      add(e.id);
    });
    return want;
  }

  const GOLDEN = Math.PI * (3 - Math.sqrt(5));
  const placedAround = {};
  function place(id) {
    if (pos[id]) { return; }
    const node = byId[id];
    const around = node.kind === "item" ? node.entities : (adj[id] || []).map((p) => p.other);
    let anchor = around.find((a) => pos[a] && nodes.get(a));
    if (anchor === undefined && ego && pos[ego.center]) { anchor = ego.center; }
    const centre = anchor !== undefined ? pos[anchor] : network.getViewPosition();
    const k = (placedAround[anchor] = (placedAround[anchor] || 0) + 1);
    const radius = 70 + 22 * Math.sqrt(k);
    pos[id] = {x: centre.x + radius * Math.cos(k * GOLDEN), y: centre.y + radius * Math.sin(k * GOLDEN)};
  }

  const SHAPES = data.shapes;
  function visNode(id) {
    const n = byId[id];
    const dim = ego !== null && !ego.members.has(id) && !(n.kind === "item" && ego.members.has(ego.center) &&
      n.entities.some((e) => ego.members.has(e)));
    let colour = n.kind === "item" ? data.typeColours[n.type] : (communities[n.c] || {}).colour || data.otherColour;
    if (dim) { colour = "#e4e4e4"; }
    const out = {
      id: id, x: pos[id].x, y: pos[id].y, shape: SHAPES[n.type], size: n.size,
      label: labelled.has(id) ? short(n.label) : "",
      title: n.label,
      color: {background: colour, border: dim ? "#d0d0d0" : colour,
        highlight: {background: "#ffd54f", border: "#333333"}, hover: {background: colour, border: "#333333"}},
      font: {color: dim ? "#b0b0b0" : "#222222", size: fontSize(n)},
    };
    return out;
  }
  // Canvas units: a bigger node gets a bigger label, so that at any zoom the important names read first.
  function fontSize(n) { return Math.round(data.options.nodes.font.size + n.size * 1.2); }
  function short(label) { return label.length > limits.label ? label.slice(0, limits.label - 1) + "…" : label; }

  function wantedEdges(present) {
    const out = [];
    data.links.forEach((l) => {
      if (present.has(l.a) && present.has(l.b)) {
        const lit = ego === null || (ego.members.has(l.a) && ego.members.has(l.b));
        out.push({id: l.id, from: l.a, to: l.b, width: Math.min(1 + Math.log2(1 + l.w) / 2, 5),
          color: {color: lit ? (ego ? "#7f8a99" : "#c9d0d9") : "#f0f0f0", highlight: "#d62728", hover: "#555555"}});
      }
    });
    present.forEach((id) => {
      const n = byId[id];
      if (n.kind !== "item") { return; }
      n.entities.forEach((e) => {
        if (present.has(e)) {
          out.push({id: "i" + id + "-" + e, from: e, to: id, dashes: true, width: 1,
            color: {color: "#b9a6b6", highlight: "#d62728", hover: "#555555"}});
        }
      });
    });
    return out;
  }

  function redraw() {
    const want = wantedNodes();
    want.forEach(place);
    const present = new Set(want);
    labelled = chooseLabels(want);
    const stale = nodes.getIds().filter((id) => !present.has(id));
    nodes.remove(stale);
    nodes.update(want.map(visNode));
    const edgeList = wantedEdges(present);
    const keep = new Set(edgeList.map((e) => e.id));
    edges.remove(edges.getIds().filter((id) => !keep.has(id)));
    edges.update(edgeList);
    const parts = ["显示 " + nodes.length + " 个节点，共 " + data.entities.length + " 个人物、机构与地点"];
    status.textContent = parts.concat(itemNotes).join("；");
    markTimeline();
  }
  ng.redraw = redraw;

  // -- labels: the largest nodes first, none overlapping another at the current zoom ---------------
  function egoRank(id) {
    if (!ego) { return 0; }
    return id === ego.center ? 0 : ego.members.has(id) ? 1 : 2;
  }
  function chooseLabels(ids) {
    const scale = network.getScale();
    const chosen = new Set();
    const width = container.clientWidth, height = container.clientHeight;
    const boxes = [];
    const order = ids.slice().sort((p, q) => {
      const a = byId[p], b = byId[q];
      return egoRank(p) - egoRank(q) || b.size - a.size || cmp(p, q);
    });
    order.forEach((id) => {
      if (ego && !ego.members.has(id) && byId[id].kind === "entity") { return; }
      // the selected node is always named, however small it is at this zoom
      const font = Math.max(fontSize(byId[id]) * scale, ego && id === ego.center ? limits.labelPx : 0);
      if (font < limits.labelPx) { return; }
      const at = network.canvasToDOM(pos[id]);
      const text = short(byId[id].label);
      let w = 0;
      for (const ch of text) { w += ch.charCodeAt(0) > 0x2e7f ? font : font * 0.62; }
      const h = font * 1.35;
      const top = at.y + byId[id].size * scale + 1;
      const box = {l: at.x - w / 2 - 3, r: at.x + w / 2 + 3, t: top - 2, b: top + h + 2};
      if (box.r < 0 || box.l > width || box.b < 0 || box.t > height) { return; }
      if (boxes.some((o) => box.l < o.r && o.l < box.r && box.t < o.b && o.t < box.b)) { return; }
      boxes.push(box);
      chosen.add(id);
    });
    return chosen;
  }
  function relabel() {
    const ids = nodes.getIds();
    const next = chooseLabels(ids);
    const changed = ids.filter((id) => next.has(id) !== labelled.has(id));
    labelled = next;
    nodes.update(changed.map((id) => ({id: id, label: next.has(id) ? short(byId[id].label) : ""})));
  }
  let relabelTimer = null;
  function relabelSoon() { clearTimeout(relabelTimer); relabelTimer = setTimeout(relabel, 120); }
  network.on("zoom", relabelSoon);
  network.on("dragEnd", (params) => {
    params.nodes.forEach((id) => { pos[id] = network.getPositions([id])[id]; });
    relabelSoon();
  });
  ng.labelled = () => Array.from(labelled);

  // -- panels --------------------------------------------------------------------------------------
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }
  function link(id, text) {
    if (!id || !byId[id]) { return el("span", text); }
    const b = el("button", text, "ng-link");
    b.type = "button";
    b.addEventListener("click", () => select(id));
    return b;
  }
  function meta(parts) { return el("div", parts.filter((p) => p).join(" · "), "ng-meta"); }
  function list(title, items, render, cls) {
    if (!items || !items.length) { return; }
    panel.appendChild(el("h3", title));
    const ul = el("ul", null, cls);
    items.forEach((item) => { const li = el("li"); render(li, item); ul.appendChild(li); });
    panel.appendChild(ul);
  }
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  // Highlight the stated words (names, titles) inside a quote with <mark> elements built as DOM nodes.
  function marked(parent, text, terms) {
    const wanted = Array.from(new Set((terms || []).filter((t) => t && t.length >= 2 && text.indexOf(t) >= 0)));
    if (!wanted.length) { parent.textContent = text; return parent; }
    wanted.sort((a, b) => b.length - a.length || cmp(a, b));
    const re = new RegExp(wanted.map(escapeRe).join("|"), "g");
    let last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) { parent.appendChild(document.createTextNode(text.slice(last, m.index))); }
      parent.appendChild(el("mark", m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
    return parent;
  }
  function quote(parent, text, terms) { parent.appendChild(marked(el("blockquote"), text, terms)); }
  function evidence(items, terms) {
    list("原文证据", items, (li, ev) => { quote(li, ev.quote, terms); li.appendChild(meta([ev.date, ev.headline])); });
  }
  function terms(p) {
    const t = [p.label];
    p.facts.forEach((f) => { if (data.nameKeys.indexOf(f[0]) >= 0) { t.push(f[1]); } });
    p.titles.forEach((x) => t.push(x.title, x.person, x.org));
    return t;
  }

  function showPanel(id) {
    const p = panels[id];
    const n = byId[id];
    if (!p || !n) { return; }
    const words = terms(p);
    clear(panel);
    panel.appendChild(el("h2", p.label));
    const community = n.kind === "entity" && communities[n.c] ? "社群：" + communities[n.c].name : "";
    panel.appendChild(meta([p.typeLabel, n.kind === "entity" ? "提及 " + n.m : n.date, community]));
    if (p.note) { panel.appendChild(el("div", p.note, "ng-note")); }
    if (p.facts.length) {
      const dl = el("dl");
      p.facts.forEach((f) => { dl.appendChild(el("dt", f[0])); dl.appendChild(el("dd", f[1])); });
      panel.appendChild(dl);
    }
    if (n.kind === "entity") {
      // One timeline of what the articles state: posts and events, newest first.
      const rows = p.titles.map((t) => ({date: t.date, post: t}))
        .concat(p.events.map((e) => ({date: e.date, event: e})));
      rows.sort((a, b) => cmp(b.date || "", a.date || ""));
      list("时间线", rows, (li, row) => {
        li.appendChild(el("span", row.date || "日期不详", "ng-when"));
        if (row.post) {
          const t = row.post;
          li.appendChild(el("strong", t.title));
          if (p.type === "person" && t.org) { li.appendChild(el("span", " @ ")); li.appendChild(link(t.orgId, t.org)); }
          if (p.type !== "person") { li.appendChild(el("span", " — ")); li.appendChild(link(t.personId, t.person)); }
          li.appendChild(meta([t.headline]));
          t.quotes.forEach((q) => quote(li, q, [t.person, t.title, t.org]));
        } else {
          const e = row.event;
          li.appendChild(el("strong", e.role + " "));
          li.appendChild(link(e.id, e.name));
        }
      }, "ng-timeline-list");
    } else {
      list("职务", p.titles, (li, t) => {
        li.appendChild(el("strong", t.title));
        li.appendChild(el("span", " — "));
        li.appendChild(link(t.personId, t.person));
        li.appendChild(meta([t.date]));
      });
      list("涉及", n.entities, (li, e) => li.appendChild(link(e, byId[e].label)));
    }
    list("相关报道", p.articles, (li, a) => { li.appendChild(link(a.id, a.headline)); li.appendChild(meta([a.date, a.byline])); });
    evidence(p.evidence, words);
  }

  const KIND_TEXT = data.linkKinds;
  function showLink(l) {
    clear(panel);
    const h = el("h2");
    h.appendChild(link(l.a, byId[l.a].label));
    h.appendChild(el("span", " — "));
    h.appendChild(link(l.b, byId[l.b].label));
    panel.appendChild(h);
    panel.appendChild(el("div", l.kinds.map((k) => (KIND_TEXT[k[0]] || k[0]).replace("{n}", k[1])).join("；")));
    if (l.notes.length) { panel.appendChild(el("div", l.notes.join("、"))); }
    list("共同的活动与报道", l.items, (li, id) => {
      li.appendChild(link(id, byId[id] ? byId[id].label : id));
      li.appendChild(meta([byId[id] ? byId[id].date : ""]));
    });
    const words = l.notes.concat(terms(panels[l.a]), terms(panels[l.b]));
    evidence(l.evidence, words);
  }

  // -- selection: the ego view ---------------------------------------------------------------------
  const egoBar = document.getElementById("ng-ego");
  const egoLabel = document.getElementById("ng-ego-label");
  function select(id) {
    if (!byId[id]) { return; }
    ego = {center: id, depth: 1, members: egoMembers(id, 1)};
    redraw();
    showPanel(id);
    egoBar.hidden = false;
    egoLabel.textContent = "已选：" + byId[id].label + "（" + ego.members.size + " 个相连节点，1 跳）";
    network.selectNodes([id]);
    network.fit({nodes: Array.from(ego.members).filter((m) => nodes.get(m)), animation: false,
      maxZoomLevel: 1.5});
    relabel();
  }
  function widen() {
    if (!ego) { return; }
    ego.depth += 1;
    ego.members = egoMembers(ego.center, ego.depth);
    redraw();
    egoLabel.textContent = "已选：" + byId[ego.center].label + "（" + ego.members.size + " 个相连节点，" +
      ego.depth + " 跳）";
    network.selectNodes([ego.center]);
    network.fit({nodes: Array.from(ego.members).filter((m) => nodes.get(m)), animation: false});
    relabel();
  }
  function clearSelection() {
    ego = null;
    egoBar.hidden = true;
    network.unselectAll();
    redraw();
    network.fit({animation: false});
    relabel();
  }
  Object.assign(ng, {focusNode: select, select: select, widen: widen, clearSelection: clearSelection,
    egoMembers: () => (ego ? Array.from(ego.members) : [])});
  document.getElementById("ng-widen").addEventListener("click", widen);
  document.getElementById("ng-clear").addEventListener("click", clearSelection);

  network.on("click", (params) => {
    if (params.nodes.length) { select(params.nodes[0]); return; }
    if (params.edges.length) {
      const id = params.edges[0];
      const l = data.links[Number(id.slice(1))];
      if (id[0] === "l" && l) { showLink(l); }
      else if (id[0] === "i") { showPanel(edges.get(id).to); }
    }
  });

  // -- filters: node types, date range, timeline ---------------------------------------------------
  const allDays = data.items.map((i) => i.date).filter((d) => d).sort();
  if (allDays.length) {
    since.min = until.min = allDays[0];
    since.max = until.max = allDays[allDays.length - 1];
  } else {
    since.disabled = until.disabled = true;
  }
  function resetFilters() {
    since.value = "";
    until.value = "";
    typeBoxes.forEach((b) => { b.checked = b.defaultChecked; });
    redraw();
    relabel();
  }
  function filtersChanged() { redraw(); relabel(); }
  ng.applyFilters = filtersChanged;
  ng.resetFilters = resetFilters;
  typeBoxes.forEach((b) => b.addEventListener("change", filtersChanged));
  since.addEventListener("change", filtersChanged);
  until.addEventListener("change", filtersChanged);
  document.getElementById("ng-reset").addEventListener("click", resetFilters);

  const timeline = document.getElementById("ng-timeline");
  const bins = data.timeline.bins;
  const bars = [];
  if (bins.length) {
    const most = bins.reduce((m, bin) => Math.max(m, bin[3]), 1);
    const row = el("div");
    row.id = "ng-bars";
    bins.forEach((bin) => {
      const label = bin[0] + "：" + bin[3] + " 个事件";
      const bar = el(bin[3] ? "button" : "span", null, "ng-bar");
      bar.title = label;
      bar.setAttribute("aria-label", label);
      const fill = el("span", null, "ng-fill");
      fill.style.height = (bin[3] ? 4 + Math.round(22 * bin[3] / most) : 1) + "px";
      bar.appendChild(fill);
      if (bin[3]) {
        bar.type = "button";
        bar.setAttribute("data-since", bin[1]);
        bar.addEventListener("click", () => {
          const again = since.value === bin[1] && until.value === bin[2];
          since.value = again ? "" : bin[1];
          until.value = again ? "" : bin[2];
          filtersChanged();
        });
      }
      bars.push({el: bar, since: bin[1], until: bin[2]});
      row.appendChild(bar);
    });
    timeline.appendChild(el("span", "事件", "ng-meta"));
    timeline.appendChild(el("span", bins[0][0], "ng-meta"));
    timeline.appendChild(row);
    timeline.appendChild(el("span", bins[bins.length - 1][0], "ng-meta"));
  } else {
    timeline.hidden = true;
  }
  function markTimeline() {
    const a = since.value, b = until.value;
    bars.forEach((x) => x.el.classList.toggle("ng-on", Boolean(a || b) && (!a || x.since >= a) && (!b || x.until <= b)));
  }

  // -- the communities' legend: a click selects the community's most central member -----------------
  const legend = document.getElementById("ng-communities");
  data.communities.slice(0, limits.communities).forEach((c) => {
    const li = el("li");
    const b = el("button");
    b.type = "button";
    const swatch = el("span", null, "ng-swatch");
    swatch.style.background = c.colour;
    b.appendChild(swatch);
    b.appendChild(document.createTextNode(c.name + " (" + c.size + ")"));
    b.addEventListener("click", () => select(c.centre));
    li.appendChild(b);
    legend.appendChild(li);
  });

  // -- search: every entity, drawn or not, by Chinese, pinyin or initials; then events and articles --
  const index = data.entities.concat(data.items).map((n) => ({
    id: n.id, label: n.label, lower: n.label.toLowerCase(), py: n.py || "", ini: n.ini || "",
    rank: n.kind === "entity" ? 0 : 1, weight: n.m || 0, typeLabel: panels[n.id].typeLabel,
  }));
  const input = document.getElementById("ng-search");
  const results = document.getElementById("ng-results");
  function search(text) {
    const q = text.trim().toLowerCase();
    const qp = q.replace(/[\s'’]/g, "");
    if (!q) { return []; }
    const found = [];
    index.forEach((n) => {
      let score = -1;
      if (n.lower === q) { score = 0; }
      else if (qp && (n.py === qp || n.ini === qp)) { score = 1; }
      else if (n.lower.indexOf(q) === 0) { score = 2; }
      else if (n.lower.indexOf(q) > 0) { score = 3; }
      else if (qp && n.py.indexOf(qp) === 0) { score = 4; }
      else if (qp && n.ini.indexOf(qp) === 0) { score = 5; }
      else if (qp && n.py.indexOf(qp) > 0) { score = 6; }
      if (score >= 0) { found.push({n: n, score: score}); }
    });
    found.sort((a, b) => a.n.rank - b.n.rank || a.score - b.score || b.n.weight - a.n.weight || cmp(a.n.label, b.n.label));
    return found.slice(0, 20).map((f) => f.n);
  }
  ng.idOf = (label) => { const hit = index.find((n) => n.label === label); return hit ? hit.id : null; };
  function showResults() {
    clear(results);
    search(input.value).forEach((n) => {
      const li = el("li");
      const b = el("button", n.label + "（" + n.typeLabel + "）");
      b.type = "button";
      b.addEventListener("click", () => { clear(results); select(n.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
  }
  input.addEventListener("input", showResults);
  document.getElementById("ng-search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const hits = search(input.value);
    clear(results);
    if (hits.length) { select(hits[0].id); }
  });

  // -- first render: draw, fit, then label what has room ------------------------------------------
  network.once("afterDrawing", () => { ng.firstDrawAt = performance.now(); });
  redraw();
  network.fit({animation: false});
  relabel();
  network.once("afterDrawing", () => {
    ng.stableAt = performance.now();
    document.body.setAttribute("data-ready", "1");
    if (data.select) { select(data.select); }
  });
  network.redraw();
})();
