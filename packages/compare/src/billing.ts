import type { DbCall } from "@tablelab/core";

/**
 * Billed capacity: what AWS would charge for a call, from what the meter recorded (`ReturnConsumedCapacity:
 * INDEXES`: the total, the table and each index apart). Each rule with its AWS source, what DynamoDB Local 3.3.0
 * reports (measured: packages/compare/test/billing-local.test.ts), and the figure the totals use:
 *
 * 1. Reads and plain writes are billed as reported. Reads: 1 RCU per 4 KB strongly consistent, half that eventually
 *    consistent (a Query rounds once over the items it reads, a BatchGetItem per item); writes: 1 WCU per KB of the
 *    larger of the old and new item. Source: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 *    Local computes these as documented.
 * 2. GSI writes. "The total provisioned throughput cost for a write consists of the sum of write capacity units
 *    consumed by writing to the base table and those consumed by updating the global secondary indexes"; a new
 *    entry is one write, a removed entry one, a changed projected attribute one, and "if an update to the table
 *    changes the value of an indexed key attribute (from A to B), two writes are required, one to delete the
 *    previous item from the index and another write to put the new item into the index". Source:
 *    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
 *    Local agrees, index by index (a key change reports 2 on that index). Billed as reported, kept apart
 *    (`indexWriteUnits`) so the report can show the amplification.
 * 3. Transactions. "DynamoDB performs two underlying reads or writes of every item in the transaction: one to
 *    prepare the transaction and one to commit the transaction" — 2 units per item-KB, ConditionCheck included.
 *    Source: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling
 *    Local 3.3.0 reports 2 (older releases 1), so each run calibrates (calibrate.ts): the table units are
 *    multiplied by `transactionFactor` (2 / reported), never less than 2 per item.
 * 4. Index writes inside a transaction. The documentation is silent: its rule counts the transaction's items,
 *    and says changes reach GSIs after the transaction completes. Local reports them doubled too (2 per entry-KB;
 *    4 for a key change). The totals use Local's doubled figure (× the same factor); `transactionalIndexWriteUnits`
 *    keeps them apart so the report can show the standard-rate alternative (half).
 * 5. A failed conditional write (PutItem/UpdateItem/DeleteItem, `ConditionalCheckFailedException`). "If a
 *    ConditionExpression evaluates to false during a conditional write, DynamoDB still consumes write capacity
 *    from the table": 1 WCU if the item does not exist, else by its size. Source:
 *    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalWrites.ReturnConsumedCapacity
 *    Neither Local's error nor AWS's error shape carries `ConsumedCapacity`, so Local reports nothing; the totals
 *    bill 1 WCU on the table (the documented minimum, exact for items of 1 KB or less, as the data set's are).
 * 6. A cancelled transaction (`TransactionCanceledException`). The documentation is silent on its capacity; Local
 *    reports nothing. The totals bill the transaction's floor, 2 units per item (its prepare and commit writes at
 *    the sub-KB size, no index writes) — an estimate, shown as such next to Local's 0.
 * 7. Any other failure (validation, throttling, a network error) did no work and is billed 0.
 *
 * Where a figure is billed though the endpoint reported none (5, 6), `unreportedReadUnits`/`unreportedWriteUnits`
 * say how much, so the report shows both. A failed call whose error does carry capacity is billed as reported.
 */
export interface BilledUnits {
  readUnits: number;
  writeUnits: number;
}

/** One call billed, with where its write units went. */
export interface BilledCall extends BilledUnits {
  /** Write units on the base table(s). */
  tableWriteUnits: number;
  /** Write units per secondary index (rule 2): `tableWriteUnits` + these = `writeUnits`. */
  indexWriteUnits: Record<string, number>;
  /** Of the index write units, those of transactions (rule 4: documentation silent, billed as Local reports). */
  transactionalIndexWriteUnits: number;
  /** Units billed where the endpoint reported none: failed conditional writes and cancelled transactions (5, 6). */
  unreportedReadUnits: number;
  unreportedWriteUnits: number;
}

/** How to correct an endpoint's transaction figures to AWS's 2 units per item-KB (see `calibrate.ts`). */
export interface BillingCalibration {
  /** WCU the endpoint reported for a one-item, sub-KB, index-free transactional put (AWS: 2). */
  reportedTransactWrite: number;
  /** 2 / reportedTransactWrite: what transaction units are multiplied by. */
  transactionFactor: number;
}

/** AWS's own figure: a one-item, sub-KB transactional write costs 2 WCU. */
export const AWS_TRANSACTION_UNITS_PER_ITEM = 2;
/** AWS's minimum for a failed conditional write (rule 5). */
export const FAILED_CONDITIONAL_WRITE_UNITS = 1;

const CONDITIONAL_WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem"]);

export function calibrationFrom(reportedTransactWrite: number): BillingCalibration {
  const factor = reportedTransactWrite > 0 ? AWS_TRANSACTION_UNITS_PER_ITEM / reportedTransactWrite : 2;
  return { reportedTransactWrite, transactionFactor: factor };
}

