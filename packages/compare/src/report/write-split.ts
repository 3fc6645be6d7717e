import type { ComparisonResult } from "../run.js";
import { PATTERNS } from "../workloads/types.js";
import { num } from "./format.js";

/**
 * "Where the write units go": per write pattern and design, the billed WCU per operation split between the base
 * table and each secondary index (the GSI write amplification, from `ReturnConsumedCapacity: INDEXES`), with the
 * two figures AWS's documentation does not settle shown beside the totals (billing.ts, rules 4–6). One source for
 * the Markdown and the HTML report.
 */
export const WRITE_SPLIT_HEADER = [
  "AP",
  "design",
  "billed WCU/op",
  "table",
  "indexes (all)",
  "per index",
  "in transactions (as reported → at 1×)",
  "failed calls (reported 0 → billed)",
];

export const WRITE_SPLIT_NOTE =
  "Billed write units per operation (the request's own calls; a stream consumer's later copy writes are in the grid), split by where DynamoDB reported them (`ReturnConsumedCapacity: INDEXES`): the base table, and every secondary index an operation added, changed or removed an entry of (a key change is two index writes, a delete and a put). Index writes made inside a transaction are billed as DynamoDB Local reports them, doubled like the transaction's items; AWS's documentation is silent, and at the standard rate they would be half. Failed conditional writes (1 WCU each) and cancelled transactions (2 per item) are billed although the endpoint reports nothing. Rules and sources: `docs/comparison.md`.";

export function writeSplitRows(result: ComparisonResult): string[][] {
  return PATTERNS.flatMap(({ id }) =>
    result.designs.flatMap((design) => {
      const stats = design.patterns.find((pattern) => pattern.pattern === id);
      const split = stats?.billedWritesPerOp;
      if (!stats || !split || stats.billedWriteUnitsPerOp === 0) return [];
      const indexTotal = Object.values(split.indexes).reduce((sum, units) => sum + units, 0);
      const perIndex = Object.entries(split.indexes)
        .filter(([, units]) => units > 0)
        .map(([name, units]) => `${name} ${num(units)}`)
        .join(", ");
      const transactional = split.transactionalIndexes;
      return [
        [
          id,
          design.variant,
          num(stats.billedWriteUnitsPerOp),
          num(split.table),
          num(indexTotal),
          perIndex || "–",
          transactional > 0 ? `${num(transactional)} → ${num(transactional / 2)}` : "–",
          split.unreported > 0 ? `0 → ${num(split.unreported)}` : "–",
        ],
      ];
    }),
  );
}
