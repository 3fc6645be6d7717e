import { type DbCall, roundTripDepth } from "@tablelab/core";
import { type BillingCalibration, billCalls, costPerMillionOps, type Prices } from "./billing.js";
import type { TrafficSummary } from "./traffic.js";
import type { PatternId } from "./workloads/types.js";

/** One measured operation: what the meter saw during it, billed by AWS's rules, and how long it took. */
export interface OpRecord {
  /** The grid cell (`single+sync`, …). */
  variant: string;
  pattern: PatternId;
  /** A sub-case of the pattern (AP4 "rename" vs "email change"), reported apart as well. */
  subCase?: string;
  requests: number;
  /** Requests in sequence (calls sent together count once): what AWS latency is estimated from. */
  roundTrips: number;
  readUnits: number;
  writeUnits: number;
  billedReadUnits: number;
  billedWriteUnits: number;
  /** Where the billed write units went: the table, each index, and what the endpoint did not report. */
  billedWrites: WriteSplit;
  /** Requests per command (GetItem, Query, …). */
  commands: Record<string, number>;
  latencyMs: number;
  items: number;
  error?: string;
}

/** Where billed write units went (billing.ts: rules 2 and 4–6). */
export interface WriteSplit {
  /** On the base table(s). */
  table: number;
  /** Per secondary index: the GSI write amplification. */
  indexes: Record<string, number>;
  /** Of the index units, those written by transactions: doubled as DynamoDB Local reports (AWS's docs are silent). */
  transactionalIndexes: number;
  /** Billed by AWS's rule where the endpoint reported 0: failed conditional writes, cancelled transactions. */
  unreported: number;
}

export function recordOf(
  base: { variant: string; pattern: PatternId; subCase?: string | undefined },
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
    variant: base.variant,
    pattern: base.pattern,
    ...(base.subCase !== undefined && { subCase: base.subCase }),
    requests: calls.length,
    roundTrips: roundTripDepth(calls),
    readUnits: sum(calls.map((call) => call.readUnits)),
    writeUnits: sum(calls.map((call) => call.writeUnits)),
    billedReadUnits: billed.readUnits,
    billedWriteUnits: billed.writeUnits,
    billedWrites: {
      table: billed.tableWriteUnits,
      indexes: billed.indexWriteUnits,
      transactionalIndexes: billed.transactionalIndexWriteUnits,
      unreported: billed.unreportedWriteUnits,
    },
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
  /** Mean round-trip depth (see `roundTripDepth`). */
  roundTripsPerOp: number;
  readUnitsPerOp: number;
  writeUnitsPerOp: number;
  billedReadUnitsPerOp: number;
  billedWriteUnitsPerOp: number;
  /** `billedWriteUnitsPerOp` split: table, each index, transactional index writes, unreported (absent in old runs). */
  billedWritesPerOp?: WriteSplit;
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

/** Per-operation figures as `intercept + slope × items`, fitted over the operations (least squares). */
export interface PerItemFit {
  /** Mean items per operation in the run, where the fit was made. */
  meanItems: number;
  intercept: FittedFigures;
  slope: FittedFigures;
}

export interface FittedFigures {
  requests: number;
  roundTrips: number;
  billedReadUnits: number;
  billedWriteUnits: number;
}

/**
 * What keeping copies current cost a write pattern, per operation: the copy writes inside the request (`sync`'s
 * fan-out; the event date's, a key, in every strategy) and, for `stream`, what the consumer did after the pattern
 * (its own meter) with how long the copies took to converge.
 */
export interface CopyMaintenanceStats {
  inRequest: { requestsPerOp: number; writeUnitsPerOp: number };
  consumer?: { requestsPerOp: number; billedReadUnitsPerOp: number; billedWriteUnitsPerOp: number };
  /** Commit of the original → last copy updated, over the changes the consumer applied (empty until wired). */
  lagMs?: { samples: number; p50: number; p99: number; max: number };
}

export interface PatternStats extends CostFigures {
  /** The grid cell (`single+sync`, …). */
  variant: string;
  pattern: PatternId;
  latencyMs: Latency;
  /**
   * How the figures grow with the items an operation touches (fan-outs: a rename copied onto n registrations,
   * a delete of an event with n registrations). Absent when every operation touched as many items.
   */
  perItem?: PerItemFit;
  /** Where the measured operations' capacity went, per table/index and partition key (traffic.ts). */
  traffic?: TrafficSummary;
  /** Per sub-case (AP4 rename / email change; AP10 rename / capacity / date). */
  subCases?: Record<string, CostFigures & { latencyMs: Latency }>;
  walk?: WalkStats;
  /** Write patterns only. */
  copyMaintenance?: CopyMaintenanceStats;
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
    roundTripsPerOp: mean((record) => record.roundTrips),
    readUnitsPerOp: mean((record) => record.readUnits),
    writeUnitsPerOp: mean((record) => record.writeUnits),
    billedReadUnitsPerOp,
    billedWriteUnitsPerOp,
    billedWritesPerOp: meanSplit(records),
    costPerMillionOps: round(
      costPerMillionOps({ readUnits: billedReadUnitsPerOp, writeUnits: billedWriteUnitsPerOp }, prices),
    ),
    itemsPerOp: mean((record) => record.items),
    commandsPerOp: Object.fromEntries(
      [...commands].sort().map((command) => [command, mean((record) => record.commands[command] ?? 0)]),
    ),
  };
}

