// nevcalc serve: the page. Plain JavaScript; figures are SVG drawn here; nothing is fetched
// but this server's /api/ (the JSON of the command line's --json).
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const W = 760;

// ---- small helpers ------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function sv(tag, attrs = {}, text) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

function fmt(v, digits = 3) {
  if (v === null || v === undefined || !isFinite(v)) return "–";
  const a = Math.abs(v);
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  if (a >= 1000) return Math.round(v).toLocaleString("en-US");
  if (a === 0) return "0";
  const d = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
  return v.toFixed(Math.min(d, 3));
}

function val(q) { return q && typeof q === "object" ? q.value : q; }

function niceStep(span, n) {
  const raw = span / Math.max(1, n);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

function linearTicks(lo, hi, n = 6) {
  const step = niceStep(hi - lo, n);
  const out = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
    out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  }
  return out;
}

function logTicks(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const t = m * Math.pow(10, e);
      if (t >= lo * 0.999 && t <= hi * 1.001) out.push(t);
    }
  }
  return out;
}

const PALETTE = ["#1f5fa8", "#d9622b", "#2e9e5b", "#8e44ad", "#c0392b", "#7f6a00", "#16a3b5"];

// ---- the chart: axes with units, ticks, a legend below the plot (it hides no data) -------

function chart(svg, box, opts) {
  // box: {x, y, w, h} inside svg; opts: {x: {lo, hi, label, log}, y: {...}, y2: {...},
  // legend: [{label, color, kind: "fill"|"line"|"dash"|"dot"|"square"|"diamond"}], title}
  const legend = opts.legend || [];
  const g = sv("g", { class: "chart" });
  svg.append(g);
  // lay the legend out first (rows below the x-axis label), to know the plot's height
  const items = [];
  let lx = 0, rows = legend.length ? 1 : 0;
  const room = box.w - 70;
  for (const item of legend) {
    const wItem = 26 + 6.6 * item.label.length + 18;
    if (lx > 0 && lx + wItem > room) { rows += 1; lx = 0; }
    items.push({ ...item, dx: lx, row: rows - 1 });
    lx += wItem;
  }
  const top = box.y + (opts.title ? 26 : 10);
  const left = box.x + 66;
  const right = box.x + box.w - (opts.y2 ? 66 : 18);
  const bottom = box.y + box.h - 46 - rows * 20;
  const pw = right - left, ph = bottom - top;
  const scale = (ax, a, b) => ax.log
    ? (v) => a + (Math.log(v) - Math.log(ax.lo)) / (Math.log(ax.hi) - Math.log(ax.lo)) * (b - a)
    : (v) => a + (v - ax.lo) / (ax.hi - ax.lo) * (b - a);
  const X = scale(opts.x, left, right);
  const Y = scale(opts.y, bottom, top);
  const Y2 = opts.y2 ? scale(opts.y2, bottom, top) : null;
  // titles from the specs write temperatures as typed (-20 degC): shown as people write them
  if (opts.title) opts.title = opts.title.replace(/(\d)\s*degC\b/g, "$1 °C");
  if (opts.title) { // cut to the width of the plot (about 8.5 px a character, bold 14 px)
    const room = Math.floor((box.x + box.w - left) / 8.5);
    const text = opts.title.length > room ? `${opts.title.slice(0, room - 1)}…` : opts.title;
    const t = sv("text", { x: left, y: box.y + 16, "font-size": 14, "font-weight": 600,
      fill: "#1d2330" }, text);
    t.append(sv("title", {}, opts.title));
    g.append(t);
  }
  // grid and ticks
  const ticks = (ax) => (ax.ticks || (ax.log ? logTicks(ax.lo, ax.hi) : linearTicks(ax.lo, ax.hi)));
  const tickText = (ax, t) => {
    if (ax.format) return ax.format(t);
    if (ax.log) return String(+t.toPrecision(3));
    // as many decimals as the step between ticks needs: 0, 20, 40 (not 20.0)
    const step = niceStep(ax.hi - ax.lo, 6);
    const dec = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return Math.abs(t) >= 1000 ? Math.round(t).toLocaleString("en-US") : t.toFixed(dec);
  };
  for (const t of ticks(opts.y)) {
    g.append(sv("line", { x1: left, x2: right, y1: Y(t), y2: Y(t), stroke: "#e6e9ee" }));
    g.append(sv("text", { x: left - 7, y: Y(t) + 4, "text-anchor": "end", "font-size": 12,
      fill: "#333" }, tickText(opts.y, t)));
  }
  for (const t of ticks(opts.x)) {
    g.append(sv("line", { x1: X(t), x2: X(t), y1: bottom, y2: bottom + 5, stroke: "#555" }));
    g.append(sv("text", { x: X(t), y: bottom + 18, "text-anchor": "middle", "font-size": 12,
      fill: "#333" }, tickText(opts.x, t)));
  }
  if (opts.y2) {
    for (const t of ticks(opts.y2)) {
      g.append(sv("line", { x1: right, x2: right + 5, y1: Y2(t), y2: Y2(t), stroke: "#555" }));
      g.append(sv("text", { x: right + 8, y: Y2(t) + 4, "font-size": 12, fill: opts.y2.color ||
        "#333" }, tickText(opts.y2, t)));
    }
  }
  const plot = sv("g", { class: "plot" });
  g.append(plot);
  // axes on top of the data
  const axes = sv("g", { class: "axes" });
  axes.append(sv("line", { x1: left, x2: right, y1: bottom, y2: bottom, stroke: "#555" }));
  axes.append(sv("line", { x1: left, x2: left, y1: top, y2: bottom, stroke: "#555" }));
  if (opts.y2) axes.append(sv("line", { x1: right, x2: right, y1: top, y2: bottom, stroke: "#555" }));
  axes.append(sv("text", { x: (left + right) / 2, y: bottom + 36, "text-anchor": "middle",
    "font-size": 13, fill: "#1d2330" }, opts.x.label));
  axes.append(sv("text", { x: 0, y: 0, "text-anchor": "middle", "font-size": 13, fill: "#1d2330",
    transform: `translate(${box.x + 16},${(top + bottom) / 2}) rotate(-90)` }, opts.y.label));
  if (opts.y2) {
    axes.append(sv("text", { x: 0, y: 0, "text-anchor": "middle", "font-size": 13,
      fill: opts.y2.color || "#1d2330",
      transform: `translate(${box.x + box.w - 12},${(top + bottom) / 2}) rotate(90)` },
    opts.y2.label));
  }
  // legend
  const ly0 = bottom + 56;
  for (const it of items) {
    const x = left + it.dx, y = ly0 + it.row * 20;
    const c = it.color;
    if (it.kind === "fill") axes.append(sv("rect", { x, y: y - 9, width: 18, height: 11, fill: c,
      "fill-opacity": 0.55, stroke: c }));
    else if (it.kind === "dot") axes.append(sv("circle", { cx: x + 9, cy: y - 4, r: 5, fill: c }));
    else if (it.kind === "square") axes.append(sv("rect", { x: x + 4, y: y - 9, width: 10,
      height: 10, fill: c }));
    else if (it.kind === "diamond") axes.append(sv("path", { d: diamond(x + 9, y - 4, 6),
      fill: c }));
    else if (it.kind === "open-diamond") axes.append(sv("path", { d: diamond(x + 9, y - 4, 6),
      fill: "none", stroke: c, "stroke-width": 1.8 }));
    else axes.append(sv("line", { x1: x, x2: x + 18, y1: y - 4, y2: y - 4, stroke: c,
      "stroke-width": 2.5, "stroke-dasharray": it.kind === "dash" ? "5 3" : null }));
    axes.append(sv("text", { x: x + 24, y, "font-size": 12, fill: "#1d2330" }, it.label));
  }
  g.append(axes);
  return { g: plot, X, Y, Y2, left, right, top, bottom };
}

