/**
 * pnpm exec tsx packages/bench/src/copy-lag.ts [--designs single,multi] [--renames n] [--copies n] [--interval ms]
 *   (--help: what and defaults)
 *
 * COPIES=stream's convergence lag with the real stores and the real local stream consumer, per design: p50/p99/max
 * from a rename's write to its last copy written. Uses DYNAMODB_ENDPOINT when set (its own tables, deleted
 * afterwards), else starts a DynamoDB Local of its own (in memory) and stops it at the end.
 */
import { availableParallelism, loadavg } from "node:os";
import { parseTableDesign, STATED_P99_LAG_MS, TABLE_DESIGNS, type TableDesign } from "@tablelab/core";
import { startDynamoDbLocal } from "@tablelab/core/local";
import { Command, InvalidArgumentError } from "commander";
import { type CopyLagResult, measureCopyLag } from "./copy-lag-run.js";

function integerIn(min: number, max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return number;
  };
}

function designList(value: string): TableDesign[] {
  try {
    return [...new Set(value.split(",").map((design) => parseTableDesign(design.trim())))];
  } catch {
    throw new InvalidArgumentError(`expected a comma-separated list of ${TABLE_DESIGNS.join(", ")}`);
  }
}

const program = new Command("copy-lag")
  .description(
    "Measures COPIES=stream's convergence lag on DynamoDB Local with the real stores and the real stream " +
      "consumer: per design, renames of users and events that have registrations, one at a time, and the lag " +
      "from each rename's write (its updatedAt) to its last copy written, as p50/p99/max. Checks that every copy " +
      `is current at the end and prints PASS/FAIL against the stated bound (p99 ≤ ${STATED_P99_LAG_MS} ms). ` +
      "Uses DYNAMODB_ENDPOINT when set, else a DynamoDB Local of its own.",
  )
  .option("--designs <list>", "table designs, comma-separated", designList, [...TABLE_DESIGNS])
  .option("--renames <n>", "renames per design, alternating a user's and an event's", integerIn(1, 100_000), 200)
  .option("--copies <n>", "registrations of each renamed user and event (copies per rename)", integerIn(1, 100), 5)
  .option("--interval <ms>", "pause between two renames", integerIn(0, 60_000), 20)
  // One line per error (commander's own message, as every tablelab CLI words it), never the help text.
  .configureOutput({
    outputError: (message, write) => write(`${message.trim().split("\n")[0]} (see copy-lag --help)\n`),
  })
  .parse();

const values = program.opts<{ designs: TableDesign[]; renames: number; copies: number; interval: number }>();

const external = process.env.DYNAMODB_ENDPOINT?.trim() || undefined;
const local = external ? undefined : await startDynamoDbLocal({ maxHeap: "512m", startTimeoutMs: 120_000 });
const endpoint = external ?? (local?.endpoint as string);
let results: CopyLagResult[];
try {
  console.log(
    `copy lag on ${external ? `DYNAMODB_ENDPOINT ${external}` : "a DynamoDB Local of its own"}; ` +
      `${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)}`,
  );
  results = await measureCopyLag({
    endpoint,
    designs: values.designs,
    renames: values.renames,
    copiesPerRename: values.copies,
    intervalMs: values.interval,
    onProgress: (message) => console.log(message),
  });
} finally {
  await local?.stop();
}

console.log("");
console.log("| design | renames | copies per rename | p50 (ms) | p99 (ms) | max (ms) | copies current |");
console.log("| ------ | ------: | ----------------: | -------: | -------: | -------: | -------------- |");
for (const { design, renames, copiesPerRename, lag, allCurrent } of results) {
  console.log(
    `| ${design} | ${renames} | ${copiesPerRename} | ${lag.p50} | ${lag.p99} | ${lag.max} | ${allCurrent ? "yes" : "NO"} |`,
  );
}
const failed = results.filter((result) => !result.allCurrent || result.lag.p99 > STATED_P99_LAG_MS);
console.log(
  `\n${failed.length === 0 ? "PASS" : "FAIL"}: every copy current, p99 ≤ ${STATED_P99_LAG_MS} ms` +
    (failed.length > 0 ? ` (not: ${failed.map((result) => result.design).join(", ")})` : ""),
);
process.exitCode = failed.length === 0 ? 0 : 1;
