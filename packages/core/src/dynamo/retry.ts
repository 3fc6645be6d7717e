import { UnavailableError } from "../domain/errors.js";
import { isUnavailable } from "./errors.js";

/**
 * TransactWriteItems can be cancelled with `TransactionConflict` when another transaction touches the same
 * item at the same moment. The SDK does not retry that (it is a cancellation, not a throttle), so we do, with
 * full-jitter exponential backoff. Past the budget it is an outage-like condition: a 503 with Retry-After.
 */
export class TransactionConflict extends Error {
  constructor() {
    super("transaction conflict");
    this.name = "TransactionConflict";
  }
}

/**
 * Cancellation reasons of a transaction that say "try again", not "your condition failed": another transaction
 * in the way, or throttling. Both designs retry them (retryOnConflict), never reading them as a failed condition.
 */
export const TRANSIENT_CANCELLATION_CODES: ReadonlySet<string> = new Set([
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
]);

interface CancellationReason {
  Code?: string;
}

/** True for a conflict however it surfaced: our marker, the SDK's exception, or a cancellation reason. */
export function isTransactionConflict(error: unknown): boolean {
  if (error instanceof TransactionConflict) return true;
  const named = error as { name?: string; CancellationReasons?: CancellationReason[] } | undefined;
  if (named?.name === "TransactionConflictException") return true;
  if (named?.name === "TransactionCanceledException") {
    return (named.CancellationReasons ?? []).some((reason) => reason.Code === "TransactionConflict");
  }
  return false;
}

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function retryOnConflict<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const base = options.baseDelayMs ?? 15;
  const cap = options.maxDelayMs ?? 400;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransactionConflict(error)) throw error;
      if (attempt >= attempts) throw new UnavailableError("transaction kept conflicting", error);
      await sleep(Math.random() * Math.min(cap, base * 2 ** attempt));
    }
  }
}

/**
 * For idempotent multi-step work (a cleanup sweep): retries the whole operation while DynamoDB is unavailable
 * (throttled, failing, timing out) beyond the SDK's own per-call retries, with full-jitter backoff.
 */
export async function retryWhileUnavailable<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 25;
  const cap = options.maxDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isUnavailable(error) || attempt >= attempts) throw error;
      await sleep(Math.random() * Math.min(cap, base * 2 ** attempt));
    }
  }
}