export type BillableCall = Pick<DbCall, "command" | "readUnits" | "writeUnits" | "transactionItems" | "ok"> &
  Partial<Pick<DbCall, "tableUnits" | "indexUnits" | "error">>;

const NOTHING: BilledCall = {
  readUnits: 0,
  writeUnits: 0,
  tableWriteUnits: 0,
  indexWriteUnits: {},
  transactionalIndexWriteUnits: 0,
  unreportedReadUnits: 0,
  unreportedWriteUnits: 0,
};

/** Index write units of a call as reported; a call recorded without the split counts wholly as the table's. */
function reportedIndexWrites(call: BillableCall): Record<string, number> {
  const indexes: Record<string, number> = {};
  for (const [name, units] of Object.entries(call.indexUnits ?? {}))
    if (units.writeUnits > 0) indexes[name] = units.writeUnits;
  return indexes;
}

const total = (values: Record<string, number>) => Object.values(values).reduce((sum, value) => sum + value, 0);

function billFailure(call: BillableCall): BilledCall {
  if (call.error === "ConditionalCheckFailedException" && CONDITIONAL_WRITES.has(call.command)) {
    const units = FAILED_CONDITIONAL_WRITE_UNITS;
    return { ...NOTHING, writeUnits: units, tableWriteUnits: units, unreportedWriteUnits: units };
  }
  if (call.error === "TransactionCanceledException") {
    const units = AWS_TRANSACTION_UNITS_PER_ITEM * call.transactionItems;
    if (call.command === "TransactWriteItems")
      return { ...NOTHING, writeUnits: units, tableWriteUnits: units, unreportedWriteUnits: units };
    if (call.command === "TransactGetItems") return { ...NOTHING, readUnits: units, unreportedReadUnits: units };
  }
  return NOTHING;
}

export function billCall(call: BillableCall, calibration: BillingCalibration): BilledCall {
  if (!call.ok && call.readUnits === 0 && call.writeUnits === 0) return billFailure(call);
  const indexes = reportedIndexWrites(call);
  const tableWrites = call.writeUnits - total(indexes);
  const floor = AWS_TRANSACTION_UNITS_PER_ITEM * call.transactionItems;
  switch (call.command) {
    case "TransactWriteItems": {
      const factor = calibration.transactionFactor;
      const indexWriteUnits = Object.fromEntries(
        Object.entries(indexes).map(([name, units]) => [name, factor * units]),
      );
      const tableWriteUnits = Math.max(factor * tableWrites, floor);
      const transactionalIndexWriteUnits = total(indexWriteUnits);
      return {
        ...NOTHING,
        readUnits: call.readUnits,
        writeUnits: tableWriteUnits + transactionalIndexWriteUnits,
        tableWriteUnits,
        indexWriteUnits,
        transactionalIndexWriteUnits,
      };
    }
    case "TransactGetItems":
      return {
        ...NOTHING,
        readUnits: Math.max(calibration.transactionFactor * call.readUnits, floor),
        writeUnits: call.writeUnits,
        tableWriteUnits: call.writeUnits,
      };
    default:
      return {
        ...NOTHING,
        readUnits: call.readUnits,
        writeUnits: call.writeUnits,
        tableWriteUnits: tableWrites,
        indexWriteUnits: indexes,
      };
  }
}

export function billCalls(calls: readonly BillableCall[], calibration: BillingCalibration): BilledCall {
  const sum: BilledCall = { ...NOTHING, indexWriteUnits: {} };
  for (const call of calls) {
    const billed = billCall(call, calibration);
    sum.readUnits += billed.readUnits;
    sum.writeUnits += billed.writeUnits;
    sum.tableWriteUnits += billed.tableWriteUnits;
    for (const [name, units] of Object.entries(billed.indexWriteUnits))
      sum.indexWriteUnits[name] = (sum.indexWriteUnits[name] ?? 0) + units;
    sum.transactionalIndexWriteUnits += billed.transactionalIndexWriteUnits;
    sum.unreportedReadUnits += billed.unreportedReadUnits;
    sum.unreportedWriteUnits += billed.unreportedWriteUnits;
  }
  return sum;
}

/** Prices of on-demand request units (prices.json). */
export interface Prices {
  region: string;
  currency: string;
  source: string;
  asOf: string;
  note?: string;
  /** USD per million write request units (1 WRU = 1 WCU-equivalent: 1 KB written). */
  writeRequestUnitPerMillion: number;
  /** USD per million read request units (1 RRU = one strongly consistent 4 KB read). */
  readRequestUnitPerMillion: number;
  /** USD per GB-month of table and index storage (standard table class). */
  storageGbMonth: number;
}

/** On-demand cost of one million operations that each consume the given billed units. */
export function costPerMillionOps(units: BilledUnits, prices: Prices): number {
  return units.writeUnits * prices.writeRequestUnitPerMillion + units.readUnits * prices.readRequestUnitPerMillion;
}
