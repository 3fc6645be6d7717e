import type { PatternStats } from "../metrics.js";
import { GROUPS, type MixResult } from "../mix/model.js";
import type { PatternId } from "../workloads/types.js";
import type { ReportContext } from "./context.js";
import { colorOf, escapeHtml, htmlTable, money } from "./html-kit.js";
import { designName, patternLabel } from "./names.js";

/**
 * The report's first screen: per design, a month of the headline workload (cost, requests, estimated AWS
 * latency), wins and losses per group of patterns, and the sentences a team would quote, each with its figures.
 */
const num = (value: number, digits = 1) =>
  Number.isInteger(value)
    ? value.toLocaleString("en-US")
    : value.toLocaleString("en-US", { maximumFractionDigits: digits });

const ms = (value: number) => `~${value.toFixed(0)} ms`;

function compact(value: number): string {
  if (value >= 1e9) return `${num(value / 1e9)} B`;
  if (value >= 1e6) return `${num(value / 1e6)} M`;
  if (value >= 1e3) return `${num(value / 1e3)} k`;
  return num(value);
}

function stat(context: ReportContext, design: string, pattern: PatternId): PatternStats | undefined {
  return context.result.designs.find((d) => d.variant === design)?.patterns.find((p) => p.pattern === pattern);
}

function ratioText(high: number, low: number): string {
  if (low <= 0) return "more";
  const factor = high / low;
  return factor < 1.5 ? `${Math.round((factor - 1) * 100)}% more` : `${factor.toFixed(1)}× as much`;
}

/**
 * Cells compared with one axis held equal (`copies`: single+X vs multi+X; `design`: X+none vs X+sync vs
 * X+stream), by variant name; every cell in one group when no such pair was run.
 */
function likeForLike(
  cells: ReadonlyArray<{ variant: string; design: string; copies: string }>,
  held: "copies" | "design",
) {
  const groups = new Map<string, string[]>();
  for (const cell of cells) groups.set(cell[held], [...(groups.get(cell[held]) ?? []), cell.variant]);
  const pairs = [...groups.values()].filter((group) => group.length > 1);
  return pairs.length > 0 ? pairs : [cells.map((cell) => cell.variant)];
}

/** The 2–3 sentences to quote, each built from this run's figures. */
export function quotableSentences(context: ReportContext): string[] {
  const headline = context.mixes[0];
  const sentences: string[] = [];
  if (!headline || headline.designs.length < 2) return sentences;
  const byCost = [...headline.designs].sort((a, b) => a.totalCost - b.totalCost);
  const cheapest = byCost[0];
  const dearest = byCost[byCost.length - 1];
  if (cheapest && dearest) {
    sentences.push(
      `For a ${headline.mix.name} (${compact(headline.totalOps)} operations a month, ${compact(headline.mix.users)} users, ` +
        `${compact(headline.mix.events)} events), ${cheapest.label} costs ${money(cheapest.totalCost)} a month and ` +
        `${dearest.label} ${money(dearest.totalCost)} (${ratioText(dearest.totalCost, cheapest.totalCost)}); ` +
        `estimated AWS latency ${ms(cheapest.latencyMs)} vs ${ms(dearest.latencyMs)} per operation on average.`,
    );
  }
  const cells = context.result.designs;
  // Joined reads: the pattern whose requests differ most between designs, with the copies held equal when the
  // run has a strategy on both designs (otherwise the table count and the copies would be credited together).
  const joined = GROUPS.find((g) => g.id === "joined")?.patterns ?? [];
  let best: { pattern: PatternId; low: PatternStats; high: PatternStats } | undefined;
  for (const [pattern, group] of joined.flatMap((p) => likeForLike(cells, "copies").map((g) => [p, g] as const))) {
    const rows = group
      .flatMap((d) => stat(context, d, pattern) ?? [])
      .sort((a, b) => a.requestsPerOp - b.requestsPerOp || a.roundTripsPerOp - b.roundTripsPerOp);
    const low = rows[0];
    const high = rows[rows.length - 1];
    if (!low || !high || high.requestsPerOp - low.requestsPerOp <= 0) continue;
    if (!best || high.requestsPerOp - low.requestsPerOp > best.high.requestsPerOp - best.low.requestsPerOp)
      best = { pattern, low, high };
  }
  const model = context.model.latency;
  if (best) {
    const est = (s: PatternStats) => model.apiOverheadMs + s.roundTripsPerOp * model.dynamoRoundTripMs;
    sentences.push(
      `Joined reads: ${designName(best.low.variant)} answers ${patternLabel(best.pattern)} with ${num(best.low.requestsPerOp, 2)} request(s) ` +
        `in ${num(best.low.roundTripsPerOp, 2)} round trip(s), ${designName(best.high.variant)} with ${num(best.high.requestsPerOp, 2)} in ` +
        `${num(best.high.roundTripsPerOp, 2)}: ${ms(est(best.low))} vs ${ms(est(best.high))} estimated on AWS ` +
        `(${num(best.low.latencyMs.p50, 2)} vs ${num(best.high.latencyMs.p50, 2)} ms p50 measured locally).`,
    );
  }
  // Fan-out writes: the pattern whose billed write units differ most (ratio).
  const fanOut = GROUPS.find((g) => g.id === "renames")?.patterns ?? [];
  let widest: { pattern: PatternId; low: PatternStats; high: PatternStats } | undefined;
  const ratio = (w: { low: PatternStats; high: PatternStats }) =>
    w.high.billedWriteUnitsPerOp / Math.max(1e-9, w.low.billedWriteUnitsPerOp);
  // Fan-out writes: what the copy strategy costs, on one design at a time when the run has several strategies.
  for (const [pattern, group] of fanOut.flatMap((p) => likeForLike(cells, "design").map((g) => [p, g] as const))) {
    const rows = group
      .flatMap((d) => stat(context, d, pattern) ?? [])
      .sort((a, b) => a.billedWriteUnitsPerOp - b.billedWriteUnitsPerOp);
    const low = rows[0];
    const high = rows[rows.length - 1];
    if (!low || !high) continue;
    if (!widest || ratio({ low, high }) > ratio(widest)) widest = { pattern, low, high };
  }
  if (widest && ratio(widest) > 1.05) {
    sentences.push(
      `Renames and moves: ${patternLabel(widest.pattern)} costs ${num(widest.low.billedWriteUnitsPerOp, 2)} billed WCU per operation ` +
        `on ${designName(widest.low.variant)} and ${num(widest.high.billedWriteUnitsPerOp, 2)} on ${designName(widest.high.variant)} ` +
        `(${num(widest.high.itemsPerOp, 1)} items touched on average in this run; the gap grows with registrations per event).`,
    );
  }
  return sentences;
}

