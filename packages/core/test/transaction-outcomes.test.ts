import { describe, expect, it } from "vitest";
import { TransactionConflict } from "../src/dynamo/retry.js";
import { cancellation } from "../src/multi-table/dynamo.js";
import { cancelled } from "../src/single-table/transactions.js";

/** ElectroDB's report of a cancelled transaction: every reason but "None" is `rejected`, whatever its cause. */
const electroReport = (...codes: string[]) => ({
  canceled: true,
  data: codes.map((code) => ({ rejected: code !== "None", code, item: null })),
});

describe("cancelled(): what a cancelled single-table transaction means", () => {
  it("is nothing to explain when the transaction committed", () => {
    expect(cancelled({ canceled: false, data: [] })).toBeUndefined();
  });

  it("hands a failed condition to the caller to explain (404, 409, …)", () => {
    const outcomes = cancelled(electroReport("ConditionalCheckFailed", "None"));
    expect(outcomes?.map((outcome) => outcome.rejected)).toEqual([true, false]);
  });

  it("retries a conflict or throttling instead of reading it as a failed condition (a missing event, say)", () => {
    for (const code of ["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"]) {
      expect(() => cancelled(electroReport("None", code))).toThrow(TransactionConflict);
    }
  });

  it("never reads any other reason as a failed condition", () => {
    expect(() => cancelled(electroReport("ValidationError", "None"))).toThrow(/ValidationError/);
  });
});

/** The SDK's exception for a cancelled transaction, as the per-entity design's plain client receives it. */
const canceledException = (...codes: string[]) =>
  Object.assign(new Error("Transaction cancelled"), {
    name: "TransactionCanceledException",
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe("cancellation(): what a cancelled per-entity transaction means", () => {
  it("is not a cancellation when the error is something else (the caller rethrows it)", () => {
    expect(cancellation(new Error("socket hang up"))).toBeUndefined();
  });

  it("hands a failed condition to the caller to explain", () => {
    const outcomes = cancellation(canceledException("None", "ConditionalCheckFailed"));
    expect(outcomes?.map((outcome) => outcome.rejected)).toEqual([false, true]);
  });

  it("retries a conflict or throttling, of a write or of a TransactGetItems", () => {
    for (const code of ["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"]) {
      expect(() => cancellation(canceledException("None", code))).toThrow(TransactionConflict);
    }
  });
});
