/** Convergence lag of COPIES=stream: from an original's write to the moment all its copies were written. */
export interface LagSummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * The stated local bound of COPIES=stream (README, "Copies"; api.md, Resources): a change's copies converge within
 * this at p99 on DynamoDB Local. Measured by `pnpm exec tsx packages/bench/src/copy-lag.ts`; the tests hold small
 * runs to a multiple of it (shared CI cores), and `pnpm check-integrity` waits this long before it calls a copy
 * that is stale under COPIES=stream lost rather than pending.
 */
export const STATED_P99_LAG_MS = 3_000;

/** Nearest-rank percentiles of lag samples in milliseconds (zeros when there are none). */
export function summarizeLag(samples: readonly number[]): LagSummary {
  if (samples.length === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (fraction: number) => sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] as number;
  return { count: sorted.length, p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1] as number };
}

/**
 * When the change a record carries was written, in epoch milliseconds.
 *
 * The record's own ApproximateCreationDateTime cannot serve locally: DynamoDB Local 3.3.0 truncates it to the
 * minute (writes at 13:21:20 and 13:21:40 both say 13:21:00), and AWS gives it only to the second. So the
 * origin is the `updatedAt` the write itself stores on users and events (set by the API just before it sends
 * the write, so the lag includes the write's own round trip: a slight over-estimate, never an under-estimate).
 * Images without one fall back to the record's creation time.
 */
export function writtenAtOf(newImage: Record<string, unknown> | undefined, approximateCreation?: Date): number {
  const updatedAt = newImage?.updatedAt;
  const stored = typeof updatedAt === "string" ? Date.parse(updatedAt) : Number.NaN;
  if (Number.isFinite(stored)) return stored;
  return approximateCreation?.getTime() ?? Number.NaN;
}
