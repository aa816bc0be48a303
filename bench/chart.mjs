// The broadcast latency distributions as an SVG: one panel per class size,
// one cumulative curve per server (ThirdSpace, the bare Durable Object relay,
// Node `ws`). Hand-written SVG, so the bench needs no plotting dependency.
//
// A CDF on a log-scale x axis: the servers differ by multiples. The y axis
// is stretched above 90% so the tail, where p99 lives, gets room next to the
// median instead of a hairline at the top.
import { samplesOf } from "./stats.mjs";

const SERIES = [
  { key: "thirdspace", label: "ThirdSpace", color: "#d9480f", dash: "" },
  { key: "floor", label: "Bare DO relay (floor)", color: "#1971c2", dash: "7 4" },
  { key: "baseline", label: "Node ws relay", color: "#2f9e44", dash: "2 3" },
];
const PANEL = { width: 360, height: 320 };
/** Room left of each panel for the y labels. */
const GUTTER = 56;
const MARGIN = { top: 116, right: 24, bottom: 120, left: 24 };
const MIN_WIDTH = 980; // the title and the legend need it even for one panel

/** Where a cumulative share q lands, as a fraction of the height: 0-90% get 70%, 90-99% 18%, 99-100% 12%. */
function stretch(q) {
  if (q <= 0.9) return (q / 0.9) * 0.7;
  if (q <= 0.99) return 0.7 + ((q - 0.9) / 0.09) * 0.18;
  return 0.88 + ((q - 0.99) / 0.01) * 0.12;
}
const FONT = `font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"`;

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fmt = (ms) => (ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(2));

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** 1-2-5 ticks covering [lo, hi]. */
function logTicks(lo, hi) {
  const ticks = [];
  for (let decade = 10 ** Math.floor(Math.log10(lo)); decade <= hi; decade *= 10) {
    for (const m of [1, 2, 5]) if (decade * m >= lo && decade * m <= hi) ticks.push(decade * m);
  }
  return ticks;
}

/** One panel's curves, axes and legend, its plot area's top-left at (x0, y0). */
function panel(row, x0, y0, xOf, ticks) {
  const { width: w, height: h } = PANEL;
  const yOf = (q) => y0 + h - stretch(q) * h;
  const out = [`<text x="${x0 + w / 2}" y="${y0 - 12}" text-anchor="middle" font-size="15" font-weight="600">${row.students} students</text>`];
  out.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="#fff" stroke="#adb5bd"/>`);
  for (const t of ticks) {
    const x = xOf(t).toFixed(1);
    out.push(`<line x1="${x}" y1="${y0}" x2="${x}" y2="${y0 + h}" stroke="#e9ecef"/>`);
    out.push(`<text x="${x}" y="${y0 + h + 18}" text-anchor="middle" font-size="12" fill="#495057">${fmt(t)}</text>`);
  }
  for (const [q, label] of [[0, "0%"], [0.25, "25%"], [0.5, "p50"], [0.75, "75%"], [0.9, "90%"], [0.99, "p99"], [1, "100%"]]) {
    const y = yOf(q).toFixed(1);
    const strong = q === 0.5 || q === 0.99;
    out.push(`<line x1="${x0}" y1="${y}" x2="${x0 + w}" y2="${y}" stroke="${strong ? "#ced4da" : "#f1f3f5"}"${strong ? ' stroke-dasharray="4 3"' : ""}/>`);
    out.push(`<text x="${x0 - 6}" y="${(+y + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#495057">${label}</text>`);
  }
  const legend = [];
  for (const s of SERIES) {
    const sorted = Float64Array.from(samplesOf(row[s.key])).sort();
    if (!sorted.length) continue;
    const points = [];
    // Dense near the top, where the stretched axis needs the detail.
    const qs = [...Array.from({ length: 300 }, (_, i) => (i / 300) * 0.9), ...Array.from({ length: 201 }, (_, i) => 0.9 + (i / 200) * 0.1)];
    for (const q of qs) {
      points.push(`${xOf(quantile(sorted, Math.max(q, 1e-9))).toFixed(1)},${yOf(q).toFixed(1)}`);
    }
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
    out.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${s.color}" stroke-width="2.2"${dash}/>`);
    legend.push({ s, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) });
  }
  // Each curve's p50 and p99 under the panel: inside it, some corner is always covered by a curve.
  legend.forEach(({ s, p50, p99 }, i) => {
    const y = y0 + h + 66 + i * 18;
    const x = x0 + w / 2 - 90;
    out.push(`<line x1="${x}" y1="${y - 4}" x2="${x + 22}" y2="${y - 4}" stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`);
    out.push(`<text x="${x + 30}" y="${y}" font-size="12" fill="#212529">p50 ${fmt(p50)} ms  ·  p99 ${fmt(p99)} ms</text>`);
  });
  out.push(`<text x="${x0 + w / 2}" y="${y0 + h + 40}" text-anchor="middle" font-size="12.5" fill="#212529">delivery latency, ms (log scale)</text>`);
  return out.join("\n");
}

/**
 * `rows` are the broadcast rows ({ students, thirdspace, floor, baseline },
 * each with raw samples); `meta` is { shares, date, cpu }. Returns SVG text.
 */
export function latencyChart(rows, meta) {
  const all = rows.flatMap((r) => SERIES.map((s) => Float64Array.from(samplesOf(r[s.key])).sort())).filter((s) => s.length);
  // One x range for every panel, so the class sizes compare at a glance.
  const lo = Math.max(0.05, Math.min(...all.map((s) => quantile(s, 0.001))) * 0.8);
  const hi = Math.max(...all.map((s) => s[s.length - 1])) * 1.1;
  const ticks = logTicks(lo, hi);
  const slot = GUTTER + PANEL.width;
  const panels = rows.map((row, i) => {
    const x0 = MARGIN.left + GUTTER + i * slot;
    const xOf = (ms) => x0 + ((Math.log(Math.min(hi, Math.max(lo, ms))) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * PANEL.width;
    return panel(row, x0, MARGIN.top, xOf, ticks);
  });
  const width = Math.max(MIN_WIDTH, MARGIN.left + rows.length * slot + MARGIN.right);
  const height = MARGIN.top + PANEL.height + MARGIN.bottom;
  const legend = SERIES.map((s, i) => {
    const x = MARGIN.left + GUTTER + i * 250;
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
    return `<line x1="${x}" y1="68" x2="${x + 30}" y2="68" stroke="${s.color}" stroke-width="3"${dash}/><text x="${x + 38}" y="72" font-size="13" fill="#212529">${esc(s.label)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${MARGIN.left}" y="26" font-size="18" font-weight="600" fill="#212529">Teacher SHARE → every student: deliveries within a given latency (CDF)</text>
<text x="${MARGIN.left}" y="44" font-size="12" fill="#495057">${esc(`${meta.shares} shares per class size, one at a time · ThirdSpace and the floor in one workerd · y axis stretched above 90% · ${meta.date.slice(0, 10)} · ${meta.cpu}`)}</text>
${legend.join("\n")}
${panels.join("\n")}
</svg>
`;
}
