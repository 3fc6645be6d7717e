/**
 * pnpm bench [--duration s] [--cold-runs n] [--design single|multi] [--quick]
 *
 * API overhead: the real API node server, a bare Hono + lib-dynamodb server and the same bare server reading
 * through ElectroDB (the ElectroDB floor), each in its own process, on one DynamoDB Local, loaded by autocannon
 * in another process at -c 1 and -c 8 (interleaved A B C C B A).
 * Cold start: the Lambda handler bundled as SST bundles it, a bare handler and the bare handler reading through
 * ElectroDB, sizes, then import + first response in fresh node processes (rotating which goes first). Prints the figures and PASS/FAIL per target; writes
 * reports/bench.json and reports/bench.md.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseTableDesign, type TableDesign } from "@tablelab/core";
import { type ColdStartResult, measureColdStart } from "./coldstart.js";
import { measureOverhead, type OverheadResult } from "./overhead.js";
import { renderMarkdown, type Target, targetsOf } from "./report.js";
import { startDatabase } from "./setup.js";

const root = resolve(import.meta.dirname, "../../..");
const { values } = parseArgs({
  options: {
    duration: { type: "string" },
    "cold-runs": { type: "string" },
    design: { type: "string", default: "single" },
    quick: { type: "boolean", default: false },
    out: { type: "string", default: join(root, "reports") },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log("pnpm bench [--duration <s per run, default 10>] [--cold-runs <n, default 12>] [--design single|multi]");
  console.log(
    "           [--quick: 1.5 s runs, no warm-up, 3 cold starts: a smoke test] [--out <dir, default reports>]",
  );
  process.exit(0);
}
const quick = values.quick ?? false;
const seconds = Number(values.duration ?? (quick ? 1.5 : 10));
const coldRuns = Number(values["cold-runs"] ?? (quick ? 3 : 12));
if (!(seconds > 0) || !Number.isInteger(coldRuns) || coldRuns < 1) {
  console.error("--duration must be a positive number of seconds and --cold-runs a positive integer");
  process.exit(2);
}
const design: TableDesign = parseTableDesign(values.design);
const outDir = resolve(values.out ?? join(root, "reports"));

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
  };
  overhead: OverheadResult;
  coldStart: ColdStartResult;
  targets: Target[];
}

// Lambda runs Node 24, where the SDK prints no Node 20 deprecation warning; keep it out of this output too.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const log = (line: string) => console.log(line);
const startedAt = new Date().toISOString();
log(`pnpm bench: ${quick ? "quick (smoke test)" : "full"} run, API on the ${design} design`);
log("starting DynamoDB Local and seeding…");
const designs: TableDesign[] = design === "single" ? ["single"] : ["single", design];
const db = await startDatabase(designs);
const scratch = join(root, "dist/bench");
try {
  const warmupSeconds = quick ? 0 : 2;
  const rounds = quick ? 1 : 2;
  log(`API overhead (${seconds} s per server, route and concurrency):`);
  const overhead = await measureOverhead({
    root,
    endpoint: db.local.endpoint,
    design,
    apiEventId: db.events[design] as string,
    baselineEventId: db.events.single as string,
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
    eventId: db.events.single as string,
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
    options: { quick, seconds, warmupSeconds, rounds, coldRuns, design },
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
