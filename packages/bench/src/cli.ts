/**
 * pnpm bench [--duration s] [--cold-runs n] [--design single|multi] [--copies none|sync|stream] [--quick] [--out dir]
 *   (--help: what and defaults)
 *
 * API overhead: the real API node server, a bare Hono + lib-dynamodb server and the same bare server reading
 * through ElectroDB (the ElectroDB floor), each in its own process, on one DynamoDB Local, loaded by autocannon
 * in another process at -c 1 and -c 8 (interleaved A B C C B A). The API runs the (design × copies) cell asked
 * for; under COPIES=stream the local stream consumer runs beside it, as under `pnpm dev`, and stops with the run.
 * Cold start: the Lambda handler bundled as SST bundles it, a bare handler and the bare handler reading through
 * ElectroDB, sizes, then import + first response in fresh node processes (rotating which goes first). Prints the figures and PASS/FAIL per target; writes
 * reports/bench.json and reports/bench.md.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join, resolve } from "node:path";
import {
  COPY_STRATEGIES,
  type CopyStrategy,
  DEFAULT_COPIES,
  parseCopyStrategy,
  parseTableDesign,
  TABLE_DESIGNS,
  type TableDesign,
} from "@tablelab/core";
import { Command, InvalidArgumentError, Option } from "commander";
import { type ColdStartResult, measureColdStart } from "./coldstart.js";
import { measureOverhead, type OverheadResult } from "./overhead.js";
import { renderMarkdown, TARGETS, type Target, targetsOf } from "./report.js";
import { startDatabase } from "./setup.js";

const root = resolve(import.meta.dirname, "../../..");

function positiveNumber(value: string): number {
  const number = Number(value);
  if (!(number > 0)) throw new InvalidArgumentError("expected a positive number of seconds");
  return number;
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError("expected a positive integer");
  return number;
}

const program = new Command("pnpm bench")
  .description(
    "Measures what the API adds over a bare Hono + DynamoDB SDK server and over the ElectroDB floor (the bare " +
      "server reading through ElectroDB), on DynamoDB Local under autocannon; bundles the Lambda as SST builds it " +
      "and times import + first response in fresh processes. Prints the figures and each target with PASS/FAIL " +
      `(throughput at -c 8 ≥ ${TARGETS.rpsVsFloorAtC8}× the ElectroDB floor on both routes; import + first ` +
      `response ≤ ${TARGETS.coldStartVsFloor}× the floor handler; median latency at -c 1 ≤ bare + ` +
      `${TARGETS.p50DeltaAtC1Ms} ms; bundle ≤ ${TARGETS.bundleKiB} KiB minified) and writes <out>/bench.json and ` +
      "<out>/bench.md. Takes a few minutes; figures on a shared machine are noisy.",
  )
  .option(
    "--duration <seconds>",
    "seconds of load per server, route and concurrency (default: 10, --quick: 1.5)",
    positiveNumber,
  )
  .option(
    "--cold-runs <n>",
    "fresh processes per handler for the cold start (default: 12, --quick: 3)",
    positiveInteger,
  )
  .addOption(new Option("--design <design>", "table design the API runs on").choices(TABLE_DESIGNS).default("single"))
  .addOption(
    new Option(
      "--copies <strategy>",
      "how the API keeps copies of names, as COPIES; under stream the local stream consumer runs beside it " +
        `(default: the design's: ${TABLE_DESIGNS.map((name) => `${name} → ${DEFAULT_COPIES[name]}`).join(", ")})`,
    ).choices(COPY_STRATEGIES),
  )
  .option("--quick", "smoke test: short runs, no warm-up, few cold starts; figures not meaningful", false)
  .option("--out <dir>", "where to write bench.json and bench.md", "reports")
  // One line per error (commander's own message, as every tablelab CLI words it), never the help text.
  .configureOutput({
    outputError: (message, write) => write(`${message.trim().split("\n")[0]} (see pnpm bench --help)\n`),
  })
  .parse();

const values = program.opts<{
  duration?: number;
  coldRuns?: number;
  design: string;
  copies?: string;
  quick: boolean;
  out: string;
}>();
const quick = values.quick;
const seconds = values.duration ?? (quick ? 1.5 : 10);
const coldRuns = values.coldRuns ?? (quick ? 3 : 12);
const design: TableDesign = parseTableDesign(values.design);
const copies: CopyStrategy = parseCopyStrategy(values.copies, design);
const outDir = resolve(values.out);

export interface BenchReport {
  startedAt: string;
  machine: { cpus: number; model: string; node: string; platform: string };
  options: {
    quick: boolean;
    seconds: number;
    warmupSeconds: number;
    rounds: number;
    coldRuns: number;
    design: TableDesign;
    copies: CopyStrategy;
  };
  overhead: OverheadResult;
  coldStart: ColdStartResult;
  targets: Target[];
}

// Lambda runs Node 24, where the SDK prints no Node 20 deprecation warning; keep it out of this output too.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const log = (line: string) => console.log(line);
const startedAt = new Date().toISOString();
log(`pnpm bench: ${quick ? "quick (smoke test)" : "full"} run, API on the ${design} design, COPIES=${copies}`);
log(`starting DynamoDB Local and seeding${copies === "stream" ? ", then the local stream consumer" : ""}…`);
const db = await startDatabase({ design, copies });
const scratch = join(root, "dist/bench");
try {
  const warmupSeconds = quick ? 0 : 2;
  const rounds = quick ? 1 : 2;
  log(`API overhead (${seconds} s per server, route and concurrency):`);
  const overhead = await measureOverhead({
    root,
    endpoint: db.local.endpoint,
    design,
    copies,
    apiTablePrefix: db.api.tablePrefix,
    apiEventId: db.api.eventId,
    baselineEventId: db.baseline.eventId,
    sharesBaselineItems: db.api.sharesBaselineItems,
    seconds,
    warmupSeconds,
    rounds,
    log,
  });
  log(`cold start (${coldRuns} fresh processes per handler):`);
  rmSync(scratch, { recursive: true, force: true });
  const coldStart = await measureColdStart({
    root,
    out: scratch,
    endpoint: db.local.endpoint,
    eventId: db.baseline.eventId,
    runs: coldRuns,
    log,
  });
  const report: BenchReport = {
    startedAt,
    machine: {
      cpus: availableParallelism(),
      model: cpus()[0]?.model ?? "unknown",
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    options: { quick, seconds, warmupSeconds, rounds, coldRuns, design, copies },
    overhead,
    coldStart,
    targets: targetsOf(overhead, coldStart),
  };
  const markdown = renderMarkdown(report);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "bench.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, "bench.md"), markdown);
  log("");
  log(markdown);
  log(`written: ${join(outDir, "bench.json")}, ${join(outDir, "bench.md")}`);
} finally {
  await db.stop();
}
