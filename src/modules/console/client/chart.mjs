// Successes and failures over time as stacked bars in inline SVG, drawn at the element's real width (so text
// stays readable at 390 px), with the same numbers as a table for screen readers and keyboards.
import { h, number, svg } from "./dom.mjs";

const HEIGHT = 180;
const PAD = { top: 12, right: 8, bottom: 26, left: 36 };

const hourLabel = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayLabel = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const label = (bucket, iso) => (bucket === "day" ? dayLabel : hourLabel).format(new Date(iso));

/** 0, then a 1-2-5 step that gives at most four grid lines. */
function niceMax(max) {
  if (max <= 4) return { top: 4, step: 1 };
  const raw = max / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw);
  return { top: Math.ceil(max / step) * step, step };
}

function draw(width, { bucket, buckets }) {
  const plotW = Math.max(10, width - PAD.left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const max = Math.max(0, ...buckets.map((b) => b.successes + b.failures));
  const { top, step } = niceMax(max);
  const y = (v) => PAD.top + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(1, buckets.length);
  const barW = Math.max(1, Math.min(28, slot * 0.72));
  const grid = [];
  for (let v = 0; v <= top; v += step) {
    grid.push(svg("line", { class: "grid-line", x1: PAD.left, x2: width - PAD.right, y1: y(v), y2: y(v) }));
    grid.push(svg("text", { class: "axis", x: PAD.left - 6, y: y(v) + 4, "text-anchor": "end" }, number.format(v)));
  }
  // About one x label per 70 px.
  const every = Math.max(1, Math.ceil(buckets.length / Math.max(1, Math.floor(plotW / 70))));
  const bars = buckets.map((b, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    const okTop = y(b.successes);
    const badTop = y(b.successes + b.failures);
    const tip = `${label(bucket, b.start)}: ${number.format(b.successes)} succeeded, ${number.format(b.failures)} failed`;
    return svg(
      "g",
      { class: "bar" },
      svg("title", {}, tip),
      // An invisible full-height target makes hovering a small bar easy.
      svg("rect", { class: "hit", x: PAD.left + i * slot, y: PAD.top, width: slot, height: plotH }),
      b.successes > 0 && svg("rect", { class: "bar-ok", x, y: okTop, width: barW, height: y(0) - okTop, rx: 1.5 }),
      b.failures > 0 && svg("rect", { class: "bar-bad", x, y: badTop, width: barW, height: okTop - badTop, rx: 1.5 }),
      i % every === 0 && svg("text", { class: "axis", x: PAD.left + i * slot + slot / 2, y: HEIGHT - 8, "text-anchor": "middle" }, label(bucket, b.start)),
    );
  });
  return svg("svg", { width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, "aria-hidden": "true", focusable: "false" }, grid, bars);
}

function dataTable(stats) {
  return h(
    "details",
    { class: "chart-table" },
    h("summary", {}, "Show the numbers"),
    h(
      "table",
      { class: "table compact" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, stats.bucket === "day" ? "Day" : "Hour"), h("th", { scope: "col", class: "num" }, "Succeeded"), h("th", { scope: "col", class: "num" }, "Failed"))),
      h(
        "tbody",
        {},
        stats.buckets
          .filter((b) => b.successes || b.failures)
          .map((b) => h("tr", {}, h("td", {}, label(stats.bucket, b.start)), h("td", { class: "num" }, number.format(b.successes)), h("td", { class: "num" }, number.format(b.failures)))),
      ),
    ),
  );
}

/** `span`: words for the period, e.g. "last 24 hours". */
export function activityChart(stats, span) {
  const ok = stats.buckets.reduce((n, b) => n + b.successes, 0);
  const bad = stats.buckets.reduce((n, b) => n + b.failures, 0);
  const summary = `${number.format(ok)} succeeded and ${number.format(bad)} failed, ${span}`;
  const canvas = h("div", { class: "chart-canvas", role: "img", "aria-label": `Requests per ${stats.bucket}: ${summary}` });
  let lastWidth = 0;
  const redraw = () => {
    const width = Math.floor(canvas.clientWidth);
    if (!width || width === lastWidth) return;
    lastWidth = width;
    canvas.replaceChildren(draw(width, stats));
  };
  new ResizeObserver(redraw).observe(canvas);
  const legend = h(
    "div",
    { class: "legend" },
    h("span", { class: "key ok" }, h("span", { class: "swatch", "aria-hidden": "true" }), `Succeeded `, h("strong", {}, number.format(ok))),
    h("span", { class: "key bad" }, h("span", { class: "swatch", "aria-hidden": "true" }), `Failed `, h("strong", {}, number.format(bad))),
    h("span", { class: "muted" }, span),
  );
  return h(
    "figure",
    { class: "chart" },
    legend,
    ok + bad === 0 ? h("p", { class: "chart-empty muted" }, `No SCIM requests ${span}.`) : [canvas, dataTable(stats)],
  );
}
