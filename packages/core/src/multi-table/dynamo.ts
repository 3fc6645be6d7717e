import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { TransactionConflict } from "../dynamo/retry.js";
import type { Item } from "./batch.js";

/** Small helpers for writing DynamoDB expressions and reading their failures with the plain document client. */

/**
 * `#attr → attr` for every attribute an expression names. Every attribute goes through a placeholder, not only
 * the reserved words among them (`name`, `date`, `capacity`, `month`, …): one rule, no list to keep in mind.
 */
export function names(...attributes: string[]): Record<string, string> {
  return Object.fromEntries(attributes.map((attribute) => [`#${attribute}`, attribute]));
}

const TYPE_TAGS = new Set(["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"]);

function isMarshalled(item: Record<string, unknown>): item is Record<string, AttributeValue> {
  return Object.values(item).every((value) => {
    if (!value || typeof value !== "object" || Array.isArray(value)) return false;
    const keys = Object.keys(value);
    return keys.length === 1 && TYPE_TAGS.has(keys[0] as string);
  });
}

/**
 * The document client unmarshalls outputs but not the items an exception carries (`ALL_OLD` on a failed
 * condition, `CancellationReasons[i].Item`): those arrive as AttributeValue maps.
 */
export function plainItem(item: Record<string, unknown> | undefined): Item | undefined {
  if (!item) return undefined;
  return isMarshalled(item) ? (unmarshall(item) as Item) : item;
}

/**
 * The item a failed single-item condition saw (ALL_OLD costs no extra read): `{ item: undefined }` means there
 * was no item. Returns undefined when the error is not a condition failure.
 */
export function conditionFailure(error: unknown): { item: Item | undefined } | undefined {
  const candidate = error as { name?: string; Item?: Record<string, unknown> } | undefined;
  if (candidate?.name !== "ConditionalCheckFailedException") return undefined;
  return { item: plainItem(candidate.Item) };
}

/** One action's outcome in a cancelled transaction, in request order. */
export interface Outcome {
  rejected: boolean;
  code: string;
  /** With `ReturnValuesOnConditionCheckFailure: ALL_OLD`: the item the failed condition saw, if any. */
  item: Item | undefined;
}

/**
 * Reads a TransactWriteItems failure: undefined if the error is not a cancellation (rethrow it), a
 * `TransactionConflict` thrown for `retryOnConflict` when another transaction got in the way, else the outcomes.
 */
export function cancellation(error: unknown): Outcome[] | undefined {
  const candidate = error as
    | { name?: string; CancellationReasons?: Array<{ Code?: string; Item?: Record<string, unknown> }> }
    | undefined;
  if (candidate?.name !== "TransactionCanceledException") return undefined;
  const reasons = candidate.CancellationReasons ?? [];
  if (reasons.some((reason) => reason.Code === "TransactionConflict")) throw new TransactionConflict();
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
