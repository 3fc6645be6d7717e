import type { DbCall, TableDesign } from "@tablelab/core";
import { type BillingCalibration, billCalls, costPerMillionOps, type Prices } from "./billing.js";
import type { PatternId } from "./workloads/types.js";

/** One measured operation: what the meter saw during it, billed by AWS's rules, and how long it took. */
export interface OpRecord {
  design: TableDesign;
  pattern: PatternId;
  variant?: string;
  requests: number;
  readUnits: number;
  writeUnits: number;
  billedReadUnits: number;
  billedWriteUnits: number;
  /** Requests per command (GetItem, Query, …). */
  commands: Record<string, number>;
  latencyMs: number;
  items: number;
  error?: string;
}

export function recordOf(
  base: { design: TableDesign; pattern: PatternId; variant?: string | undefined },
  calls: readonly DbCall[],
  latencyMs: number,
  items: number,
  calibration: BillingCalibration,
  error?: string,
): OpRecord {
  const billed = billCalls(calls, calibration);
  const commands: Record<string, number> = {};
  for (const call of calls) commands[call.command] = (commands[call.command] ?? 0) + 1;
  return {
    design: base.design,
    pattern: base.pattern,
    ...(base.variant !== undefined && { variant: base.variant }),
    requests: calls.length,
    readUnits: sum(calls.map((call) => call.readUnits)),
    writeUnits: sum(calls.map((call) => call.writeUnits)),
    billedReadUnits: billed.readUnits,
    billedWriteUnits: billed.writeUnits,
    commands,
    latencyMs,
    items,
    ...(error !== undefined && { error }),
  };
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Per-operation means of the deterministic figures (requests and capacity). */
export interface CostFigures {
  ops: number;
  errors: number;
  requestsPerOp: number;
  readUnitsPerOp: number;
  writeUnitsPerOp: number;
  billedReadUnitsPerOp: number;
  billedWriteUnitsPerOp: number;
  costPerMillionOps: number;
  itemsPerOp: number;
  commandsPerOp: Record<string, number>;
}

export interface WalkStats {
  lists: number;
  pagesPerList: number;
  itemsPerList: number;
  requestsPerList: number;
  billedReadUnitsPerList: number;
  latencyMsPerList: Latency;
}

export interface PatternStats extends CostFigures {
  design: TableDesign;
  pattern: PatternId;
  latencyMs: Latency;
  variants?: Record<string, CostFigures & { latencyMs: Latency }>;
  walk?: WalkStats;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
/** 4 decimals: enough for 0.5-unit reads averaged over many operations, and stable across runs. */
export const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function latencyOf(values: readonly number[]): Latency {
  const ms = (value: number) => Math.round(value * 100) / 100;
  return {
    p50: ms(percentile(values, 50)),
    p95: ms(percentile(values, 95)),
    p99: ms(percentile(values, 99)),
    mean: ms(values.length ? sum(values) / values.length : 0),
  };
}

export function costFigures(records: readonly OpRecord[], prices: Prices): CostFigures {
  const n = records.length || 1;
  const mean = (pick: (record: OpRecord) => number) => round(sum(records.map(pick)) / n);
  const commands = new Set(records.flatMap((record) => Object.keys(record.commands)));
  const billedReadUnitsPerOp = mean((record) => record.billedReadUnits);
  const billedWriteUnitsPerOp = mean((record) => record.billedWriteUnits);
  return {
    ops: records.length,
    errors: records.filter((record) => record.error !== undefined).length,
    requestsPerOp: mean((record) => record.requests),
    readUnitsPerOp: mean((record) => record.readUnits),
    writeUnitsPerOp: mean((record) => record.writeUnits),
    billedReadUnitsPerOp,
    billedWriteUnitsPerOp,
    costPerMillionOps: round(
      costPerMillionOps({ readUnits: billedReadUnitsPerOp, writeUnits: billedWriteUnitsPerOp }, prices),
    ),
    itemsPerOp: mean((record) => record.items),
    commandsPerOp: Object.fromEntries(
      [...commands].sort().map((command) => [command, mean((record) => record.commands[command] ?? 0)]),
    ),
  };
}

export function patternStats(
  design: TableDesign,
  pattern: PatternId,
  records: readonly OpRecord[],
  prices: Prices,
  walks: Array<{ pages: number; items: number; calls: readonly DbCall[]; latencyMs: number }>,
  calibration: BillingCalibration,
): PatternStats {
  const variantNames = [...new Set(records.flatMap((record) => (record.variant ? [record.variant] : [])))];
  const stats: PatternStats = {
    design,
    pattern,
    ...costFigures(records, prices),
    latencyMs: latencyOf(records.map((record) => record.latencyMs)),
  };
  if (variantNames.length > 0) {
    stats.variants = Object.fromEntries(
      variantNames.map((variant) => {
        const subset = records.filter((record) => record.variant === variant);
        return [variant, { ...costFigures(subset, prices), latencyMs: latencyOf(subset.map((r) => r.latencyMs)) }];
      }),
    );
  }
  if (walks.length > 0) {
    const n = walks.length;
    stats.walk = {
      lists: n,
      pagesPerList: round(sum(walks.map((walk) => walk.pages)) / n),
      itemsPerList: round(sum(walks.map((walk) => walk.items)) / n),
      requestsPerList: round(sum(walks.map((walk) => walk.calls.length)) / n),
      billedReadUnitsPerList: round(sum(walks.map((walk) => billCalls(walk.calls, calibration).readUnits)) / n),
      latencyMsPerList: latencyOf(walks.map((walk) => walk.latencyMs)),
    };
  }
  return stats;
}
