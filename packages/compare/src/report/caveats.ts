import type { BillingCalibration } from "../billing.js";

/** What a run can and cannot tell: stated in every report. */
export function caveats(local: boolean, calibration: BillingCalibration): string[] {
  const transactions =
    calibration.transactionFactor === 1
      ? `This endpoint reported a one-item, sub-KB transactional write as ${calibration.reportedTransactWrite} WCU — AWS's own figure — so its transaction units are billed as reported (older DynamoDB Local releases report 1 and would be doubled).`
      : `This endpoint reported a one-item, sub-KB transactional write as ${calibration.reportedTransactWrite} WCU where AWS bills 2, so its transaction units are multiplied by ${calibration.transactionFactor}.`;
  const lines = [
    `**Billed vs reported capacity.** The RCU/WCU columns marked *reported* are what DynamoDB returned with \`ReturnConsumedCapacity: INDEXES\` (the total, and the table and each index apart); *billed* applies AWS's rules, each with its source in \`docs/comparison.md\`: transactions cost 2 units per item-KB, checked by a calibration at the start of every run. ${transactions} GSI write amplification is in the reported figures, and shown apart per pattern (table vs index write units). Two figures the endpoint does not settle are billed by rule and shown beside what it reported: a failed conditional write costs 1 WCU on AWS (reported 0), and a cancelled transaction is billed 2 units per item (AWS's documentation is silent; reported 0). Cost per million operations uses the billed units and the prices below.`,
    "**Requests and capacity are deterministic** for a given `--seed` and sizes: the same data, the same targets, the same ids and clock values in every run. Latency is not.",
  ];
  if (local) {
    lines.push(
      "**DynamoDB Local is not AWS.** It never throws `TransactionConflict` and never throttles, so the concurrency here measures no contention; its reads look strongly consistent even on GSIs. **Latency is local** — a JVM on the same small machine, sub-millisecond network — and says little about AWS, where every round trip costs milliseconds: there, the request counts are the better predictor of latency.",
    );
  } else {
    lines.push(
      "**Latency** is what this machine saw against the endpoint, including its network distance; transaction conflicts and throttling, if any, show up as retries (requests) and errors.",
    );
  }
  return lines;
}
