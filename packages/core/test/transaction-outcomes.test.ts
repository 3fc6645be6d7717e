import { describe, expect, it } from "vitest";
import { TransactionConflict } from "../src/dynamo/retry.js";
import { cancelled } from "../src/single-table/transactions.js";

/** ElectroDB's report of a cancelled transaction: every reason but "None" is `rejected`, whatever its cause. */
const cancellation = (...codes: string[]) => ({
  canceled: true,
  data: codes.map((code) => ({ rejected: code !== "None", code, item: null })),
});

describe("cancelled(): what a cancelled single-table transaction means", () => {
  it("is nothing to explain when the transaction committed", () => {
    expect(cancelled({ canceled: false, data: [] })).toBeUndefined();
  });

  it("hands a failed condition to the caller to explain (404, 409, …)", () => {
    const outcomes = cancelled(cancellation("ConditionalCheckFailed", "None"));
    expect(outcomes?.map((outcome) => outcome.rejected)).toEqual([true, false]);
  });

  it("retries a conflict or throttling instead of reading it as a failed condition (a missing event, say)", () => {
    for (const code of ["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"]) {
      expect(() => cancelled(cancellation("None", code))).toThrow(TransactionConflict);
    }
  });

  it("never reads any other reason as a failed condition", () => {
    expect(() => cancelled(cancellation("ValidationError", "None"))).toThrow(/ValidationError/);
  });
});
