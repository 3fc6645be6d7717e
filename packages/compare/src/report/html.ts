import { LATENCY_MODEL } from "../latency.js";
import type { PatternStats } from "../metrics.js";
import type { ComparisonResult, DesignResult } from "../run.js";
import { PATTERNS } from "../workloads/types.js";
import { caveats } from "./caveats.js";
import { barChart, type Chart } from "./charts.js";
import type { ReportContext } from "./context.js";
import { PER_ENTITY_ADVANTAGES, SINGLE_TABLE_ADVANTAGES } from "./explanations.js";
import { bytes, commands, num, usd } from "./format.js";
import { gridHtml } from "./grid-section.js";
import { hotSection } from "./hot.js";
import { colorOf, escapeHtml, htmlTable, inline } from "./html-kit.js";
import { layoutSection } from "./layout-view.js";
import { mixSection, pageData, pageScript, scriptJson } from "./mix-section.js";
import { designName, patternLabel } from "./names.js";
import { scaleSection } from "./scale.js";
import { verdictSection } from "./verdict.js";
import { WRITE_SPLIT_HEADER, WRITE_SPLIT_NOTE, writeSplitRows } from "./write-split.js";

/**
 * compare.html: one self-contained file — inline CSS, SVG and one inline script (bundled from page/script.ts);
 * no CDN, no network. Verdict first, then the team's own workload, then the measured figures behind both.
 */
function charts(result: ComparisonResult): string {
  const designs = result.designs;
  const rowsOf = (kind: "read" | "write", pick: (s: PatternStats) => number) =>
    PATTERNS.filter((p) => p.kind === kind).map((pattern) => ({
      label: patternLabel(pattern.id),
      values: designs.flatMap((design) => {
        const stats = design.patterns.find((p) => p.pattern === pattern.id);
        return stats ? [{ design: design.variant, value: pick(stats) }] : [];
      }),
    }));
  const latency =
    result.meta.target.kind === "dynamodb-local"
      ? "local: DynamoDB Local on this machine"
      : "this machine to the endpoint";
  const estimate = (s: PatternStats) =>
    LATENCY_MODEL.apiOverheadMs.value + s.roundTripsPerOp * LATENCY_MODEL.dynamoRoundTripMs.value;
  const pair = (
    title: string,
    unit: string,
    pick: (s: PatternStats) => number,
    format: Chart["format"],
    note?: string,
  ) =>
    `<div class="pair">${barChart({ title: `${title} — reads`, unit, rows: rowsOf("read", pick), format, ...(note && { note }) })}${barChart(
      {
        title: `${title} — writes`,
        unit,
        rows: rowsOf("write", pick),
        format,
      },
    )}</div>`;
  return [
    pair("Cost per million operations", "USD, on-demand", (s) => s.costPerMillionOps, usd),
    pair(
      "DynamoDB requests per operation",
      "requests",
      (s) => s.requestsPerOp,
      (v) => num(v),
    ),
    pair(
      "Round trips in sequence per operation",
      "round trips",
      (s) => s.roundTripsPerOp,
      (v) => num(v),
      "Requests sent together count once: this, not the request count, is what network latency multiplies.",
    ),
    pair("Estimated AWS latency per operation", "ms, p50 model", estimate, (v) => num(v, 1)),
    `<h3>Measured latency (${escapeHtml(latency)})</h3><p class="local">These are <strong>local</strong> figures: ${
      result.meta.target.kind === "dynamodb-local"
        ? "a JVM on the same small machine, sub-millisecond network. They rank code paths, not AWS latency."
        : "they include this machine's distance to the endpoint."
    }</p>`,
    pair(
      "Measured latency p50 (local)",
      "ms",
      (s) => s.latencyMs.p50,
      (v) => num(v),
    ),
  ].join("");
}

function latencySection(): string {
  const rows = Object.values(LATENCY_MODEL).map((parameter) => [
    escapeHtml(parameter.label),
    `${parameter.value} ${parameter.unit}`,
    inline(parameter.source).replace(/(https:\/\/[^\s)]+)/g, '<a href="$1">$1</a>'),
  ]);
  return `<section id="latency"><h2>AWS latency model</h2>
<p>Estimated latency of an operation = API time outside DynamoDB + round trips in sequence × one DynamoDB round trip. The round trips are measured: the meter records when each request was sent and answered, and requests sent together (in parallel) count once. Both parameters can be changed in <a href="#mix">Your workload</a>.</p>
${htmlTable(["parameter", "value", "source"], rows)}</section>`;
}