function diamond(x, y, r) { return `M${x},${y - r}L${x + r},${y}L${x},${y + r}L${x - r},${y}Z`; }

function newSvg(height, label) {
  return sv("svg", { xmlns: SVGNS, viewBox: `0 0 ${W} ${height}`, width: W, height,
    role: "img", "aria-label": label, "font-family": "DejaVu Sans, Arial, sans-serif" });
}

function path(points) {
  return points.map((p, i) => `${i ? "L" : "M"}${p[0].toFixed(1)},${p[1].toFixed(1)}`).join("");
}

// ---- the API ------------------------------------------------------------------------------

async function api(endpoint, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else if (v !== undefined && v !== null && v !== "") q.append(k, v);
  }
  const res = await fetch(`/api/${endpoint}${q.toString() ? "?" + q : ""}`);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || `status ${res.status}`);
  return body;
}

const specCache = {};
async function specs(kind) {
  if (!specCache[kind]) specCache[kind] = api(`specs/${kind}`);
  return specCache[kind];
}

// the title a spec gives itself ("Kia EV6 77.4 kWh"), for figure titles; the name otherwise
async function titleOf(kind, name) {
  const found = (await specs(kind)).find((s) => s.name === name);
  return found ? found.title : name;
}

// ---- state in the URL ---------------------------------------------------------------------

const state = {};
function readUrl() {
  for (const k of Object.keys(state)) delete state[k];
  for (const [k, v] of new URLSearchParams(location.search)) state[k] = v;
  // a view is one of VIEWS' own names ("constructor" or "__proto__" is not a view)
  if (!Object.hasOwn(VIEWS, state.view)) state.view = "charge";
}
// a control shown only in some states (the brochure car's figures, a charger set by hand)
function active(c) { return !c.when || c.when(); }

function writeUrl() {
  const q = new URLSearchParams();
  const view = VIEWS[state.view];
  q.set("view", state.view);
  for (const c of view.controls) {
    if (active(c) && state[c.key] !== undefined) q.set(c.key, state[c.key]);
  }
  const url = `${location.pathname}?${q}`;
  history.replaceState(null, "", url);
  document.getElementById("permalink").href = url;
}

// ---- controls -----------------------------------------------------------------------------

async function optionsOf(c) {
  if (c.kind) {
    const items = await specs(c.kind);
    const opts = items.map((s) => [s.name, s.title]);
    return (c.extra || []).concat(opts);
  }
  return c.options;
}

async function drawControls(view) {
  const box = document.getElementById("controls");
  box.replaceChildren();
  for (const c of view.controls) {
    if (!active(c)) continue;
    if (state[c.key] === undefined) state[c.key] = c.default;
    const id = `c-${c.key}`;
    if (c.section) box.append(el("h3", { class: "section", text: c.section }));
    if (c.type === "range") {
      const shown = el("span", { class: "value", id: `${id}-value` });
      const input = el("input", { type: "range", id, name: c.key, min: c.min, max: c.max,
        step: c.step || 1, value: state[c.key] });
      // the slider holds a link's value within its range and on its steps: the request
      // and the link take the value it shows, so the page computes what it shows
      state[c.key] = input.value;
      const show = () => { shown.textContent = `${input.value} ${c.unit}`; };
      show();
      input.addEventListener("input", () => { show(); changed(c.key, input.value, 150); });
      box.append(el("label", { for: id }, c.label, shown), input);
    } else if (c.type === "checks") {
      const chosen = new Set(String(state[c.key]).split(",").filter(Boolean));
      const wrap = el("div", { class: "checks", id });
      for (const [value, text] of c.options) {
        const cb = el("input", { type: "checkbox", value, name: c.key });
        cb.checked = chosen.has(value);
        cb.addEventListener("change", () => {
          const now = [...wrap.querySelectorAll("input:checked")].map((x) => x.value);
          changed(c.key, now.join(","));
        });
        wrap.append(el("label", {}, cb, ` ${text}`));
      }
      box.append(el("label", {}, c.label), wrap);
    } else {
      const select = el("select", { id, name: c.key });
      for (const [value, text] of await optionsOf(c)) {
        select.append(el("option", { value, text }));
      }
      select.value = state[c.key];
      if (select.value !== state[c.key]) { // a value from a link that is not offered
        select.append(el("option", { value: state[c.key], text: state[c.key] }));
        select.value = state[c.key];
      }
      select.addEventListener("change", () => changed(c.key, select.value));
      box.append(el("label", { for: id }, c.label), select);
    }
  }
}

let timer = null;
// a slider waits until it rests (``wait`` ms); a choice runs at once
function changed(key, value, wait = 0) {
  state[key] = value;
  clearTimeout(timer);
  const view = VIEWS[state.view];
  const c = view.controls.find((x) => x.key === key);
  if (c && c.redraw) { // a switch: the controls it shows or hides are drawn again first
    drawControls(view).then(() => { writeUrl(); timer = setTimeout(run, wait); });
    return;
  }
  writeUrl();
  timer = setTimeout(run, wait);
}

// ---- rendering ----------------------------------------------------------------------------

let seq = 0;
let current = { csv: null, name: "figure" };

function setStatus(text, error = false) {
  const s = document.getElementById("status");
  s.textContent = text;
  s.className = error ? "error" : "";
}

function card(label, value, unit, key) {
  return el("div", { class: "card" }, el("div", { class: "label" }, label),
    el("span", { class: "num", "data-key": key, "data-value": isFinite(value) ? value : "" },
      fmt(value)), el("span", { class: "unit" }, unit || ""));
}

function table(header, rows) {
  const t = el("table", { class: "data" });
  t.append(el("tr", {}, ...header.map((h) => el("th", { text: h }))));
  for (const r of rows) {
    t.append(el("tr", {}, ...r.map((x) => (x instanceof Node ? el("td", {}, x)
      : el("td", { class: typeof x === "number" ? "n" : "", text: typeof x === "number"
        ? fmt(x) : x })))));
  }
  return t;
}