function groupWins(
  context: ReportContext,
  design: string,
  patterns: readonly PatternId[],
): { won: number; lost: number } {
  let won = 0;
  let lost = 0;
  for (const pattern of patterns) {
    const finding = context.found.find((f) => f.pattern === pattern);
    if (!finding || finding.winner === "tie") continue;
    if (finding.winner === design) won++;
    else lost++;
  }
  return { won, lost };
}

export function verdictSection(context: ReportContext): string {
  const headline = context.mixes[0] as MixResult;
  const cheapest = headline.ranking[0];
  const fastest = [...headline.designs].sort((a, b) => a.latencyMs - b.latencyMs)[0]?.id;
  const scoreboard = htmlTable(
    ["design", "cost per month", "reads / writes / storage", "requests per month", "AWS latency (est., mean per op)"],
    headline.designs.map((design, index) => [
      `<span class="dot" style="background:${colorOf(index)}"></span><strong>${escapeHtml(design.label)}</strong> <code>${escapeHtml(design.id)}</code>`,
      `<span class="big">${money(design.totalCost)}</span>${design.id === cheapest ? ' <span class="best">cheapest</span>' : ""}`,
      `${money(design.readCost)} / ${money(design.writeCost)} / ${money(design.storageCost)}`,
      compact(design.requests),
      `<span class="big">${ms(design.latencyMs)}</span>${design.id === fastest ? ' <span class="best">fastest</span>' : ""}`,
    ]),
    ' class="scoreboard"',
  );
  const groups = htmlTable(
    [
      "group (patterns)",
      ...headline.designs.map(
        (d, i) => `<span class="dot" style="background:${colorOf(i)}"></span>${escapeHtml(d.label)}`,
      ),
    ],
    GROUPS.map((group) => {
      const cheapestInGroup = [...headline.designs].sort(
        (a, b) => a.groups[group.id].cost - b.groups[group.id].cost,
      )[0];
      return [
        `<strong>${escapeHtml(group.label)}</strong><br><small>${group.patterns.map((p) => escapeHtml(patternLabel(p))).join("; ")}</small>`,
        ...headline.designs.map((design) => {
          const { won, lost } = groupWins(context, design.id, group.patterns);
          const g = design.groups[group.id];
          const mark = won > lost ? "win" : lost > won ? "loss" : "even";
          return `<span class="${mark}">${mark === "win" ? "wins" : mark === "loss" ? "loses" : "even"}: ${won} won, ${lost} lost</span><br>${money(g.cost)}/month${
            cheapestInGroup?.id === design.id && g.ops > 0 ? " ✓" : ""
          } · ${g.ops > 0 ? ms(g.latencyMs) : "–"}`;
        }),
      ];
    }),
    ' class="groups"',
  );
  return `<section id="verdict"><h2>Verdict</h2>
<p>Default workload: <strong>${escapeHtml(headline.mix.name)}</strong> — ${compact(headline.totalOps)} operations a month, ${compact(headline.mix.users)} users, ${compact(
    headline.mix.events,
  )} events, ${num(headline.mix.registrationsPerEvent)} registrations per event (change it under <a href="#mix">Your workload</a>). Cost is on-demand, ${escapeHtml(
    context.result.prices.region,
  )}; latency is estimated for AWS from each operation's measured round trips (<a href="#latency">model</a>).</p>
${scoreboard}
<ul class="quotes">${quotableSentences(context)
    .map((sentence) => `<li>${escapeHtml(sentence)}</li>`)
    .join("")}</ul>
<h3>Wins and losses by group</h3>
<p>“Won/lost”: patterns where the design has the lowest billed cost per operation (then fewest requests), from the run. Cost per month and estimated latency: the group's share of the default workload.</p>
${groups}</section>`;
}