function meanSplit(records: readonly OpRecord[]): WriteSplit {
  const n = records.length || 1;
  const indexes: Record<string, number> = {};
  for (const record of records)
    for (const [name, units] of Object.entries(record.billedWrites.indexes))
      indexes[name] = (indexes[name] ?? 0) + units;
  const mean = (pick: (split: WriteSplit) => number) => round(sum(records.map((r) => pick(r.billedWrites))) / n);
  return {
    table: mean((split) => split.table),
    indexes: Object.fromEntries(
      Object.keys(indexes)
        .sort()
        .map((name) => [name, round((indexes[name] as number) / n)]),
    ),
    transactionalIndexes: mean((split) => split.transactionalIndexes),
    unreported: mean((split) => split.unreported),
  };
}

export function patternStats(
  variant: string,
  pattern: PatternId,
  records: readonly OpRecord[],
  prices: Prices,
  walks: Array<{ pages: number; items: number; calls: readonly DbCall[]; latencyMs: number }>,
  calibration: BillingCalibration,
): PatternStats {
  const subCaseNames = [...new Set(records.flatMap((record) => (record.subCase ? [record.subCase] : [])))];
  const stats: PatternStats = {
    variant,
    pattern,
    ...costFigures(records, prices),
    latencyMs: latencyOf(records.map((record) => record.latencyMs)),
  };
  if (subCaseNames.length > 0) {
    stats.subCases = Object.fromEntries(
      subCaseNames.map((subCase) => {
        const subset = records.filter((record) => record.subCase === subCase);
        return [subCase, { ...costFigures(subset, prices), latencyMs: latencyOf(subset.map((r) => r.latencyMs)) }];
      }),
    );
  }
  const perItem = fitPerItem(records.filter((record) => record.error === undefined));
  if (perItem) stats.perItem = perItem;
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

/** Least-squares line through (items, figure) per figure; undefined when items never vary. */
export function fitPerItem(records: readonly OpRecord[]): PerItemFit | undefined {
  const n = records.length;
  if (n < 2) return undefined;
  const xs = records.map((record) => record.items);
  const meanX = sum(xs) / n;
  const varX = sum(xs.map((x) => (x - meanX) ** 2));
  if (varX === 0) return undefined;
  const line = (pick: (record: OpRecord) => number) => {
    const ys = records.map(pick);
    const meanY = sum(ys) / n;
    const slope = sum(xs.map((x, index) => (x - meanX) * ((ys[index] as number) - meanY))) / varX;
    return { slope: round(slope), intercept: round(meanY - slope * meanX) };
  };
  const figures = {
    requests: line((record) => record.requests),
    roundTrips: line((record) => record.roundTrips),
    billedReadUnits: line((record) => record.billedReadUnits),
    billedWriteUnits: line((record) => record.billedWriteUnits),
  };
  const pick = (which: "slope" | "intercept"): FittedFigures => ({
    requests: figures.requests[which],
    roundTrips: figures.roundTrips[which],
    billedReadUnits: figures.billedReadUnits[which],
    billedWriteUnits: figures.billedWriteUnits[which],
  });
  return { meanItems: round(meanX), intercept: pick("intercept"), slope: pick("slope") };
}

/** p50/p99/max of lag samples (ms), or undefined when there are none. */
export function lagOf(samples: readonly number[]): CopyMaintenanceStats["lagMs"] {
  if (samples.length === 0) return undefined;
  const ms = (value: number) => Math.round(value * 100) / 100;
  return {
    samples: samples.length,
    p50: ms(percentile(samples, 50)),
    p99: ms(percentile(samples, 99)),
    max: ms(Math.max(...samples)),
  };
}