async function run() {
  const mine = ++seq;
  const view = VIEWS[state.view];
  const fig = document.getElementById("figure");
  fig.dataset.state = "busy";
  setStatus("computing…");
  try {
    const out = await view.run();
    if (mine !== seq) return;
    fig.replaceChildren(out.svg);
    document.getElementById("numbers").replaceChildren(...out.numbers);
    current = { csv: out.csv, name: out.name };
    setStatus(out.note || "");
    if (out.note) document.getElementById("status").className = "note"; // why, say, no charge
    if (out.later) { // figures that take requests of their own, filled in when they come
      await out.later;
      if (mine !== seq) return;
    }
    fig.dataset.state = "ready";
  } catch (err) {
    if (mine !== seq) return;
    // the figure and numbers of the last answer are not this question's: take them away,
    // so that nothing on the page (nor an export) shows an answer to other settings
    fig.replaceChildren();
    document.getElementById("numbers").replaceChildren();
    current = { csv: null, name: "figure" };
    setStatus(err.message, true);
    fig.dataset.state = "error";
  }
  fig.dataset.renders = String((+fig.dataset.renders || 0) + 1);
}

async function show(viewName) {
  state.view = viewName;
  const view = VIEWS[viewName];
  for (const a of document.querySelectorAll("#tabs a")) {
    a.classList.toggle("active", a.dataset.view === viewName);
  }
  document.getElementById("explain").replaceChildren(el("h2", { text: view.title }),
    ...view.explain.map((p) => el("p", { text: p })));
  document.title = `nevcalc: ${view.title}`;
  await drawControls(view);
  writeUrl();
  await run();
}

// ---- exports (all in the browser) -----------------------------------------------------------

function download(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function svgText() {
  const svg = document.querySelector("#figure svg");
  return svg ? new XMLSerializer().serializeToString(svg) : null;
}

function exportSvg() {
  const text = svgText();
  if (text) download(new Blob([text], { type: "image/svg+xml" }), `${current.name}.svg`);
}

function exportPng() {
  const svg = document.querySelector("#figure svg");
  if (!svg) return;
  const [, , w, h] = svg.getAttribute("viewBox").split(" ").map(Number);
  const img = new Image();
  img.onload = () => {
    const canvas = el("canvas", { width: w * 2, height: h * 2 });
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0, w, h);
    canvas.toBlob((blob) => download(blob, `${current.name}.png`), "image/png");
  };
  img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText());
}

