import { plainItem } from "../dynamo/conditions.js";
import { TRANSIENT_CANCELLATION_CODES, TransactionConflict } from "../dynamo/retry.js";
import type { Item } from "./batch.js";

/** Small helpers for writing DynamoDB expressions and reading their failures with the plain document client. */

/**
 * `#attr → attr` for every attribute an expression names. Every attribute goes through a placeholder, not only
 * the reserved words among them (`name`, `date`, `capacity`, `month`, …): one rule, no list to keep in mind.
 */
export function names(...attributes: string[]): Record<string, string> {
  return Object.fromEntries(attributes.map((attribute) => [`#${attribute}`, attribute]));
}

/** One action's outcome in a cancelled transaction, in request order. */
export interface Outcome {
  rejected: boolean;
  code: string;
  /** With `ReturnValuesOnConditionCheckFailure: ALL_OLD`: the item the failed condition saw, if any. */
  item: Item | undefined;
}

/**
 * Reads a transaction's failure: undefined if the error is not a cancellation (rethrow it), a
 * `TransactionConflict` thrown for `retryOnConflict` when another transaction got in the way or it was throttled,
 * else the outcomes.
 */
export function cancellation(error: unknown): Outcome[] | undefined {
  const candidate = error as
    | { name?: string; CancellationReasons?: Array<{ Code?: string; Item?: Record<string, unknown> }> }
    | undefined;
  if (candidate?.name !== "TransactionCanceledException") return undefined;
  const reasons = candidate.CancellationReasons ?? [];
  if (reasons.some((reason) => TRANSIENT_CANCELLATION_CODES.has(reason.Code ?? ""))) throw new TransactionConflict();
  return reasons.map((reason) => ({
    rejected: reason.Code === "ConditionalCheckFailed",
    code: reason.Code ?? "None",
    item: plainItem(reason.Item),
  }));
}

/** A primary key as a cursor position carries it: a non-empty map of the expected string attributes. */
export function isKeyOf(value: unknown, attributes: readonly string[]): value is Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length === attributes.length &&
    entries.every(([name, field]) => attributes.includes(name) && typeof field === "string")
  );
}

export { conditionFailure } from "../dynamo/conditions.js";
