import { COPY_STRATEGIES, TABLE_DESIGNS } from "@tablelab/core";
import { estimateLatencyMs } from "../latency.js";
import type { CopyMaintenanceStats } from "../metrics.js";
import { type DesignMonth, GROUPS, type GroupId, type MixResult } from "../mix/model.js";
import type { DesignResult } from "../run.js";
import type { SweepPoint } from "../sweep.js";
import type { PatternId } from "../workloads/types.js";
import type { ReportContext } from "./context.js";
import { num } from "./format.js";

/**
 * The grid's own views, as rows both the HTML and the Markdown report render: what one table buys with the copy
 * strategy held equal (single+X vs multi+X), what each copy strategy costs on one design, what keeping copies
 * current costs per write pattern (in the request; on the stream consumer, with its convergence lag), and the
 * fan-out sweep. Figures come from the headline mix (a month of the default workload) and from the run.
 */
export interface GroupComparison {
  group: GroupId;
  label: string;
  /** Per cell compared: cost per month of the group and its mean estimated AWS latency (ms). */
  cells: Array<{ variant: string; cost: number; latencyMs: number; ops: number }>;
}

export interface PairView {
  /** What is held equal (a copy strategy or a design) and what varies. */
  heldEqual: string;
  variants: string[];
  groups: GroupComparison[];
  totals: Array<{ variant: string; cost: number; storageCost: number; latencyMs: number }>;
}

function monthOf(mix: MixResult, variant: string): DesignMonth | undefined {
  return mix.designs.find((design) => design.id === variant);
}

function view(mix: MixResult, heldEqual: string, variants: string[]): PairView | undefined {
  const months = variants.flatMap((variant) => monthOf(mix, variant) ?? []);
  if (months.length < 2) return undefined;
  return {
    heldEqual,
    variants: months.map((month) => month.id),
    groups: GROUPS.map((group) => ({
      group: group.id,
      label: group.label,
      cells: months.map((month) => ({
        variant: month.id,
        cost: month.groups[group.id].cost,
        latencyMs: month.groups[group.id].latencyMs,
        ops: month.groups[group.id].ops,
      })),
    })),
    totals: months.map((month) => ({
      variant: month.id,
      cost: month.totalCost,
      storageCost: month.storageCost,
      latencyMs: month.latencyMs,
    })),
  };
}

/** Per copy strategy run on both designs: single+X vs multi+X. */
export function oneTableViews(mix: MixResult): PairView[] {
  return COPY_STRATEGIES.flatMap(
    (copies) =>
      view(
        mix,
        `copies: ${copies}`,
        TABLE_DESIGNS.map((d) => `${d}+${copies}`),
      ) ?? [],
  );
}

/** Per design run with two or more strategies: design+none vs +sync vs +stream. */
export function strategyViews(mix: MixResult): PairView[] {
  return TABLE_DESIGNS.flatMap(
    (design) =>
      view(
        mix,
        `design: ${design}`,
        COPY_STRATEGIES.map((copies) => `${design}+${copies}`),
      ) ?? [],
  );
}

/** The write patterns whose copy maintenance the report shows (renames, date moves, registrations). */
export const COPY_PATTERNS: readonly PatternId[] = ["AP4", "AP10", "AP11", "AP12"];

export interface CopyMaintenanceRow {
  variant: string;
  pattern: PatternId;
  stats: CopyMaintenanceStats;
}

export function copyMaintenanceRows(designs: readonly DesignResult[]): CopyMaintenanceRow[] {
  return designs.flatMap((design) =>
    design.patterns.flatMap((stats) =>
      stats.copyMaintenance && COPY_PATTERNS.includes(stats.pattern)
        ? [{ variant: design.variant, pattern: stats.pattern, stats: stats.copyMaintenance }]
        : [],
    ),
  );
}

export interface SweepRow {
  variant: string;
  point: SweepPoint;
  /** The AWS latency model on the rename's measured round trips (ms). */
  awsLatencyMs: number;
}

export function sweepRows(designs: readonly DesignResult[]): SweepRow[] {
  return designs.flatMap((design) =>
    (design.sweep ?? []).map((point) => ({
      variant: design.variant,
      point,
      awsLatencyMs: estimateLatencyMs(point.roundTrips),
    })),
  );
}

/** "12 ms / 40 ms / 52 ms" or "—" until the consumer reports lag. */
export function lagText(lag: CopyMaintenanceStats["lagMs"]): string {
  return lag
    ? `${num(lag.p50, 1)} / ${num(lag.p99, 1)} / ${num(lag.max, 1)} ms (${lag.samples} ${lag.samples === 1 ? "window" : "windows"})`
    : "—";
}

/** The consumer's share, or what the strategy means when there is none. */
export function consumerText(variant: string, stats: CopyMaintenanceStats): string {
  if (stats.consumer) {
    const { requestsPerOp, billedWriteUnitsPerOp, billedReadUnitsPerOp } = stats.consumer;
    return `${num(requestsPerOp)} req, ${num(billedWriteUnitsPerOp)} WCU, ${num(billedReadUnitsPerOp)} RCU`;
  }
  return variant.endsWith("+stream") ? "not measured (consumer not wired)" : "—";
}

export function headlineOf(context: ReportContext): MixResult | undefined {
  return context.mixes[0];
}
