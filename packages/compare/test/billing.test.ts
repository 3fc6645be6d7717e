import { describe, expect, it } from "vitest";
import {
  type BillableCall,
  billCall,
  billCalls,
  calibrationFrom,
  costPerMillionOps,
  type Prices,
} from "../src/billing.js";
import { censusOf, indexEntrySize, itemSize } from "../src/census.js";
import { loadPrices } from "../src/main.js";

const call = (command: string, readUnits: number, writeUnits: number, transactionItems = 0, ok = true) => ({
  command,
  readUnits,
  writeUnits,
  transactionItems,
  ok,
});

/** An endpoint that reports 1 unit per transactional item-KB (older DynamoDB Local releases). */
const underReporting = calibrationFrom(1);
/** One that reports AWS's 2 (AWS itself, and the DynamoDB Local release bundled here). */
const awsLike = calibrationFrom(2);

describe("billed capacity", () => {
  it("doubles transaction writes on an endpoint that reports 1 WCU per item, and keeps AWS-like reports", () => {
    expect(underReporting.transactionFactor).toBe(2);
    expect(awsLike.transactionFactor).toBe(1);
    // Two items of under 1 KB; one also writes two GSI entries: 1 + 2 + 1 = 4 units at 1×.
    expect(billCall(call("TransactWriteItems", 0, 4, 2), underReporting)).toMatchObject({
      readUnits: 0,
      writeUnits: 8,
    });
    expect(billCall(call("TransactWriteItems", 0, 8, 2), awsLike)).toMatchObject({ readUnits: 0, writeUnits: 8 });
  });

  it("never bills a transaction less than 2 units per item", () => {
    expect(billCall(call("TransactWriteItems", 0, 1, 3), awsLike).writeUnits).toBe(6);
    expect(billCall(call("TransactGetItems", 1, 0, 2), underReporting).readUnits).toBe(4);
    expect(billCall(call("TransactGetItems", 2, 0, 1), underReporting).readUnits).toBe(4);
  });

  it("bills non-transactional calls as reported, GSI writes and half-unit eventually consistent reads included", () => {
    expect(billCall(call("PutItem", 0, 3), underReporting)).toMatchObject({ readUnits: 0, writeUnits: 3 });
    expect(billCall(call("GetItem", 0.5, 0), underReporting)).toMatchObject({ readUnits: 0.5, writeUnits: 0 });
    expect(billCall(call("BatchWriteItem", 0, 25), underReporting)).toMatchObject({ readUnits: 0, writeUnits: 25 });
  });

  it("bills a call that failed without doing work nothing (validation, throttling, network)", () => {
    for (const error of [undefined, "ValidationException", "ThrottlingException", "TimeoutError"]) {
      const failed = { ...call("PutItem", 0, 0, 0, false), ...(error ? { error } : {}) };
      expect(billCall(failed, awsLike).writeUnits, error).toBe(0);
    }
  });

  it("sums a call list and prices it per million operations", () => {
    const units = billCalls([call("BatchGetItem", 2, 0), call("TransactWriteItems", 0, 5, 2)], underReporting);
    expect(units).toMatchObject({ readUnits: 2, writeUnits: 10 });
    const prices = { writeRequestUnitPerMillion: 0.625, readRequestUnitPerMillion: 0.125 } as Prices;
    expect(costPerMillionOps(units, prices)).toBeCloseTo(10 * 0.625 + 2 * 0.125, 10);
  });

  it("ships prices with their region, source and date", () => {
    const prices = loadPrices();
    expect(prices.region).toBe("us-east-1");
    expect(prices.source).toContain("aws.amazon.com/dynamodb/pricing/on-demand");
    expect(prices.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(prices.writeRequestUnitPerMillion).toBeGreaterThan(0);
    expect(prices.readRequestUnitPerMillion).toBeGreaterThan(0);
  });
});

/** Calls as the meter records them with `ReturnConsumedCapacity: INDEXES` (figures DynamoDB Local 3.3.0 returned). */
const recorded = (
  command: string,
  table: number,
  indexes: Record<string, number>,
  extra: Partial<BillableCall> = {},
): BillableCall => {
  const indexTotal = Object.values(indexes).reduce((sum, units) => sum + units, 0);
  return {
    command,
    readUnits: 0,
    writeUnits: table + indexTotal,
    tableUnits: { readUnits: 0, writeUnits: table },
    indexUnits: Object.fromEntries(
      Object.entries(indexes).map(([name, units]) => [name, { readUnits: 0, writeUnits: units }]),
    ),
    transactionItems: 0,
    ok: true,
    ...extra,
  };
};

describe("billing rules, per recorded call (docs/comparison.md: Billing rules and their sources)", () => {
  it("keeps index write units apart from the table's: a new entry is one write, a key change two", () => {
    const put = billCall(recorded("PutItem", 1, { gsi1: 1, gsi2: 1 }), awsLike);
    expect(put).toMatchObject({ writeUnits: 3, tableWriteUnits: 1, indexWriteUnits: { gsi1: 1, gsi2: 1 } });
    const keyChange = billCall(recorded("UpdateItem", 1, { gsi1: 2 }), awsLike);
    expect(keyChange).toMatchObject({ writeUnits: 3, tableWriteUnits: 1, indexWriteUnits: { gsi1: 2 } });
  });

  it("bills a transaction's index writes as reported and counts them apart (the documentation is silent)", () => {
    // Two items, one with an index entry: Local reports the table 2 × 2 and the index 2 × 1.
    const transaction = recorded("TransactWriteItems", 4, { gsi1: 2 }, { transactionItems: 2 });
    expect(billCall(transaction, awsLike)).toMatchObject({
      writeUnits: 6,
      tableWriteUnits: 4,
      indexWriteUnits: { gsi1: 2 },
      transactionalIndexWriteUnits: 2,
    });
    // An endpoint reporting 1 per item-KB has its table and index units doubled alike.
    const underReported = recorded("TransactWriteItems", 2, { gsi1: 1 }, { transactionItems: 2 });
    expect(billCall(underReported, underReporting)).toMatchObject({ writeUnits: 6, transactionalIndexWriteUnits: 2 });
    // Plain writes have no transactional index units.
    expect(billCall(recorded("PutItem", 1, { gsi1: 1 }), awsLike).transactionalIndexWriteUnits).toBe(0);
  });

  it("bills a failed conditional write 1 WCU on the table where the endpoint reported nothing", () => {
    for (const command of ["PutItem", "UpdateItem", "DeleteItem"]) {
      const failed = recorded(command, 0, {}, { ok: false, error: "ConditionalCheckFailedException" });
      expect(billCall(failed, awsLike), command).toEqual({
        readUnits: 0,
        writeUnits: 1,
        tableWriteUnits: 1,
        indexWriteUnits: {},
        transactionalIndexWriteUnits: 0,
        unreportedReadUnits: 0,
        unreportedWriteUnits: 1,
      });
    }
  });

  it("bills a cancelled transaction 2 units per item, shown as unreported", () => {
    const cancelled = { ok: false, error: "TransactionCanceledException", transactionItems: 3 };
    expect(billCall(recorded("TransactWriteItems", 0, {}, cancelled), awsLike)).toMatchObject({
      writeUnits: 6,
      unreportedWriteUnits: 6,
    });
    const read = { ...recorded("TransactGetItems", 0, {}, cancelled), readUnits: 0 };
    expect(billCall(read, awsLike)).toMatchObject({ readUnits: 6, writeUnits: 0, unreportedReadUnits: 6 });
  });

  it("bills a failed call as reported when its error carries consumed capacity", () => {
    const carried = recorded("PutItem", 2, {}, { ok: false, error: "ConditionalCheckFailedException" });
    expect(billCall(carried, awsLike)).toMatchObject({ writeUnits: 2, unreportedWriteUnits: 0 });
  });

  it("sums the split over an operation's calls", () => {
    const units = billCalls(
      [
        recorded("PutItem", 1, { gsi1: 1 }),
        recorded("TransactWriteItems", 4, { gsi1: 2, gsi2: 2 }, { transactionItems: 2 }),
        recorded("UpdateItem", 0, {}, { ok: false, error: "ConditionalCheckFailedException" }),
      ],
      awsLike,
    );
    expect(units).toEqual({
      readUnits: 0,
      writeUnits: 11,
      tableWriteUnits: 6,
      indexWriteUnits: { gsi1: 3, gsi2: 2 },
      transactionalIndexWriteUnits: 4,
      unreportedReadUnits: 0,
      unreportedWriteUnits: 1,
    });
  });
});

describe("item sizes (DynamoDB's rules)", () => {
  it("counts attribute names and values", () => {
    expect(itemSize({ pk: "U#1" })).toBe(2 + 3);
    // Numbers: 1 byte per two significant digits, plus 1.
    expect(itemSize({ n: 12345 })).toBe(1 + 3 + 1);
    expect(itemSize({ ok: true, none: null })).toBe(2 + 1 + 4 + 1);
    // Maps and lists: 3 bytes, plus 1 per element, plus the contents.
    expect(itemSize({ m: { a: "xy" } })).toBe(1 + 3 + 1 + 1 + 2);
    expect(itemSize({ l: ["ab", "c"] })).toBe(1 + 3 + 1 + 2 + 1 + 1);
    expect(itemSize({ s: "é" })).toBe(1 + 2);
  });

  it("adds 100 bytes of overhead per item and per GSI entry to billable storage", () => {
    const census = censusOf(
      [
        {
          id: "T",
          fields: { pk: "string", g: "string" },
          primaryIndex: { hashKey: "pk" },
          globalIndexes: { byG: { hashKey: "g", projection: "all" } },
        },
      ],
      [
        { tableId: "T", item: { pk: "a" } },
        { tableId: "T", item: { pk: "b", g: "x" } },
      ],
    );
    expect(census.items).toBe(2);
    expect(census.itemBytes).toBe(3 + 5);
    expect(census.indexEntries).toBe(1);
    expect(census.billableBytes).toBe(3 + 100 + (5 + 100) * 2);
  });

  it("sizes a GSI entry by what the index projects: the whole item, its keys, or its keys and the listed attributes", () => {
    const item = { pk: "p", sk: "s", g: "gg", name: "Ada", secret: "xyz", other: "o" };
    const primary = { hashKey: "pk", rangeKey: "sk" };
    expect(indexEntrySize(item, primary, { hashKey: "g", projection: "all" })).toBe(itemSize(item));
    expect(indexEntrySize(item, primary, { hashKey: "g", projection: "keys-only" })).toBe(2 + 1 + 2 + 1 + 1 + 2);
    // A listed attribute the item lacks costs nothing; an unlisted one is left out.
    expect(indexEntrySize(item, primary, { hashKey: "g", projection: ["name", "absent"] })).toBe(9 + 4 + 3);
    const census = censusOf(
      [{ id: "T", fields: {}, primaryIndex: primary, globalIndexes: { byG: { hashKey: "g", projection: ["name"] } } }],
      [{ tableId: "T", item }],
    );
    expect(census.billableBytes).toBe(itemSize(item) + 100 + 9 + 4 + 3 + 100);
  });
});
