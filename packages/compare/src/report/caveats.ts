/** What a local run can and cannot tell: stated in every report. */
export function caveats(local: boolean): string[] {
  const lines = [
    "**Billed vs reported capacity.** The RCU/WCU columns marked *reported* are what DynamoDB returned with `ReturnConsumedCapacity: TOTAL`; *billed* applies AWS's rules: transactions cost 2 units per item-KB where DynamoDB Local reports 1 (see `docs/comparison.md` for every rule). Cost per million operations uses the billed units and the prices below.",
    "**Requests and capacity are deterministic** for a given `--seed` and sizes: the same data, the same targets, the same ids and clock values in every run. Latency is not.",
  ];
  if (local) {
    lines.push(
      "**DynamoDB Local is not AWS.** It never throws `TransactionConflict` and never throttles, so the concurrency here measures no contention; it under-reports transaction capacity (corrected in the billed columns); its reads look strongly consistent even on GSIs. **Latency is local** — a JVM on the same small machine, sub-millisecond network — and says little about AWS, where every round trip costs milliseconds: there, the request counts are the better predictor of latency.",
    );
  } else {
    lines.push(
      "**Latency** is what this machine saw against the endpoint, including its network distance; transaction conflicts and throttling, if any, show up as retries (requests) and errors.",
    );
  }
  return lines;
}