function detailTable(result: ComparisonResult, context: ReportContext): string {
  const rows = PATTERNS.flatMap(({ id }) =>
    result.designs.map((design, index) => {
      const s = design.patterns.find((p) => p.pattern === id);
      const winner = context.found.find((f) => f.pattern === id)?.winner;
      return [
        index === 0 ? `<strong>${id}</strong> ${escapeHtml(patternLabel(id).slice(id.length + 1))}` : "",
        `<span class="dot" style="background:${colorOf(index)}"></span>${escapeHtml(design.variant)}${winner === design.variant ? " ✓" : ""}`,
        s ? escapeHtml(commands(s.commandsPerOp)) : "–",
        s ? num(s.requestsPerOp) : "–",
        s ? num(s.roundTripsPerOp) : "–",
        s ? `${num(s.billedReadUnitsPerOp)} / ${num(s.billedWriteUnitsPerOp)}` : "–",
        s ? usd(s.costPerMillionOps) : "–",
        s ? `${num(s.latencyMs.p50)} / ${num(s.latencyMs.p99)}` : "–",
        s ? String(s.errors) : "–",
      ];
    }),
  );
  return htmlTable(
    [
      "access pattern",
      "design",
      "requests per op",
      "requests/op",
      "round trips/op",
      "billed RCU / WCU",
      "$ per million ops",
      "local p50 / p99 ms",
      "errors",
    ],
    rows,
  );
}

function writeSplitSection(result: ComparisonResult): string {
  const rows = writeSplitRows(result);
  if (rows.length === 0) return "";
  return `<h3 id="write-split">Where the write units go: table and indexes</h3><p>${inline(WRITE_SPLIT_NOTE)}</p>${htmlTable(
    WRITE_SPLIT_HEADER,
    rows.map((row) => row.map(escapeHtml)),
  )}`;
}

