import { type DbCall, measure, type Store } from "@tablelab/core";
import { type BillingCalibration, billCalls, type Prices } from "../billing.js";
import type { CopyWindow } from "../copies.js";
import { type CopyWriteTally, countCopyWrites } from "../copy-writes.js";
import {
  type CopyMaintenanceStats,
  lagOf,
  type OpRecord,
  type PatternStats,
  patternStats,
  recordOf,
  round,
} from "../metrics.js";
import { opClock, withOpClock } from "../op-clock.js";
import { runPool } from "../pool.js";
import { collectTraffic, summarizeTraffic, type TrafficMap } from "../traffic.js";
import type { PlannedOp, WalkResult, Workload } from "./types.js";

export interface PlannedWorkload {
  workload: Workload;
  ops: PlannedOp[];
  walks: Array<(store: Store) => Promise<WalkResult>>;
  /** Where this pattern's clock starts (ms since epoch). */
  clockStart: number;
}

export interface RunOptions {
  /** The grid cell's name (`single+sync`, …). */
  variant: string;
  store: Store;
  seed: number | string;
  concurrency: number;
  prices: Prices;
  calibration: BillingCalibration;
  signal?: AbortSignal;
  onOperation?: () => void;
  /**
   * After a write pattern's measured operations: resolves when the cell's copies are current, with what the stream
   * consumer did meanwhile (CopyConsumers.awaitCopies; at once and empty for `none` and `sync`).
   */
  awaitCopies?: () => Promise<CopyWindow>;
}

/** Spacing of the per-operation clocks: each operation's timestamps are its own, whatever ran before it. */
const OP_CLOCK_SPACING_MS = 60_000;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** `measure()` around an operation that may throw: the calls it made are kept either way. */
async function measured<T>(operation: () => Promise<T>) {
  const started = performance.now();
  const { result, meter } = await measure<Outcome<T>>(async () => {
    try {
      return { ok: true, value: await operation() };
    } catch (error) {
      return { ok: false, error };
    }
  });
  return { outcome: result, calls: meter.calls as readonly DbCall[], latencyMs: performance.now() - started };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Runs one pattern's planned operations on one design: the unmeasured set-up first (all of it), then the measured
 * operations through the pool, then the full-list walks. Each operation runs under its own seeded clock.
 */
export async function runWorkload(planned: PlannedWorkload, options: RunOptions) {
  const { workload, ops } = planned;
  const clockFor = (index: number, phase: string) =>
    opClock(options.seed, `${workload.id}/${index}/${phase}`, planned.clockStart + index * OP_CLOCK_SPACING_MS);

  const prepared = await runPool(ops, options.concurrency, async (op, index) => {
    options.signal?.throwIfAborted();
    return op.prepare
      ? withOpClock(clockFor(index, "prepare"), () => op.prepare?.(options.store) as Promise<unknown>)
      : undefined;
  });

  const traffic: TrafficMap = new Map();
  const copyWrites: CopyWriteTally = { requests: 0, writeUnits: 0 };
  const records: OpRecord[] = await runPool(ops, options.concurrency, async (op, index) => {
    options.signal?.throwIfAborted();
    const run = await withOpClock(clockFor(index, "run"), () =>
      collectTraffic(traffic, () =>
        countCopyWrites(copyWrites, () => measured(() => op.run(options.store, prepared[index]))),
      ),
    );
    options.onOperation?.();
    const base = { variant: options.variant, pattern: workload.id, subCase: op.subCase };
    return run.outcome.ok
      ? recordOf(base, run.calls, run.latencyMs, run.outcome.value.items ?? 0, options.calibration)
      : recordOf(base, run.calls, run.latencyMs, 0, options.calibration, describe(run.outcome.error));
  });

  const walks = await runPool(planned.walks, options.concurrency, async (walk, index) => {
    const run = await withOpClock(clockFor(index, "walk"), () => measured(() => walk(options.store)));
    if (!run.outcome.ok) throw run.outcome.error;
    return { ...run.outcome.value, calls: run.calls, latencyMs: run.latencyMs };
  });

  // The consumer's share of a write pattern: what it did until the copies were current again.
  const window = workload.kind === "write" && options.awaitCopies ? await options.awaitCopies() : undefined;

  const stats: PatternStats = patternStats(
    options.variant,
    workload.id,
    records,
    options.prices,
    walks,
    options.calibration,
  );
  if (traffic.size > 0) stats.traffic = summarizeTraffic(traffic);
  if (workload.kind === "write")
    stats.copyMaintenance = copyMaintenance(copyWrites, window, ops.length, options.calibration);
  const firstError = records.find((record) => record.error !== undefined)?.error;
  return { stats, records, firstError };
}

export function copyMaintenance(
  inRequest: CopyWriteTally,
  window: CopyWindow | undefined,
  ops: number,
  calibration: BillingCalibration,
): CopyMaintenanceStats {
  const n = Math.max(1, ops);
  const stats: CopyMaintenanceStats = {
    inRequest: { requestsPerOp: round(inRequest.requests / n), writeUnitsPerOp: round(inRequest.writeUnits / n) },
  };
  if (window && window.calls.length > 0) {
    const billed = billCalls(window.calls, calibration);
    stats.consumer = {
      requestsPerOp: round(window.calls.length / n),
      billedReadUnitsPerOp: round(billed.readUnits / n),
      billedWriteUnitsPerOp: round(billed.writeUnits / n),
    };
  }
  const lag = lagOf(window?.lagMs ?? []);
  if (lag) stats.lagMs = lag;
  return stats;
}
