import type { TableDesign } from "@tablelab/core";
import type { PatternStats } from "../metrics.js";
import type { ComparisonResult, DesignResult } from "../run.js";
import type { SampleTable } from "../samples.js";
import { PATTERNS } from "../workloads/types.js";
import { caveats } from "./caveats.js";
import { PER_ENTITY_ADVANTAGES, SINGLE_TABLE_ADVANTAGES } from "./explanations.js";
import type { Finding } from "./findings.js";
import { bytes, commands, num, usd } from "./format.js";
import { designName } from "./markdown.js";

/** compare.html: one self-contained file — inline CSS and SVG, no script, no CDN. */

const COLORS = ["#2563eb", "#f59e0b", "#10b981", "#ef4444"];

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Markdown-ish inline code and bold in the fixed texts → HTML. */
const inline = (text: string) =>
  escapeHtml(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");

interface Metric {
  title: string;
  unit: string;
  pick: (stats: PatternStats) => number;
  format: (value: number) => string;
}

const METRICS: Metric[] = [
  { title: "DynamoDB requests per operation", unit: "requests", pick: (s) => s.requestsPerOp, format: (v) => num(v) },
  {
    title: "Billed read capacity per operation",
    unit: "RCU",
    pick: (s) => s.billedReadUnitsPerOp,
    format: (v) => num(v),
  },
  {
    title: "Billed write capacity per operation",
    unit: "WCU",
    pick: (s) => s.billedWriteUnitsPerOp,
    format: (v) => num(v),
  },
  { title: "On-demand cost per million operations", unit: "USD", pick: (s) => s.costPerMillionOps, format: usd },
  { title: "Latency p50 (local: see caveats)", unit: "ms", pick: (s) => s.latencyMs.p50, format: (v) => num(v) },
  { title: "Latency p99 (local: see caveats)", unit: "ms", pick: (s) => s.latencyMs.p99, format: (v) => num(v) },
];

function barChart(metric: Metric, designs: DesignResult[]): string {
  const barHeight = 11;
  const gap = 6;
  const labelWidth = 56;
  const width = 620;
  const plot = width - labelWidth - 90;
  const rowHeight = designs.length * barHeight + gap;
  const values = designs.flatMap((design) => design.patterns.map(metric.pick));
  const max = Math.max(...values, 1e-9);
  const height = PATTERNS.length * rowHeight + 8;
  const parts: string[] = [];
  PATTERNS.forEach(({ id, title }, row) => {
    const y0 = 4 + row * rowHeight;
    parts.push(
      `<text x="0" y="${y0 + (designs.length * barHeight) / 2 + 4}" class="label"><title>${escapeHtml(title)}</title>${id}</text>`,
    );
    designs.forEach((design, index) => {
      const stats = design.patterns.find((p) => p.pattern === id);
      if (!stats) return;
      const value = metric.pick(stats);
      const w = Math.max(value > 0 ? 1 : 0, (value / max) * plot);
      const y = y0 + index * barHeight;
      parts.push(
        `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight - 2}" fill="${COLORS[index % COLORS.length]}"><title>${escapeHtml(`${id} ${design.design}: ${metric.format(value)} ${metric.unit}`)}</title></rect>`,
        `<text x="${(labelWidth + w + 4).toFixed(1)}" y="${y + barHeight - 3}" class="value">${escapeHtml(metric.format(value))}</text>`,
      );
    });
  });
  return `<figure><figcaption>${escapeHtml(metric.title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(metric.title)}">${parts.join("")}</svg></figure>`;
}

function legend(designs: DesignResult[]): string {
  return `<p class="legend">${designs
    .map(
      (design, index) =>
        `<span><i style="background:${COLORS[index % COLORS.length]}"></i>${escapeHtml(design.design)} — ${escapeHtml(designName(design.design))}</span>`,
    )
    .join(" ")}</p>`;
}

function htmlTable(header: string[], rows: string[][]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

function summary(result: ComparisonResult, found: Finding[]): string {
  const rows = PATTERNS.flatMap(({ id, title }) =>
    result.designs.map((design, index) => {
      const s = design.patterns.find((p) => p.pattern === id);
      const winner = found.find((f) => f.pattern === id)?.winner;
      return [
        index === 0 ? `<strong>${id}</strong> ${escapeHtml(title)}` : "",
        `<span class="dot" style="background:${COLORS[index % COLORS.length]}"></span>${escapeHtml(design.design)}${winner === design.design ? " ✓" : ""}`,
        s ? escapeHtml(commands(s.commandsPerOp)) : "–",
        s ? num(s.requestsPerOp) : "–",
        s ? `${num(s.readUnitsPerOp)} / ${num(s.writeUnitsPerOp)}` : "–",
        s ? `${num(s.billedReadUnitsPerOp)} / ${num(s.billedWriteUnitsPerOp)}` : "–",
        s ? usd(s.costPerMillionOps) : "–",
        s ? `${num(s.latencyMs.p50)} / ${num(s.latencyMs.p95)} / ${num(s.latencyMs.p99)}` : "–",
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
      "reported RCU / WCU",
      "billed RCU / WCU",
      "$ per million ops",
      "p50 / p95 / p99 ms",
      "errors",
    ],
    rows,
  );
}

function attributeList(item: Record<string, unknown>, skip: string[]): string {
  return Object.entries(item)
    .filter(([name]) => !skip.includes(name))
    .map(([name, value]) => {
      const text = typeof value === "string" ? value : JSON.stringify(value);
      const short = text.length > 48 ? `${text.slice(0, 45)}…` : text;
      return `<span class="attr"><b>${escapeHtml(name)}</b> ${escapeHtml(short)}</span>`;
    })
    .join(" ");
}

function layoutTable(sample: SampleTable, tableName: string): string {
  const rows: string[] = [];
  for (const partition of sample.partitions) {
    partition.items.forEach((item, index) => {
      rows.push(
        `<tr>${index === 0 ? `<td class="pk" rowspan="${partition.items.length}">${escapeHtml(partition.partitionKey)}</td>` : ""}${
          sample.rangeKey ? `<td class="sk">${escapeHtml(String(item[sample.rangeKey] ?? ""))}</td>` : ""
        }<td>${attributeList(item, [sample.hashKey, ...(sample.rangeKey ? [sample.rangeKey] : [])])}</td></tr>`,
      );
    });
  }
  return `<h4>${escapeHtml(sample.tableId)} <small>(${escapeHtml(tableName)})</small></h4><table class="layout"><thead><tr><th>${escapeHtml(sample.hashKey)} (partition key)</th>${
    sample.rangeKey ? `<th>${escapeHtml(sample.rangeKey)} (sort key)</th>` : ""
  }<th>attributes</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function layouts(result: ComparisonResult): string {
  return result.designs
    .map(
      (design) =>
        `<section class="design"><h3>${escapeHtml(design.design)} — ${escapeHtml(designName(design.design))}</h3>${design.samples
          .map((sample) => layoutTable(sample, design.tables[sample.tableId] ?? sample.tableId))
          .join("")}</section>`,
    )
    .join("");
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
    result.designs.map((design) => {
      const s = design.storage;
      const scanned = design.scannedStorage;
      return [
        escapeHtml(design.design),
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
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#111}
h1{font-size:1.5rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:12.5px}th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f5f5f5}.charts{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}figcaption{font-weight:600;margin-bottom:.2rem}
svg .label{font-size:11px;fill:#333}svg .value{font-size:10px;fill:#555}
.legend span{margin-right:1.2rem}.legend i,.dot{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.layout td.pk{background:#eef4ff;font-family:ui-monospace,monospace;white-space:nowrap}.layout td.sk{font-family:ui-monospace,monospace;white-space:nowrap}
.attr{display:inline-block;margin:0 .6rem .1rem 0;font-family:ui-monospace,monospace;font-size:11px}.attr b{color:#555;font-weight:600}
.note{background:#fffbe6;border:1px solid #f0e0a0;padding:.5rem .8rem}li{margin:.25rem 0}code{font-size:90%}
`;

export function renderHtml(result: ComparisonResult, found: Finding[]): string {
  const { meta, prices } = result;
  const local = meta.target.kind === "dynamodb-local";
  const designs = result.designs;
  const title = `tablelab: ${designs.map((d) => designName(d.design as TableDesign)).join(" vs ")} — measured`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>Run ${escapeHtml(meta.startedAt)} on ${local ? "DynamoDB Local (started by the run)" : escapeHtml(`${meta.target.endpoint ?? "AWS"} ${meta.target.region ?? ""}`)}; seed <code>${escapeHtml(meta.seed)}</code>;
${num(meta.dataset.users)} users, ${num(meta.dataset.events)} events (${meta.dataset.fullEvents} full), ${num(meta.dataset.registrations)} registrations;
${meta.ops} operations per pattern and design at concurrency ${meta.concurrency}; ${(meta.durationMs / 1000).toFixed(1)} s.</p>
<p>Prices: on-demand ${escapeHtml(prices.region)}: $${prices.writeRequestUnitPerMillion}/million WRU, $${prices.readRequestUnitPerMillion}/million RRU, $${prices.storageGbMonth}/GB-month, as of ${escapeHtml(prices.asOf)} (<a href="${escapeHtml(prices.source)}">${escapeHtml(prices.source)}</a>). ${escapeHtml(prices.note ?? "")}</p>
<div class="note"><ul>${caveats(local, meta.calibration)
    .map((line) => `<li>${inline(line)}</li>`)
    .join("")}</ul></div>
<h2>Charts</h2>${legend(designs)}
<div class="charts">${METRICS.map((metric) => barChart(metric, designs)).join("")}</div>
<h2>Per access pattern</h2>${summary(result, found)}
<h2>Where each design wins, and why</h2><ul>${found
    .map(
      (f) =>
        `<li><strong>${f.pattern}</strong> ${escapeHtml(f.title)} — ${f.winner === "tie" ? "no winner" : `<strong>${escapeHtml(f.winner)}</strong> wins`}: ${escapeHtml(f.margin)}. ${inline(f.why)}</li>`,
    )
    .join("")}</ul>
<h3>Where one table per entity is better</h3><ul>${PER_ENTITY_ADVANTAGES.map((line) => `<li>${inline(line)}</li>`).join("")}</ul>
<h3>Where single-table design is better</h3><ul>${SINGLE_TABLE_ADVANTAGES.map((line) => `<li>${inline(line)}</li>`).join("")}</ul>
<h2>Storage</h2>${storage(result)}
<h2>Table layout</h2>
<p>Sample items of each design — one user who organizes and attends, one of their events with a few registrations — grouped by partition key, as the items were written.</p>
${layouts(result)}
<p>Method and billing rules: <code>docs/comparison.md</code>. Data: <code>compare.json</code>.</p>
</body></html>
`;
}
