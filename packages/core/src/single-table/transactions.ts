import { TRANSIENT_CANCELLATION_CODES, TransactionConflict } from "../dynamo/retry.js";

/** A transaction item's outcome as ElectroDB reports it on cancellation. */
export interface Outcome {
  rejected: boolean;
  code: string;
  item: Record<string, unknown> | null;
}

/**
 * A cancelled transaction: a conflict or throttling is retried (retryOnConflict); a failed condition is for the
 * caller to explain. ElectroDB marks every reason but "None" as `rejected`, so without this a throttled item
 * would read as a failed condition (a missing event, say) and the caller would act on a falsehood.
 */
export function cancelled(result: { canceled: boolean; data: unknown[] }): Outcome[] | undefined {
  if (!result.canceled) return undefined;
  const outcomes = result.data as Outcome[];
  if (outcomes.some((outcome) => TRANSIENT_CANCELLATION_CODES.has(outcome.code))) throw new TransactionConflict();
  const unexpected = outcomes.filter((outcome) => outcome.code !== "None" && outcome.code !== "ConditionalCheckFailed");
  if (unexpected.length > 0) {
    throw new Error(`transaction cancelled: ${unexpected.map((outcome) => outcome.code).join(",")}`);
  }
  return outcomes;
}
