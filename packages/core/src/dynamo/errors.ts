import { UnavailableError } from "../domain/errors.js";

/** Errors that mean "DynamoDB is unreachable, throttling or failing": the client should retry later (503). */
const UNAVAILABLE_NAMES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "TransactionInProgressException",
]);
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND"]);

export function isUnavailable(error: unknown): boolean {
  if (error instanceof UnavailableError) return true;
  if (!error || typeof error !== "object") return false;
  const candidate = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown };
  if (candidate.name && UNAVAILABLE_NAMES.has(candidate.name)) return true;
  if (candidate.code && UNAVAILABLE_CODES.has(candidate.code)) return true;
  const status = candidate.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  // ElectroDB wraps SDK errors; AggregateError wraps connection failures.
  if (candidate.cause && candidate.cause !== error) return isUnavailable(candidate.cause);
  const aggregate = error as { errors?: unknown[] };
  if (Array.isArray(aggregate.errors)) return aggregate.errors.some(isUnavailable);
  return false;
}
