import { describe, expect, it } from "vitest";
import { billCall, billCalls, calibrationFrom, costPerMillionOps, type Prices } from "../src/billing.js";
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
    expect(billCall(call("TransactWriteItems", 0, 4, 2), underReporting)).toEqual({ readUnits: 0, writeUnits: 8 });
    expect(billCall(call("TransactWriteItems", 0, 8, 2), awsLike)).toEqual({ readUnits: 0, writeUnits: 8 });
  });

  it("never bills a transaction less than 2 units per item", () => {
    expect(billCall(call("TransactWriteItems", 0, 1, 3), awsLike).writeUnits).toBe(6);
    expect(billCall(call("TransactGetItems", 1, 0, 2), underReporting).readUnits).toBe(4);
    expect(billCall(call("TransactGetItems", 2, 0, 1), underReporting).readUnits).toBe(4);
  });

  it("bills non-transactional calls as reported, GSI writes and half-unit eventually consistent reads included", () => {
    expect(billCall(call("PutItem", 0, 3), underReporting)).toEqual({ readUnits: 0, writeUnits: 3 });
    expect(billCall(call("GetItem", 0.5, 0), underReporting)).toEqual({ readUnits: 0.5, writeUnits: 0 });
    expect(billCall(call("BatchWriteItem", 0, 25), underReporting)).toEqual({ readUnits: 0, writeUnits: 25 });
  });

  it("bills a failed call nothing (the report counts it as an error)", () => {
    expect(billCall(call("TransactWriteItems", 0, 0, 2, false), underReporting)).toEqual({
      readUnits: 0,
      writeUnits: 0,
    });
  });

  it("sums a call list and prices it per million operations", () => {
    const units = billCalls([call("BatchGetItem", 2, 0), call("TransactWriteItems", 0, 5, 2)], underReporting);
    expect(units).toEqual({ readUnits: 2, writeUnits: 10 });
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
