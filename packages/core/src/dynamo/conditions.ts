import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";

/** Reading DynamoDB's condition failures, the same way for both table designs. */

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
export function plainItem(item: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!item) return undefined;
  return isMarshalled(item) ? unmarshall(item) : item;
}

/**
 * The item a failed single-item condition saw (`ReturnValuesOnConditionCheckFailure: ALL_OLD` costs no extra
 * read): `{ item: undefined }` means there was no item. Undefined when the error is not a condition failure.
 * Follows `cause` chains, since ElectroDB wraps the SDK's exception.
 */
export function conditionFailure(error: unknown): { item: Record<string, unknown> | undefined } | undefined {
  let current: unknown = error;
  while (current && typeof current === "object") {
    const candidate = current as { name?: string; Item?: Record<string, unknown>; cause?: unknown };
    if (candidate.name === "ConditionalCheckFailedException") return { item: plainItem(candidate.Item) };
    current = candidate.cause === current ? undefined : candidate.cause;
  }
  return undefined;
}
