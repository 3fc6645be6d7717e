import type { ReportContext } from "./context.js";
import { num } from "./format.js";
import {
  consumerText,
  copyMaintenanceRows,
  headlineOf,
  lagText,
  oneTableViews,
  type PairView,
  strategyViews,
  sweepRows,
} from "./grid.js";
import { escapeHtml, htmlTable, money } from "./html-kit.js";
import { designName, patternLabel } from "./names.js";

/**
 * The grid in the report (HTML and Markdown from the same rows, grid.ts): what one table buys with the copies held
 * equal, what each copy strategy costs per design, copy maintenance per write pattern, and the fan-out sweep.
 */
type Cell = string;
type Table = { header: Cell[]; rows: Cell[][] };

const ms = (value: number) => `~${value.toFixed(0)} ms`;

function delta(base: number, other: number): string {
  const diff = other - base;
  if (Math.abs(diff) < 1e-9) return "same";
  const pct = base > 0 ? ` (${diff > 0 ? "+" : ""}${Math.round((diff / base) * 100)}%)` : "";
  return `${diff > 0 ? "+" : "−"}${money(Math.abs(diff))}${pct}`;
}

/** Rows: pattern groups; columns: each cell's cost and latency, and the others' difference to the first. */
function pairTable(view: PairView): Table {
  const [first, ...others] = view.variants;
  const header = [
    "group",
    ...view.variants.map((variant) => `${variant} $/month · AWS latency`),
    ...others.map((variant) => `${variant} vs ${first}`),
  ];
  const rows = view.groups.map((group) => {
    const base = group.cells[0];
    return [
      group.label,
      ...group.cells.map((cell) => (cell.ops > 0 ? `${money(cell.cost)} · ${ms(cell.latencyMs)}` : "–")),
      ...group.cells.slice(1).map((cell) => (base && cell.ops > 0 ? delta(base.cost, cell.cost) : "–")),
    ];
  });
  const base = view.totals[0];
  rows.push([
    "total (with storage)",
    ...view.totals.map((total) => `${money(total.cost)} · ${ms(total.latencyMs)}`),
    ...view.totals.slice(1).map((total) => (base ? delta(base.cost, total.cost) : "–")),
  ]);
  return { header, rows };
}

function copyTable(context: ReportContext): Table {
  return {
    header: [
      "design",
      "write pattern",
      "copy writes in the request (per op)",
      "their WCU (per op)",
      "stream consumer (per op)",
      "convergence lag p50 / p99 / max",
    ],
    rows: copyMaintenanceRows(context.result.designs).map((row) => [
      row.variant,
      patternLabel(row.pattern),
      num(row.stats.inRequest.requestsPerOp),
      num(row.stats.inRequest.writeUnitsPerOp),
      consumerText(row.variant, row.stats),
      row.variant.endsWith("+stream") ? lagText(row.stats.lagMs) : "— (before the response)",
    ]),
  };
}

function sweepTable(context: ReportContext): Table {
  return {
    header: [
      "design",
      "copies",
      "outcome",
      "requests",
      "round trips",
      "billed WCU",
      "local latency",
      "AWS latency (est.)",
      "copy writes in the request",
      "stream consumer",
      "convergence lag p50 / p99 / max",
    ],
    rows: sweepRows(context.result.designs).map(({ variant, point, awsLatencyMs }) => [
      variant,
      point.copies.toLocaleString("en-US"),
      point.outcome === "renamed" ? "renamed" : `${point.outcome}: ${point.message ?? ""}`,
      num(point.requests),
      num(point.roundTrips),
      num(point.billedWriteUnits),
      `${num(point.latencyMs, 1)} ms`,
      ms(awsLatencyMs),
      `${num(point.copyMaintenance.inRequest.requestsPerOp)} (${num(point.copyMaintenance.inRequest.writeUnitsPerOp)} WCU)`,
      consumerText(variant, point.copyMaintenance),
      variant.endsWith("+stream") ? lagText(point.copyMaintenance.lagMs) : "—",
    ]),
  };
}

const GRID_INTRO =
  "Each cell of the grid is a table design × a copy strategy: `none` (registrations hold no copies; lists join the names with one BatchGetItem per page), `sync` (copies written in the request, bounded), `stream` (the request writes the original; a stream consumer updates the copies). Comparing single+X with multi+X holds the copies equal, so the difference is what the number of tables buys; comparing X+none, X+sync and X+stream on one design is what copying costs.";

