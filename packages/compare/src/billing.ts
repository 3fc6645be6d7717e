import type { DbCall } from "@tablelab/core";

/**
 * Billed capacity: what AWS would charge for a call, from what the meter recorded. The rules, in order:
 *
 * 1. Non-transactional calls (GetItem, Query, BatchGetItem, PutItem, UpdateItem, DeleteItem, BatchWriteItem, Scan)
 *    are billed what DynamoDB reports with `ReturnConsumedCapacity: TOTAL`. DynamoDB Local computes these the way
 *    AWS does: reads 1 RCU per 4 KB strongly consistent and 0.5 RCU per 4 KB eventually consistent (a Query sums
 *    the sizes of the items it reads, then rounds up once; a BatchGetItem rounds up per item), writes 1 WCU per
 *    1 KB of the larger of the old and new item, and — the GSI write amplification — 1 more WCU per 1 KB for
 *    every global secondary index entry the write adds, changes (with ALL projection, any attribute change) or
 *    removes.
 * 2. Transactions (TransactWriteItems, TransactGetItems): AWS bills 2 units per item-KB (a prepare and a commit),
 *    ConditionCheck items included. Older DynamoDB Local releases report 1; the release bundled here reports 2,
 *    as AWS does. Rather than trust either, each run calibrates: one transactional put of a small item with no
 *    index entries must cost 2 WCU; the endpoint's answer gives `transactionFactor` (2 / reported: 2 for an
 *    endpoint that reports 1, 1 for one that reports 2), and every transaction's reported units are multiplied by
 *    it — never less than 2 per item in the transaction.
 * 3. A failed call (an exception, e.g. a cancelled transaction) reports nothing and is billed 0 here. The
 *    workloads are built not to fail; the report shows any error count next to the figures.
 */
export interface BilledUnits {
  readUnits: number;
  writeUnits: number;
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

export function calibrationFrom(reportedTransactWrite: number): BillingCalibration {
  const factor = reportedTransactWrite > 0 ? AWS_TRANSACTION_UNITS_PER_ITEM / reportedTransactWrite : 2;
  return { reportedTransactWrite, transactionFactor: factor };
}

type BillableCall = Pick<DbCall, "command" | "readUnits" | "writeUnits" | "transactionItems" | "ok">;

export function billCall(call: BillableCall, calibration: BillingCalibration): BilledUnits {
  if (!call.ok) return { readUnits: 0, writeUnits: 0 };
  const floor = AWS_TRANSACTION_UNITS_PER_ITEM * call.transactionItems;
  switch (call.command) {
    case "TransactWriteItems":
      return {
        readUnits: call.readUnits,
        writeUnits: Math.max(calibration.transactionFactor * call.writeUnits, floor),
      };
    case "TransactGetItems":
      return {
        readUnits: Math.max(calibration.transactionFactor * call.readUnits, floor),
        writeUnits: call.writeUnits,
      };
    default:
      return { readUnits: call.readUnits, writeUnits: call.writeUnits };
  }
}

export function billCalls(calls: readonly BillableCall[], calibration: BillingCalibration): BilledUnits {
  let readUnits = 0;
  let writeUnits = 0;
  for (const call of calls) {
    const billed = billCall(call, calibration);
    readUnits += billed.readUnits;
    writeUnits += billed.writeUnits;
  }
  return { readUnits, writeUnits };
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
