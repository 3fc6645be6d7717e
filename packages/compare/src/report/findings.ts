import type { PatternStats } from "../metrics.js";
import type { ComparisonResult } from "../run.js";
import { PATTERNS, type PatternId } from "../workloads/types.js";
import { WHY } from "./explanations.js";

/**
 * Who wins each pattern, by how much, and why: the verdict and the margin come from the measured numbers
 * (billed cost first, then requests, then latency), the explanation is fixed per pattern (explanations.ts).
 */
export interface Finding {
  pattern: PatternId;
  title: string;
  /** The grid cell with the lowest billed cost per operation (then fewest requests); "tie" if all are equal. */
  winner: string;
  /** e.g. "2 vs 1 requests per operation; 1.5 vs 0.5 billed RCU: 3.0× cheaper". */
  margin: string;
  why: string;
}

const EPSILON = 1e-9;

const num = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0$/, ""));

/** "3.0×" for big differences, "4%" below 1.5× (where "1.0× cheaper" would hide the difference). */
function ratio(high: number, low: number): string {
  if (low <= EPSILON) return high <= EPSILON ? "equal" : "∞×";
  const factor = high / low;
  return factor < 1.5 ? `${Math.round((1 - low / high) * 100)}%` : `${factor.toFixed(1)}×`;
}

function compare(a: PatternStats, b: PatternStats): number {
  const cost = a.costPerMillionOps - b.costPerMillionOps;
  if (Math.abs(cost) > EPSILON) return cost;
  return a.requestsPerOp - b.requestsPerOp;
}

export function findingFor(pattern: PatternId, rows: PatternStats[]): Finding {
  const title = PATTERNS.find((p) => p.id === pattern)?.title ?? pattern;
  const why = WHY[pattern];
  if (rows.length < 2) {
    const only = rows[0];
    return {
      pattern,
      title,
      winner: "tie",
      margin: only
        ? `only ${only.variant} was measured: ${num(only.requestsPerOp)} requests, ${num(only.billedReadUnitsPerOp)} RCU + ${num(only.billedWriteUnitsPerOp)} WCU billed per operation`
        : "not measured",
      why,
    };
  }
  const sorted = [...rows].sort(compare);
  const best = sorted[0] as PatternStats;
  const worst = sorted[sorted.length - 1] as PatternStats;
  const names = rows.map((row) => row.variant).join(" vs ");
  const series = (pick: (row: PatternStats) => number) => rows.map((row) => num(pick(row))).join(" vs ");
  const parts = [
    `${series((row) => row.requestsPerOp)} requests`,
    `${series((row) => row.billedReadUnitsPerOp)} billed RCU`,
    `${series((row) => row.billedWriteUnitsPerOp)} billed WCU per operation (${names})`,
  ];
  if (compare(best, worst) === 0) {
    return { pattern, title, winner: "tie", margin: `${parts.join(", ")}: the same cost`, why };
  }
  const cheaper =
    best.costPerMillionOps + EPSILON < worst.costPerMillionOps
      ? `${best.variant} is ${ratio(worst.costPerMillionOps, best.costPerMillionOps)} cheaper ($${best.costPerMillionOps.toFixed(3)} vs $${worst.costPerMillionOps.toFixed(3)} per million operations)`
      : `same cost; ${best.variant} needs fewer requests`;
  const requests =
    best.requestsPerOp + EPSILON < worst.requestsPerOp
      ? ` and makes ${ratio(worst.requestsPerOp, best.requestsPerOp)} fewer requests`
      : best.requestsPerOp > worst.requestsPerOp + EPSILON
        ? ` though it makes ${ratio(best.requestsPerOp, worst.requestsPerOp)} more requests`
        : "";
  return { pattern, title, winner: best.variant, margin: `${parts.join(", ")}: ${cheaper}${requests}`, why };
}

export function findings(result: ComparisonResult): Finding[] {
  return PATTERNS.map(({ id }) =>
    findingFor(
      id,
      result.designs.flatMap((design) => design.patterns.filter((stats) => stats.pattern === id)),
    ),
  );
}

/** Wins per design (ties counted apart), for the summary line. */
export function tally(found: Finding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of found) counts[finding.winner] = (counts[finding.winner] ?? 0) + 1;
  return counts;
}