function csvCell(x) {
  const s = x === null || x === undefined ? "" : String(x);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function exportCsv() {
  if (!current.csv) return;
  const text = current.csv.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
  download(new Blob([text], { type: "text/csv" }), `${current.name}.csv`);
}

// ---- views --------------------------------------------------------------------------------

const LIMIT_COLOURS = {
  "charger power": "#a14fc4", "charger current": "#2f6fdb", "vehicle power": "#2e9e5b",
  "vehicle current": "#15a3b5", "cell C-rate": "#e0a800", "CV": "#d9534f",
  "charger voltage": "#ff8c69", "booster power": "#e377c2", "charger min voltage": "#8b1e1e",
  "cold cell": "#7aa7e8",
};

const AMBIENTS = [["", "not set (pack at 25 °C)"], ...[-30, -20, -10, 0, 10, 20, 30, 40]
  .map((t) => [String(t), `${t} °C`])];

const brochureCar = () => state.car === "brochure";
const shippedCar = () => !brochureCar();
const chargerByHand = () => state.charger === "hand";

// the assumptions (and estimates) an answer lists, for people: what the model filled in
function assumptionsBlock(d) {
  const items = [...(d.assumptions || [])];
  const box = el("details", { class: "assumptions", id: "assumptions" });
  if (brochureCar()) box.setAttribute("open", "");
  box.append(el("summary", { text: `What the model assumed (${items.length})` }));
  const ul = el("ul");
  for (const a of items) ul.append(el("li", { text: a }));
  box.append(ul);
  return box;
}

const chargeView = {
  title: "Charge: power against state of charge",
  explain: [
    "The power a car takes is the smallest of several limits: what the charger can give (its power, or its highest current times the pack's voltage), what the car's socket and pack accept, and what the cells allow at that state of charge (how fast they may be filled for their size, then the slow end near full, when the cell voltage is held at its maximum).",
    "The colour under the curve names the limit that binds at each state of charge. A bigger charger helps only while the charger is the limit; once the car or its cells bind, more charger power changes nothing. Set the charger by hand and drag its power from 50 kW to 1 MW to watch this.",
    "A car from brochure figures: give what a maker's page gives (usable battery energy, peak charging power, voltage class, cells). The model estimates the rest, such as how the power falls as the pack fills, from published charge times of other cars; it lists what it assumed below the cards and gives the time with a range: about 8 in 10 real cars' times fell within such a range.",
    "In cold air a pack that arrives cold takes little current until it warms (the 'cold cell' limit); preconditioning warms it on the way so the first minutes are fast. The dashed line is the cell temperature (right axis).",
    "The cards give the time from the start to the target state of charge and the distance added in 5, 10 and 20 minutes at the car's consumption.",
  ],
  controls: [
    { key: "car", label: "Describe the car by", section: "Car", options: [["shipped", "choosing a shipped car"],
      ["brochure", "its brochure figures"]], default: "shipped", redraw: true },
    { key: "vehicle", label: "Vehicle", kind: "vehicle", default: "kia-ev6-77", when: shippedCar },
    { key: "battery", label: "Usable battery energy", type: "range", min: 20, max: 200, step: 1,
      unit: "kWh", default: "77", when: brochureCar },
    { key: "peak-power", label: "Peak charging power", type: "range", min: 20, max: 1000,
      step: 10, unit: "kW", default: "240", when: brochureCar },
    { key: "voltage", label: "Voltage class", options: [["400", "400 V"], ["800", "800 V"],
      ["1000", "1000 V"]], default: "800", when: brochureCar },
    { key: "chemistry", label: "Cells (chemistry)", kind: "chemistry", default: "nmc811",
      when: brochureCar },
    { key: "charger", label: "Charger", section: "Charger", kind: "charger",
      default: "ionity-350", redraw: true,
      extra: [["hand", "set by hand: power, current, voltage"], ["none", "no charger limit"]] },
    { key: "charger-power", label: "Charger power", type: "range", min: 10, max: 1200, step: 10,
      unit: "kW", default: "350", when: chargerByHand },
    { key: "charger-current", label: "Charger's highest current", type: "range", min: 50,
      max: 3000, step: 50, unit: "A", default: "500", when: chargerByHand },
    { key: "charger-voltage", label: "Charger's highest voltage", options: [["500", "500 V"],
      ["920", "920 V"], ["1000", "1000 V"], ["1250", "1250 V"]], default: "1000",
    when: chargerByHand },
    { key: "from", label: "Start state of charge", section: "Session", type: "range", min: 0,
      max: 90, step: 5, unit: "%", default: "10" },
    { key: "to", label: "Target state of charge", type: "range", min: 20, max: 100, step: 5,
      unit: "%", default: "80" },
    { key: "ambient", label: "Air temperature", options: AMBIENTS, default: "" },
    { key: "precondition", label: "Preconditioning (with an air temperature)", options: [
      ["none", "none: pack at the air's temperature"],
      ["on-arrival", "warmed on the way, ready on arrival"],
      ["10min", "warmed 10 min before arrival"], ["20min", "warmed 20 min before arrival"]],
    default: "none" },
  ],
  async run() {
    const p = { from: `${state.from}%`, to: `${state.to}%` };
    if (brochureCar()) {
      Object.assign(p, { battery: `${state.battery}kWh`, "peak-power": `${state["peak-power"]}kW`,
        voltage: `${state.voltage}V`, chemistry: state.chemistry });
    } else {
      p.vehicle = state.vehicle;
    }
    if (chargerByHand()) { // no --charger: a DC charger of these limits
      Object.assign(p, { "charger-power": `${state["charger-power"]}kW`,
        "charger-current": `${state["charger-current"]}A`,
        "charger-voltage": `${state["charger-voltage"]}V` });
    } else {
      p.charger = state.charger;
    }
    if (state.ambient !== "") {
      p.ambient = `${state.ambient}degC`;
      p.precondition = state.precondition;
    }
    // the figure needs one answer; the km in 5 and 20 min follow in two more
    const d = await api("charge", { ...p, minutes: "10" });
    const c = d.curve;
    const soc = c.soc.values, power = c.power.values, limit = c.limit;
    const temp = c.temperature ? c.temperature.values : null;
    const svg = newSvg(470, "power into the pack against state of charge");
    const lo = Math.min(+state.from, soc.length ? soc[0] : 0);
    const hi = Math.max(+state.to, soc.length ? soc[soc.length - 1] : 100);
    const pmax = Math.max(10, ...power) * 1.12;
    const present = [...new Set(limit)];
    const legend = present.map((name) => ({ label: `limit: ${name}`,
      color: LIMIT_COLOURS[name] || "#999", kind: "fill" }));
    legend.push({ label: "power into the pack", color: "#1d2330", kind: "line" });
    let y2 = null;
    if (temp) {
      const tlo = Math.floor(Math.min(...temp, val(d.thermal.ambient)) / 10) * 10;
      const thi = Math.ceil(Math.max(...temp, 30) / 10) * 10 + 5;
      y2 = { lo: tlo, hi: thi, label: "cell temperature [°C]", color: "#a3262a" };
      legend.push({ label: "cell temperature (right axis)", color: "#a3262a", kind: "dash" });
    }
    const car = brochureCar()
      ? `a car of ${state.battery} kWh, ${state["peak-power"]} kW peak, ${state.voltage} V`
        + ` (${state.chemistry})`
      : await titleOf("vehicle", d.vehicle);
    let on;
    if (d.charger === "none") on = "(no charger limit)";
    else if (chargerByHand()) on = `on a charger of ${state["charger-power"]} kW, `
      + `${state["charger-current"]} A, ${state["charger-voltage"]} V`;
    else on = `on ${await titleOf("charger", d.charger)}`;
    const ch = chart(svg, { x: 0, y: 0, w: W, h: 470 }, {
      title: `${car} ${on}`,
      x: { lo: Math.floor(lo / 10) * 10, hi: Math.ceil(hi / 10) * 10,
        label: "state of charge [%]" },
      y: { lo: 0, hi: pmax, label: "power into the pack [kW]" }, y2, legend });
    // fill each run of one binding limit
    let i = 0;
    while (i < soc.length - 1) {
      let j = i;
      while (j + 1 < soc.length - 1 && limit[j + 1] === limit[i]) j++;
      const pts = [[ch.X(soc[i]), ch.Y(0)]];
      for (let k = i; k <= j + 1; k++) pts.push([ch.X(soc[k]), ch.Y(power[k])]);
      pts.push([ch.X(soc[j + 1]), ch.Y(0)]);
      ch.g.append(sv("path", { d: path(pts) + "Z", fill: LIMIT_COLOURS[limit[i]] || "#999",
        "fill-opacity": 0.55, "data-limit": limit[i] }));
      i = j + 1;
    }
    ch.g.append(sv("path", { d: path(soc.map((s, k) => [ch.X(s), ch.Y(power[k])])),
      fill: "none", stroke: "#1d2330", "stroke-width": 2, class: "power-line" }));
    if (temp) {
      ch.g.append(sv("path", { d: path(soc.map((s, k) => [ch.X(s), ch.Y2(temp[k])])),
        fill: "none", stroke: "#a3262a", "stroke-width": 2, "stroke-dasharray": "6 4" }));
    }
    svg.dataset.peak = String(Math.max(0, ...power));
    if (!d.feasible && Math.max(0, ...power) === 0) { // an empty plot says why it is empty
      ch.g.append(sv("text", { x: (ch.left + ch.right) / 2, y: (ch.top + ch.bottom) / 2,
        "text-anchor": "middle", "font-size": 14, fill: "#b00020" }, "no charge: see the "
        + "message above the figure"));
    }
    const duration = val(d.duration);
    const numbers = [
      card(d.feasible ? `time ${state.from} → ${state.to} %`
        : `stops at ${fmt(val(d.soc_reached))} %, not ${state.to} %, after`,
      d.feasible ? duration : val(d.charging_time), "min", "duration"),
    ];
    if (d.interval && d.feasible) { // a brochure car: the range real cars' times fall in
      const iv = d.interval;
      numbers.push(el("div", { class: "card" },
        el("div", { class: "label", text: `likely range of that time (${Math.round(iv.level * 100)}`
          + " % of cars)" }),
        el("span", { class: "num", "data-key": "interval", "data-low": iv.low,
          "data-high": iv.high, "data-level": iv.level }, `${fmt(iv.low)}–${fmt(iv.high)}`),
        el("span", { class: "unit" }, iv.unit)));
    }
    numbers.push(
      card("km added in 5 min", NaN, "km", "km5"),
      card("km added in 10 min", val(d.range_added), "km", "km10"),
      card("km added in 20 min", NaN, "km", "km20"),
      card("peak power", val(d.peak_power), "kW", "peak"),
      card("energy from the grid", val(d.energy_from_grid), "kWh", "grid"),
    );
    if (d.thermal) {
      numbers.push(card("pack on arrival", val(d.thermal.pack_at_arrival), "°C", "arrival"));
    }
    numbers.push(assumptionsBlock(d));
    const csv = [["soc [%]", "time [min]", "power [kW]", "limit", "cell temperature [degC]"]];
    soc.forEach((s, k) => csv.push([s, c.time.values[k], power[k], limit[k],
      temp ? temp[k] : ""]));
    const later = Promise.all(["5", "20"].map(async (m) => {
      const more = await api("charge", { ...p, minutes: m });
      const num = numbers.find((n) => n.querySelector(`.num[data-key="km${m}"]`))
        .querySelector(".num");
      num.textContent = fmt(val(more.range_added));
      num.dataset.value = String(val(more.range_added));
    }));
    return { svg, numbers, csv, name: `charge-${d.vehicle}-${d.charger}`, later,
      note: d.feasible ? "" : d.reason };
  },
};

const tripView = {
  title: "Trip: state of charge along the road",
  explain: [
    "Each line is one car on the same route: its state of charge falls as it drives and jumps up at each charging stop. The stops and how far to charge at each are chosen to make the whole trip as short as possible, arriving everywhere above the reserve.",
    "A car that charges fast makes short stops to a middle state of charge, where charging is quickest; a slow-charging car stops longer. The total time counts driving, charging and a few minutes a stop.",
    "Between stops the line is drawn straight from the state of charge at one stop to the next. Cold air (a lower air temperature) costs range and slows charging: watch the total time grow.",
  ],
  controls: [
    { key: "route", label: "Route", kind: "route", default: "motorway-1000" },
    { key: "car1", label: "Car 1", kind: "vehicle", default: "kia-ev6-77" },
    { key: "car2", label: "Car 2", kind: "vehicle", default: "tesla-model-3-rwd-2024",
      extra: [["", "—"]] },
    { key: "car3", label: "Car 3", kind: "vehicle", default: "", extra: [["", "—"]] },
    { key: "ambient", label: "Air temperature", options: [["", "the route's own"],
      ...AMBIENTS.slice(1)], default: "" },
  ],
  async run() {
    const cars = [state.car1, state.car2, state.car3].filter(Boolean);
    const docs = await Promise.all(cars.map((v) => api("trip", { vehicle: v,
      route: state.route, ambient: state.ambient !== "" ? `${state.ambient}degC` : null })));
    const dist = val(docs[0].route.distance);
    const titles = await Promise.all(docs.map((d) => titleOf("vehicle", d.vehicle)));
    const svg = newSvg(460, "state of charge against distance");
    const legend = docs.map((d, i) => ({ label: `${titles[i]}: ${hoursText(val(d.total_time))}`,
      color: PALETTE[i], kind: "line" }));
    legend.push({ label: "charging stop", color: "#555", kind: "dot" });
    legend.push({ label: "reserve", color: "#888", kind: "dash" });
    const ch = chart(svg, { x: 0, y: 0, w: W, h: 460 }, {
      title: docs[0].route.title,
      x: { lo: 0, hi: dist, label: "distance [km]" },
      y: { lo: 0, hi: 100, label: "state of charge [%]" }, legend });
    const reserve = val(docs[0].route.reserve);
    ch.g.append(sv("line", { x1: ch.X(0), x2: ch.X(dist), y1: ch.Y(reserve), y2: ch.Y(reserve),
      stroke: "#888", "stroke-dasharray": "5 3" }));
    const csv = [["vehicle", "distance [km]", "soc [%]", "event"]];
    docs.forEach((d, i) => {
      const pts = [[0, val(d.route.start_soc), "start"]];
      for (const s of d.plan) {
        pts.push([val(s.at), val(s.arrive), `arrive at ${s.charger}`]);
        pts.push([val(s.at), val(s.leave), `leave after ${fmt(val(s.time))} min`]);
      }
      if (d.feasible) pts.push([dist, val(d.arrive_end), "arrive"]);
      pts.forEach((p) => csv.push([d.vehicle, p[0], p[1], p[2]]));
      ch.g.append(sv("path", { d: path(pts.map((p) => [ch.X(p[0]), ch.Y(p[1])])),
        fill: "none", stroke: PALETTE[i], "stroke-width": 2.5, class: "trip-line",
        "data-vehicle": d.vehicle }));
      for (const s of d.plan) {
        ch.g.append(sv("circle", { cx: ch.X(val(s.at)), cy: ch.Y(val(s.arrive)), r: 4,
          fill: PALETTE[i] }));
      }
    });
    const numbers = docs.map((d, i) => card(`${titles[i]}: ${d.stops} stops, `
      + `${hoursText(val(d.total_time))} in all`, val(d.total_time), "h", `total${i + 1}`));
    const rows = docs.map((d, i) => [titles[i], val(d.total_time), val(d.drive_time), val(d.stop_time),
      d.stops, val(d.energy_from_grid), d.feasible ? "yes" : d.reason]);
    numbers.push(table(["car", "total [h]", "driving [h]", "at stops [min]", "stops",
      "from the grid [kWh]", "arrives"], rows));
    return { svg, numbers, csv, name: `trip-${state.route}` };
  },
};

// hours as people read them: 9.23 h is "9 h 14 min"
function hoursText(h) {
  if (!isFinite(h)) return "–";
  const m = Math.round(h * 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

// a claim on a ratio reads as a change in percent ("+30 %"), or as a multiple from 2x on
// ("3x"); others in their unit (equivalent full cycles in words); no figure is said so
function claimText(x, unit) {
  if (x === null || x === undefined) return "no figure";
  if (unit === "ratio") {
    if (x >= 2) return `${fmt(x, 2)}×`;
    const pct = (x - 1) * 100;
    return `${pct >= 0 ? "+" : ""}${fmt(pct, 2)} %`;
  }
  return `${fmt(x)} ${unit === "efc" ? "full cycles" : unit}`;
}

const VERDICT = { true: ["holds", "#2e9e5b"], false: ["fails", "#c0392b"],
  null: ["unknown", "#8a8f99"] };

const claimsView = {
  title: "Claims: what the industry says, put to the models",
  explain: [
    "Each seed scenario takes claims as they were published (a press release, a maker's page) and computes the same figure with nevcalc's models, from the shipped specs.",
    "A bar shows the computed figure as a percentage of the claimed one: at the dashed line (100 %) the model agrees exactly. Green: the claim holds by its own wording (about, at least, at most); red: it does not; grey: the models cannot compute that figure from the shipped data.",
    "The table gives the deciding figures with their units and the source of each claim. A change is given in percent (-30 % is 0.7 times the old figure); a multiple as 3× (+200 %).",
  ],
  controls: [
    { key: "scenario", label: "Scenario", options: [], default: "byd-super-e-platform" },
  ],
  async run() {
    const d = await api(`scenario/${state.scenario}`);
    const claims = d.claims || [];
    const rowH = 46;
    const height = 110 + rowH * claims.length + 20;
    const svg = newSvg(height, "computed figure as a share of the claim");
    const ratios = claims.map((c) => (c.claimed && c.computed !== null && c.computed !== undefined
      ? 100 * c.computed / c.claimed : null));
    const hi = Math.max(150, ...ratios.filter((r) => r !== null).map((r) => r * 1.1));
    const legend = [{ label: "holds", color: VERDICT.true[1], kind: "square" },
      { label: "does not hold", color: VERDICT.false[1], kind: "square" }];
    if (claims.some((c) => c.holds === null)) {
      legend.push({ label: "cannot tell", color: VERDICT.null[1], kind: "square" });
    }
    legend.push({ label: "as claimed (100 %)", color: "#555", kind: "dash" });
    const ch = chart(svg, { x: 0, y: 0, w: W, h: height }, {
      title: d.title,
      x: { lo: 0, hi, label: "computed, as a share of the claimed figure [%]" },
      y: { lo: claims.length, hi: 0, label: "", ticks: [] }, legend });
    ch.g.append(sv("line", { x1: ch.X(100), x2: ch.X(100), y1: ch.top, y2: ch.bottom,
      stroke: "#555", "stroke-dasharray": "5 3" }));
    claims.forEach((c, i) => {
      const y0 = ch.Y(i + 0.5);
      const r = ratios[i];
      const colour = VERDICT[String(c.holds)][1];
      ch.g.append(sv("text", { x: ch.left + 6, y: ch.Y(i) + 15, "font-size": 12,
        fill: "#1d2330" }, c.claim));
      const text = r === null ? `${c.verdict}: the models give no figure`
        : `${claimText(c.computed, c.unit)} (claimed ${claimText(c.claimed, c.unit)})`;
      if (r !== null) {
        ch.g.append(sv("rect", { x: ch.X(0), y: y0 - 2, width: Math.max(1, ch.X(r) - ch.X(0)),
          height: 14, fill: colour, "fill-opacity": 0.8, class: "claim-bar" }));
      }
      // the figure right of the bar and of the 100 % line, never across it; inside the
      // bar's end when it would leave the plot
      let x = Math.max(ch.X(r || 0), ch.X(100)) + 5;
      let anchor = "start", fill = colour, halo = "#fff";
      if (x + 6.8 * text.length > ch.right) {
        x = ch.X(r) - 5; anchor = "end"; fill = "#fff"; halo = colour;
      }
      ch.g.append(sv("text", { x, y: y0 + 10, "font-size": 12, fill, "text-anchor": anchor,
        stroke: halo, "stroke-width": 3, "paint-order": "stroke" }, text));
    });
    const held = claims.filter((c) => c.holds).length;
    const numbers = [card("claims that hold", held, `of ${claims.length}`, "held")];
    numbers.push(table(["claim", "claimed", "computed", "verdict", "source"],
      claims.map((c) => [c.claim, claimText(c.claimed, c.unit), claimText(c.computed, c.unit),
        el("span", { class: VERDICT[String(c.holds)][0], text: c.verdict }),
        el("a", { href: c.source, rel: "noreferrer", text: `source (${c.kind || "link"})` })])));
    const csv = [["claim", "metric", "relation", "claimed", "computed", "unit", "verdict",
      "source"]];
    claims.forEach((c) => csv.push([c.claim, c.metric, c.relation, c.claimed, c.computed, c.unit,
      c.verdict, c.source]));
    return { svg, numbers, csv, name: `claims-${d.scenario}` };
  },
};

const CHEMISTRIES = [["lfp", "LFP"], ["nmc811", "NMC811"], ["semi-solid", "semi-solid"],
  ["solid-state", "solid-state"], ["sodium-ion", "sodium-ion"]];

const rangeView = {
  title: "Range and pack: other cells in the same car",
  explain: [
    "Take one car and give it a pack of other cells. Keeping the pack's energy (circles), denser cells make the pack lighter and the car goes a little further; keeping the pack's mass (squares), denser cells hold more energy and the range grows almost in proportion.",
    "The black diamond is the car as built (cells of its own chemistry sit on it). A lighter pack needs less energy per km, a heavier one more: the model feeds the pack's mass back into the consumption on the chosen cycle.",
    "This is the solid-state question: +30 % energy per kg gives about +30 % range only if the pack keeps its mass (and its price and ageing are another matter: see cost and ageing).",
  ],
  controls: [
    { key: "vehicle", label: "Vehicle", kind: "vehicle", default: "kia-ev6-77" },
    { key: "cycle", label: "Drive cycle", options: [["official", "the car's official test"],
      ["wltc", "WLTC (Europe)"], ["epa", "EPA (US label)"], ["cltc", "CLTC (China)"],
      ["hwfet", "HWFET (US highway)"], ["us06", "US06 (fast, hard)"]], default: "official" },
    { key: "ambient", label: "Air temperature", options: [["", "the test's own"],
      ...AMBIENTS.slice(1)], default: "" },
    { key: "chems", label: "Cells", type: "checks", options: CHEMISTRIES,
      default: "lfp,nmc811,solid-state" },
  ],
  async run() {
    const chems = state.chems.split(",").filter(Boolean).slice(0, 5);
    const base = { vehicle: state.vehicle, cycle: state.cycle,
      ambient: state.ambient !== "" ? `${state.ambient}degC` : null };
    const asked = [];
    for (const c of chems) for (const keep of ["energy", "mass"]) asked.push([c, keep]);
    const docs = await Promise.all(asked.map(([c, keep]) => api("range", { ...base,
      chemistry: c, keep })));
    const b = asked.length ? docs[0].before : await api("range", base);
    const pts = docs.map((d, i) => ({ chem: asked[i][0], keep: asked[i][1],
      e: val(d.usable_energy), r: val(d.range), m: val(d.pack_mass) }));
    const all = [...pts, { e: val(b.usable_energy), r: val(b.range) }];
    const emax = Math.max(...all.map((p) => p.e)) * 1.15;
    const rmax = Math.max(...all.map((p) => p.r)) * 1.15;
    const svg = newSvg(470, "range against pack energy");
    const nameOf = (c) => (CHEMISTRIES.find((x) => x[0] === c) || [c, c])[1];
    const legend = chems.map((c, i) => ({ label: `${nameOf(c)} cells`, color: PALETTE[i],
      kind: "line" }));
    legend.push({ label: "same pack energy", color: "#555", kind: "dot" },
      { label: "same pack mass", color: "#555", kind: "square" },
      { label: `the car as built (${nameOf(b.chemistry)})`, color: "#1d2330",
        kind: "open-diamond" });
    const ch = chart(svg, { x: 0, y: 0, w: W, h: 470 }, {
      title: `${await titleOf("vehicle", b.vehicle)} on ${b.cycle}`,
      x: { lo: 0, hi: emax, label: "usable pack energy [kWh]" },
      y: { lo: 0, hi: rmax, label: "range [km]" }, legend });
    chems.forEach((c, i) => {
      const two = pts.filter((p) => p.chem === c);
      ch.g.append(sv("path", { d: path(two.map((p) => [ch.X(p.e), ch.Y(p.r)])),
        stroke: PALETTE[i], "stroke-width": 2, fill: "none" }));
      for (const p of two) {
        if (p.keep === "energy") ch.g.append(sv("circle", { cx: ch.X(p.e), cy: ch.Y(p.r), r: 6,
          fill: PALETTE[i], class: "range-point", "data-chem": c, "data-keep": p.keep }));
        else ch.g.append(sv("rect", { x: ch.X(p.e) - 6, y: ch.Y(p.r) - 6, width: 12, height: 12,
          fill: PALETTE[i], class: "range-point", "data-chem": c, "data-keep": p.keep }));
      }
    });
    ch.g.append(sv("path", { d: diamond(ch.X(val(b.usable_energy)), ch.Y(val(b.range)), 10),
      fill: "none", stroke: "#1d2330", "stroke-width": 2, class: "as-built" }));
    const numbers = [card(`range as built (${nameOf(b.chemistry)})`, val(b.range), "km",
      "range")];
    numbers.push(table(["cells", "kept", "pack energy [kWh]", "pack mass [kg]", "range [km]"],
      [[nameOf(b.chemistry), "as built", val(b.usable_energy), val(b.pack_mass), val(b.range)],
        ...pts.map((p) => [nameOf(p.chem), `same pack ${p.keep}`, p.e, p.m, p.r])]));
    const csv = [["cells", "kept", "pack energy [kWh]", "pack mass [kg]", "range [km]"],
      [b.chemistry, "as built", val(b.usable_energy), val(b.pack_mass), val(b.range)],
      ...pts.map((p) => [p.chem, p.keep, p.e, p.m, p.r])];
    return { svg, numbers, csv, name: `range-${b.vehicle}` };
  },
};

const PARTS = ["purchase", "energy", "replacement", "maintenance", "time", "residual"];
const PART_NAMES = { purchase: "buying the car", energy: "electricity",
  replacement: "battery replacement", maintenance: "maintenance",
  time: "time spent at fast chargers", residual: "resale value at the end" };

const costView = {
  title: "Cost and ageing: capacity over the years, cost by part",
  explain: [
    "Left: the share of the battery's capacity left after each year, for the chosen cells, distance a year and climate, in a pack of the car's size using the car's energy per km. Heat and time age a battery as well as use: the same cells keep more capacity in Oslo than in Phoenix.",
    "Right: what owning the car costs over the years, by part, in present value (future money discounted). The residual value (what the car is still worth at the end) is a negative cost.",
    "A battery replaced when its capacity falls below the threshold shows up as its own part.",
  ],
  controls: [
    { key: "vehicle", label: "Vehicle (cost)", kind: "vehicle", default: "kia-ev6-77" },
    { key: "chemistry", label: "Cells (ageing)", kind: "chemistry", default: "nmc811" },
    { key: "climate", label: "Climate", kind: "climate", default: "shanghai" },
    { key: "km", label: "Distance a year", type: "range", min: 5000, max: 60000, step: 5000,
      unit: "km", default: "15000" },
    { key: "years", label: "Years", type: "range", min: 5, max: 15, step: 1, unit: "years",
      default: "10" },
  ],
  async run() {
    // the ageing of the chosen cells in a pack of this car's size at its consumption
    const car = await api("range", { vehicle: state.vehicle });
    const [h, c] = await Promise.all([
      api("health", { chemistry: state.chemistry, climate: state.climate,
        "km-per-year": `${state.km}km`, years: state.years,
        pack: `${val(car.usable_energy)}kWh`,
        consumption: `${val(car.consumption)}kWh/(100km)` }),
      api("cost", { vehicle: state.vehicle, climate: state.climate,
        "km-per-year": `${state.km}km`, years: state.years })]);
    const svg = newSvg(430, "capacity over the years and cost by part");
    const cap = h.capacity;
    const [chemTitle, climateTitle, carTitle] = await Promise.all([
      titleOf("chemistry", h.chemistry), titleOf("climate", state.climate),
      titleOf("vehicle", c.vehicle)]);
    // from 0 %: a battery at 88 % has lost an eighth, not most of its capacity
    const left = chart(svg, { x: 0, y: 0, w: W / 2, h: 430 }, {
      title: `capacity of ${chemTitle.split(" (")[0]} cells in ${climateTitle}`,
      x: { lo: 0, hi: cap.length, label: "years in service" },
      y: { lo: 0, hi: 100, label: "capacity left [%]" },
      legend: [{ label: "capacity left", color: PALETTE[0], kind: "line" },
        { label: "80 % (a common end of life)", color: "#888", kind: "dash" }] });
    left.g.append(sv("line", { x1: left.X(0), x2: left.X(cap.length), y1: left.Y(80),
      y2: left.Y(80), stroke: "#888", "stroke-dasharray": "5 3" }));
    const capPts = [[0, 100], ...cap.map((p) => [p.year, p.value])];
    left.g.append(sv("path", { d: path(capPts.map((p) => [left.X(p[0]), left.Y(p[1])])),
      fill: "none", stroke: PALETTE[0], "stroke-width": 2.5, class: "capacity-line" }));
    const unit = c.total.unit;
    const parts = PARTS.filter((p) => c.parts[p]).map((p) => [p, c.parts[p].value]);
    const vmin = Math.min(0, ...parts.map((p) => p[1]));
    const vmax = Math.max(...parts.map((p) => p[1])) * 1.1;
    // a credit (negative) reaches a labelled tick left of zero
    const step = niceStep(vmax - vmin, 6);
    const vlo = vmin < 0 ? -Math.ceil((-vmin * 1.05) / step) * step : 0;
    const right = chart(svg, { x: W / 2, y: 0, w: W / 2, h: 430 }, {
      title: `${carTitle}, ${c.years} years`,
      x: { lo: vlo, hi: vmax, label: `present value [thousand ${unit}]`,
        format: (t) => fmt(t / 1000) },
      y: { lo: parts.length, hi: 0, label: "", ticks: [] },
      legend: [{ label: "cost", color: PALETTE[1], kind: "square" },
        { label: "credit (resale value)", color: PALETTE[2], kind: "square" }] });
    right.g.append(sv("line", { x1: right.X(0), x2: right.X(0), y1: right.top, y2: right.bottom,
      stroke: "#888" }));
    parts.forEach(([name, v], i) => {
      const y = right.Y(i + 0.5);
      const x0 = right.X(Math.min(0, v)), x1 = right.X(Math.max(0, v));
      right.g.append(sv("rect", { x: x0, y: y - 9, width: Math.max(1, x1 - x0), height: 18,
        fill: v < 0 ? PALETTE[2] : PALETTE[1], class: "cost-bar" }));
      right.g.append(sv("text", { x: right.X(0) + 4, y: y - 13, "font-size": 12,
        fill: "#1d2330" }, `${PART_NAMES[name] || name}: ${fmt(Math.round(v))} ${unit}`));
    });
    const numbers = [
      card("capacity at the end", cap[cap.length - 1].value, "%", "capacity"),
      card("years until 80 % capacity", val(h.years_to_80), "years", "years80"),
      card("total cost of owning", val(c.total), unit, "total"),
      card("cost per km", val(c.per_km), `${unit}/km`, "perkm"),
    ];
    const csv = [["year", "capacity [%]"], ...cap.map((p) => [p.year, p.value]), [],
      ["part", `present value [${unit}]`], ...parts];
    return { svg, numbers, csv, name: `cost-ageing-${c.vehicle}` };
  },
};

const trendView = {
  title: "Trend: the experience curve of battery packs",
  explain: [
    "Wright's law: every time the batteries ever made doubles, the price of a pack falls by a fixed share, the learning rate. It is fitted on the shipped market history (prices in constant dollars).",
    "The black dots are the market's pack prices of past years, placed at the batteries made up to then; the dashed line through them is the fit (a straight line on these log scales: each step of one grid line is a constant factor).",
    "The blue line projects the price along the cumulative volume that the chosen growth of annual sales gives, year by year; the band is the interval of the learning rate. Faster growth reaches the same price sooner, not a lower price at the same volume.",
  ],
  controls: [
    { key: "growth", label: "Growth of annual battery volume", type: "range", min: 5, max: 60,
      step: 1, unit: "% a year", default: "37" },
    { key: "until", label: "Project until", type: "range", min: 2027, max: 2050, step: 1,
      unit: "", default: "2035" },
  ],
  async run() {
    const d = await api("trend", { growth: `${state.growth}%`, until: state.until });
    const pts = d.pack_price;
    const hist = d.history || [];
    const unit = pts.length ? pts[0].unit : "USD/kWh";
    const xs = pts.map((p) => p.cumulative_volume.value);
    const hx = hist.map((h) => h.cumulative_volume.value);
    const svg = newSvg(470, "pack price against cumulative volume");
    const ys = [...pts.map((p) => p.low), ...pts.map((p) => p.high), ...hist.map((h) => h.value)];
    // the price axis ends on a labelled tick (1, 2, 5 x 10^n) above the dearest year
    const top = [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(Math.max(...ys))))
      .find((t) => t >= Math.max(...ys) * 1.05);
    const ch = chart(svg, { x: 0, y: 0, w: W, h: 470 }, {
      title: `learning rate ${fmt(val(d.learning_rate))} % per doubling (${d.dollar_basis})`,
      x: { lo: Math.min(...hx, ...xs) * 0.8, hi: Math.max(...xs) * 1.25, log: true,
        label: "batteries made so far, cumulative [TWh] (log scale)" },
      y: { lo: Math.min(...ys) * 0.8, hi: top, log: true,
        label: `pack price [${unit}] (log scale)` },
      legend: [{ label: "market price of a year", color: "#1d2330", kind: "dot" },
        { label: "Wright's law fitted to them", color: "#1d2330", kind: "dash" },
        { label: "projected price", color: PALETTE[0], kind: "line" },
        { label: "interval of the learning rate", color: PALETTE[0], kind: "fill" }] });
    // the fitted curve through the market's years, as the answer gives it (a straight line
    // on these log axes), on to the projection's first year
    if (pts.length && hist.length) {
      const line = [...hist.map((h, i) => [hx[i], h.fitted]), [xs[0], pts[0].value]]
        .sort((a, b) => a[0] - b[0]);
      ch.g.append(sv("path", { d: path(line.map(([x, y]) => [ch.X(x), ch.Y(y)])), fill: "none",
        stroke: "#1d2330", "stroke-width": 1.5, "stroke-dasharray": "5 3", class: "fit-line" }));
    }
    const band = [...pts.map((p, i) => [ch.X(xs[i]), ch.Y(p.high)]),
      ...pts.map((p, i) => [ch.X(xs[i]), ch.Y(p.low)]).reverse()];
    ch.g.append(sv("path", { d: path(band) + "Z", fill: PALETTE[0], "fill-opacity": 0.18 }));
    ch.g.append(sv("path", { d: path(pts.map((p, i) => [ch.X(xs[i]), ch.Y(p.value)])),
      fill: "none", stroke: PALETTE[0], "stroke-width": 2.5, class: "trend-line" }));
    const label = (x, y, text) => ch.g.append(sv("text", { x: x + 5, y: y - 7, "font-size": 11,
      fill: "#333" }, text));
    pts.forEach((p, i) => {
      ch.g.append(sv("circle", { cx: ch.X(xs[i]), cy: ch.Y(p.value), r: 3, fill: PALETTE[0] }));
      if (i % 2 === 1 || i === pts.length - 1) label(ch.X(xs[i]), ch.Y(p.value), String(p.year));
    });
    hist.forEach((h, i) => {
      ch.g.append(sv("circle", { cx: ch.X(hx[i]), cy: ch.Y(h.value), r: 4.5, fill: "#1d2330",
        class: "history-point" }));
      if (i === 0 || i === hist.length - 1) label(ch.X(hx[i]), ch.Y(h.value), String(h.year));
    });
    const last = pts[pts.length - 1];
    const numbers = [
      card("learning rate", val(d.learning_rate), "%", "learning"),
      card(`price in ${last.year}`, last.value, unit, "last"),
      card("price change a year", val(d.annual_price_change), "%", "annual"),
    ];
    const csv = [["year", "kind", "cumulative volume [TWh]", `price [${unit}]`, `low [${unit}]`,
      `high [${unit}]`], ...hist.map((h, i) => [h.year, "market", hx[i], h.value, "", ""]),
    ...pts.map((p, i) => [p.year, "projected", xs[i], p.value, p.low, p.high])];
    return { svg, numbers, csv, name: "trend" };
  },
};

const VIEWS = { charge: chargeView, trip: tripView, claims: claimsView, range: rangeView,
  cost: costView, trend: trendView };
const TAB_NAMES = { charge: "Charge", trip: "Trip", claims: "Claims", range: "Range and pack",
  cost: "Cost and ageing", trend: "Trend" };

async function start() {
  const scen = await api("scenarios");
  claimsView.controls[0].options = scen.map((s) => [s.name, s.title]);
  const tabs = document.getElementById("tabs");
  for (const [name, text] of Object.entries(TAB_NAMES)) {
    const a = el("a", { href: `?view=${name}`, "data-view": name, text });
    a.addEventListener("click", (ev) => { ev.preventDefault(); show(name); });
    tabs.append(a);
  }
  document.getElementById("export-svg").addEventListener("click", exportSvg);
  document.getElementById("export-png").addEventListener("click", exportPng);
  document.getElementById("export-csv").addEventListener("click", exportCsv);
  readUrl();
  await show(state.view);
}

window.addEventListener("DOMContentLoaded", () => {
  start().catch((err) => setStatus(err.message, true));
});