const SWEEP_INTRO =
  "One event renamed with n registrations (n copies of its name under sync and stream), per design: the request's cost and latency as the fan-out grows. Under sync a rename past the store's limit (1,000 copies) is refused with 409 too_many_copies before anything is written — recorded here as the outcome. Under stream the request stays one write; the consumer's requests and the convergence lag are measured on its own meter.";

export function gridHtml(context: ReportContext): string {
  const mix = headlineOf(context);
  if (!mix) return "";
  const render = (table: Table, attributes = "") =>
    htmlTable(
      table.header.map(escapeHtml),
      table.rows.map((row) => row.map(escapeHtml)),
      attributes,
    );
  const oneTable = oneTableViews(mix);
  const strategies = strategyViews(mix);
  const copies = copyTable(context);
  const sweep = sweepTable(context);
  return `<section id="grid"><h2>The grid: what one table buys, and what copies cost</h2>
<p>${escapeHtml(GRID_INTRO)} Figures: a month of the default workload (${escapeHtml(mix.mix.name)}) per group of patterns, and the estimated AWS latency per operation.</p>
<h3 id="one-table">What one table buys (copies held equal)</h3>
${
  oneTable.length
    ? oneTable
        .map(
          (view) =>
            `<h4>${escapeHtml(view.heldEqual)}: ${view.variants.map((v) => escapeHtml(designName(v))).join(" vs ")}</h4>${render(pairTable(view), ' class="grid-pair"')}`,
        )
        .join("")
    : "<p>Not measured: run both designs with the same copy strategy (e.g. <code>--designs single+sync,multi+sync</code>).</p>"
}
<h3 id="copy-costs">What each copy strategy costs, per design</h3>
${
  strategies.length
    ? strategies
        .map((view) => `<h4>${escapeHtml(view.heldEqual)}</h4>${render(pairTable(view), ' class="grid-pair"')}`)
        .join("")
    : "<p>Not measured: run one design with two or more copy strategies (e.g. <code>--designs single</code>).</p>"
}
<h3 id="copy-maintenance">Copy maintenance per write pattern</h3>
<p class="hint">Copy writes inside the request are the UpdateItems that rewrite a registration's copies (sync's fan-out; the event date's, a sort key kept in every strategy). The stream consumer's requests are counted on its own meter, apart from the measured requests.</p>
${copies.rows.length ? render(copies) : "<p>No write pattern measured.</p>"}
</section>
<section id="sweep"><h2>Fan-out sweep: copies per rename</h2>
<p>${escapeHtml(SWEEP_INTRO)}</p>
${sweep.rows.length ? render(sweep, ' class="sweep"') : "<p>Not run (<code>--no-sweep</code>).</p>"}
</section>`;
}

function markdownTable(table: Table): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  return [
    `| ${table.header.map(cell).join(" | ")} |`,
    `| ${table.header.map(() => "---").join(" | ")} |`,
    ...table.rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ].join("\n");
}

export function gridMarkdown(context: ReportContext): string[] {
  const mix = headlineOf(context);
  if (!mix) return [];
  const out = ["## The grid: what one table buys, and what copies cost", "", GRID_INTRO, ""];
  out.push("### What one table buys (copies held equal)", "");
  const oneTable = oneTableViews(mix);
  if (oneTable.length === 0) out.push("Not measured: run both designs with the same copy strategy.", "");
  for (const view of oneTable)
    out.push(`**${view.heldEqual}** (${mix.mix.name}, per month)`, "", markdownTable(pairTable(view)), "");
  out.push("### What each copy strategy costs, per design", "");
  const strategies = strategyViews(mix);
  if (strategies.length === 0) out.push("Not measured: run one design with two or more copy strategies.", "");
  for (const view of strategies)
    out.push(`**${view.heldEqual}** (${mix.mix.name}, per month)`, "", markdownTable(pairTable(view)), "");
  const copies = copyTable(context);
  if (copies.rows.length) out.push("### Copy maintenance per write pattern", "", markdownTable(copies), "");
  const sweep = sweepTable(context);
  out.push("## Fan-out sweep: copies per rename", "", SWEEP_INTRO, "");
  out.push(sweep.rows.length ? markdownTable(sweep) : "Not run (`--no-sweep`).", "");
  return out;
}
