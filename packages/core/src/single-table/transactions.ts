import { TransactionConflict } from "../dynamo/retry.js";

/** A transaction item's outcome as ElectroDB reports it on cancellation. */
export interface Outcome {
  rejected: boolean;
  code: string;
  item: Record<string, unknown> | null;
}

/** A cancelled transaction: a conflict is retried; anything else is for the caller to explain. */
export function cancelled(result: { canceled: boolean; data: unknown[] }): Outcome[] | undefined {
  if (!result.canceled) return undefined;
  const outcomes = result.data as Outcome[];
  if (outcomes.some((outcome) => outcome.code === "TransactionConflict")) throw new TransactionConflict();
  return outcomes;
}