function storage(result: ComparisonResult): string {
  return htmlTable(
    [
      "design",
      "tables",
      "items",
      "item bytes",
      "bytes/item",
      "GSI entries",
      "billable bytes",
      "storage $/month",
      "Scan census",
    ],
    result.designs.map((design: DesignResult) => {
      const s = design.storage;
      const scanned = design.scannedStorage;
      return [
        escapeHtml(designName(design.variant)),
        String(s.tables.length),
        num(s.items),
        bytes(s.itemBytes),
        num(s.items ? Math.round(s.itemBytes / s.items) : 0),
        num(s.indexEntries),
        bytes(s.billableBytes),
        `$${((s.billableBytes / 1024 ** 3) * result.prices.storageGbMonth).toFixed(4)}`,
        scanned.items === s.items && scanned.itemBytes === s.itemBytes
          ? "✓ same"
          : escapeHtml(`${scanned.items} items, ${bytes(scanned.itemBytes)}`),
      ];
    }),
  );
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;margin:1.5rem auto;max-width:1280px;padding:0 1rem;color:#111}
h1{font-size:1.6rem;margin-bottom:.3rem}h2{margin-top:2.4rem;border-bottom:2px solid #ddd;padding-bottom:.2rem}
nav a{margin-right:1rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f5f5f5}
.scoreboard{font-size:15px}.scoreboard .big{font-size:20px;font-weight:700}.best{background:#dcfce7;color:#166534;border-radius:4px;padding:1px 6px;font-size:12px}
.quotes li{font-size:16px;margin:.5rem 0}.win{color:#166534;font-weight:600}.loss{color:#991b1b;font-weight:600}.even{color:#555}
.pair{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0 0 1rem}figcaption{font-weight:600;font-size:15px;margin-bottom:.2rem}
.chart-note{margin:.1rem 0;font-size:13px;color:#444}.local{background:#f3f4f6;padding:.4rem .8rem}
svg .label{font-size:13px;fill:#222}svg .value{font-size:12px;fill:#333}
.dot{display:inline-block;width:12px;height:12px;margin-right:5px;border-radius:2px;vertical-align:-1px}
.mix-editor{display:flex;gap:1.5rem;flex-wrap:wrap}.mix-inputs{flex:1 1 420px}.mix-outputs{flex:1 1 600px}
fieldset{border:1px solid #ddd;margin:.5rem 0;padding:.4rem .8rem}fieldset label{display:flex;justify-content:space-between;gap:.5rem;margin:.15rem 0;font-size:13px}
fieldset input{width:9rem;font-size:13px}label.ap span{flex:1}#mix-results tr.cheapest td{background:#f0fdf4}.hint{font-size:13px;color:#444}
.panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:1rem;align-items:start}
.design-panel{border:1px solid #ddd;border-radius:6px;padding:.2rem .8rem;overflow-x:auto}
.switch button{font-size:13px;margin:0 .3rem .3rem 0;padding:2px 10px;border:1px solid #888;background:#fff;border-radius:4px;cursor:pointer}.switch button.on{background:#1e3a8a;color:#fff}
.layout{font-size:12px}.layout td.k{font-family:ui-monospace,monospace;white-space:nowrap}.layout td.pk{font-weight:600}
.layout tr.partition td{background:#eef2ff;font-size:12px}.layout tr.sparse td{background:#f3f4f6;color:#555}
.layout td.attrs{white-space:nowrap}.layout tr.absent td{opacity:.45}.attr{display:inline-block;margin:0 .6rem .1rem 0;font-family:ui-monospace,monospace;font-size:12px}.attr b{color:#555;font-weight:600}
.e-user td.pk,.swatch.e-user{border-left:6px solid #2563eb}.e-event td.pk,.swatch.e-event{border-left:6px solid #f59e0b}.e-registration td.pk,.swatch.e-registration{border-left:6px solid #10b981}
.swatch{padding:0 .6rem;margin-right:1rem}
.layout tr.hit td{background:#fef08a!important;opacity:1}.reads{font-size:13px}
.grid-pair td:first-child{font-weight:600}.sweep td{white-space:nowrap}
.note{background:#fffbe6;border:1px solid #f0e0a0;padding:.5rem .8rem}li{margin:.25rem 0}code{font-size:90%}
`;

export function renderHtml(context: ReportContext): string {
  const { result, found } = context;
  const { meta, prices } = result;
  const local = meta.target.kind === "dynamodb-local";
  const title = `tablelab: ${result.designs.map((d) => designName(d.variant)).join(" vs ")}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>Measured ${escapeHtml(meta.startedAt)} on ${local ? "DynamoDB Local (started by the run)" : escapeHtml(`${meta.target.endpoint ?? "AWS"} ${meta.target.region ?? ""}`)}: seed <code>${escapeHtml(meta.seed)}</code>,
${num(meta.dataset.users)} users, ${num(meta.dataset.events)} events (${meta.dataset.fullEvents} full), ${num(meta.dataset.registrations)} registrations;
${meta.ops} operations per pattern and design at concurrency ${meta.concurrency}; ${(meta.durationMs / 1000).toFixed(1)} s.</p>
<nav><a href="#verdict">Verdict</a><a href="#grid">Grid</a><a href="#sweep">Fan-out sweep</a><a href="#mix">Your workload</a><a href="#charts">Per pattern</a><a href="#latency">Latency model</a><a href="#scale">Scale</a><a href="#hot">Hot partitions</a><a href="#layout">Layout</a><a href="#details">Details</a></nav>
${verdictSection(context)}
${gridHtml(context)}
${mixSection(context)}
<section id="charts"><h2>Per access pattern: cost and requests first</h2>
<p class="legend">${result.designs
    .map(
      (design, index) =>
        `<span><span class="dot" style="background:${colorOf(index)}"></span>${escapeHtml(designName(design.variant))} <code>${escapeHtml(design.variant)}</code></span>`,
    )
    .join(" ")}</p>
${charts(result)}</section>
${latencySection()}
${scaleSection(context)}
${hotSection(context)}
${layoutSection(result.designs)}
<section id="details"><h2>Details</h2>
<p>Prices: on-demand ${escapeHtml(prices.region)}: $${prices.writeRequestUnitPerMillion}/million WRU, $${prices.readRequestUnitPerMillion}/million RRU, $${prices.storageGbMonth}/GB-month, as of ${escapeHtml(prices.asOf)} (<a href="${escapeHtml(prices.source)}">${escapeHtml(prices.source)}</a>). ${escapeHtml(prices.note ?? "")}</p>
<div class="note"><ul>${caveats(local, meta.calibration)
    .map((line) => `<li>${inline(line)}</li>`)
    .join("")}</ul></div>
<h3>Every pattern, every design</h3>${detailTable(result, context)}
${writeSplitSection(result)}
<h3>Where each design wins, and why</h3><ul>${found
    .map(
      (f) =>
        `<li><strong>${f.pattern}</strong> ${escapeHtml(f.title)} — ${f.winner === "tie" ? "no winner" : `<strong>${escapeHtml(f.winner)}</strong> wins`}: ${escapeHtml(f.margin)}. ${inline(f.why)}</li>`,
    )
    .join("")}</ul>
<h3>Where one table per entity is better</h3><ul>${PER_ENTITY_ADVANTAGES.map((line) => `<li>${inline(line)}</li>`).join("")}</ul>
<h3>Where single-table design is better</h3><ul>${SINGLE_TABLE_ADVANTAGES.map((line) => `<li>${inline(line)}</li>`).join("")}</ul>
<h3>Storage</h3>${storage(result)}
<p>Method and billing rules: <code>docs/comparison.md</code>. Data: <code>compare.json</code>.</p></section>
<script type="application/json" id="tablelab-data">${scriptJson(pageData(context))}</script>
<script>${pageScript()}</script>
</body></html>
`;
}
