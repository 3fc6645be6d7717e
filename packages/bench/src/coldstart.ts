import { join } from "node:path";
import { build } from "esbuild";
import { bundleLambda, bundleSstFunction, type LambdaBundle } from "../../../scripts/lambda-build.js";
import { apiFunctionArgs } from "../../../scripts/sst-functions.js";
import { API_HANDLER } from "../../../stacks/lambda-package.js";
import { runChild } from "./processes.js";
import { JWT_SECRET, TABLE_PREFIX } from "./setup.js";
import { median } from "./stats.js";

export interface ColdStartOptions {
  root: string;
  /** Where the bundles and the probe are written (a scratch directory). */
  out: string;
  endpoint: string;
  eventId: string;
  runs: number;
  log: (line: string) => void;
}

export interface ProbeRun {
  importMs: number;
  firstResponseMs: number;
  totalMs: number;
  /** spawn → exit as the parent saw it (node's own start-up and exit included). */
  wallMs: number;
}

export interface HandlerFigures {
  bytes: number;
  gzipBytes: number;
  /** The largest contributors to the bundle, by package. */
  top: [string, number][];
  runs: ProbeRun[];
  median: { importMs: number; firstResponseMs: number; totalMs: number; wallMs: number };
}

export interface ColdStartResult {
  settings: Record<string, string>;
  api: HandlerFigures;
  baseline: HandlerFigures;
  /** The bare handler reading through ElectroDB (baseline/electrodb-lambda.ts): the floor of any ElectroDB handler. */
  electrodb: HandlerFigures;
  /** api / baseline, medians of import + first response. */
  ratio: number;
  /** electrodb / baseline, the same way. */
  electrodbRatio: number;
}

/** The environment of every probe: what the Lambda would have (production's DB_METRICS=0), against DynamoDB Local. */
function probeEnvironment(endpoint: string): Record<string, string> {
  return {
    DYNAMODB_ENDPOINT: endpoint,
    TABLE_NAME: TABLE_PREFIX,
    TABLE_DESIGN: "single",
    JWT_SECRET,
    DB_METRICS: "0",
    // Lambda runs Node 24, where the SDK prints no Node 20 deprecation warning; keep it out of the figures here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

async function probe(root: string, probeFile: string, bundle: string, eventId: string, env: Record<string, string>) {
  const { stdout, wallMs } = await runChild([probeFile, bundle, eventId], env, root);
  const line = stdout.split("\n").find((text) => text.startsWith('{"probe":true'));
  if (!line) throw new Error(`the probe printed no result for ${bundle}: ${stdout.slice(-500)}`);
  const result = JSON.parse(line) as { importMs: number; firstResponseMs: number; statusCode: number; body?: string };
  if (result.statusCode !== 200) throw new Error(`${bundle} answered ${result.statusCode}: ${result.body}`);
  return {
    run: {
      importMs: result.importMs,
      firstResponseMs: result.firstResponseMs,
      totalMs: result.importMs + result.firstResponseMs,
      wallMs,
    },
    body: result.body,
  };
}

function figures(bundle: LambdaBundle, runs: ProbeRun[]): HandlerFigures {
  return {
    bytes: bundle.bytes,
    gzipBytes: bundle.gzipBytes,
    top: bundle.byPackage.slice(0, 10),
    runs,
    median: {
      importMs: median(runs.map((run) => run.importMs)),
      firstResponseMs: median(runs.map((run) => run.firstResponseMs)),
      totalMs: median(runs.map((run) => run.totalMs)),
      wallMs: median(runs.map((run) => run.wallMs)),
    },
  };
}

export async function measureColdStart(options: ColdStartOptions): Promise<ColdStartResult> {
  const { root, out, log } = options;
  // The API as SST would build it from sst.config.ts's options, and the two baselines with the same settings and
  // options (scripts/lambda-build.ts).
  const args = await apiFunctionArgs(root, API_HANDLER);
  const nodejs = args.nodejs as Record<string, unknown> | undefined;
  const api = await bundleSstFunction({ root, args, out: join(out, "api"), metafilePath: join(out, "api/meta.json") });
  const baseline = await bundleLambda({
    root,
    entry: join(root, "packages/bench/src/baseline/lambda.ts"),
    outfile: join(out, "baseline/lambda.mjs"),
    metafilePath: join(out, "baseline/meta.json"),
    ...(nodejs ? { nodejs } : {}),
  });
  const electrodb = await bundleLambda({
    root,
    entry: join(root, "packages/bench/src/baseline/electrodb-lambda.ts"),
    outfile: join(out, "electrodb/lambda.mjs"),
    metafilePath: join(out, "electrodb/meta.json"),
    ...(nodejs ? { nodejs } : {}),
  });
  const probeFile = join(out, "probe.mjs");
  await build({
    entryPoints: [join(root, "packages/bench/src/probe.ts")],
    outfile: probeFile,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });

  const env = probeEnvironment(options.endpoint);
  const targets = ["api", "baseline", "electrodb"] as const;
  const runs = { api: [] as ProbeRun[], baseline: [] as ProbeRun[], electrodb: [] as ProbeRun[] };
  const bundles = { api: api.outfile, baseline: baseline.outfile, electrodb: electrodb.outfile };
  // One untimed round first: the OS file cache and DynamoDB Local's first-request paths are warm for all.
  const bodies = [];
  for (const target of targets) bodies.push((await probe(root, probeFile, bundles[target], options.eventId, env)).body);
  if (new Set(bodies).size !== 1) log("  warning: the handlers answer with different bodies");
  for (let i = 0; i < options.runs; i++) {
    // Rotating order, so that no handler always goes first (or last) in a round.
    for (let j = 0; j < targets.length; j++) {
      const target = targets[(i + j) % targets.length] as (typeof targets)[number];
      runs[target].push((await probe(root, probeFile, bundles[target], options.eventId, env)).run);
    }
  }
  const result: ColdStartResult = {
    settings: { ...env, runs: String(options.runs) },
    api: figures(api, runs.api),
    baseline: figures(baseline, runs.baseline),
    electrodb: figures(electrodb, runs.electrodb),
    ratio: 0,
    electrodbRatio: 0,
  };
  result.ratio = result.api.median.totalMs / result.baseline.median.totalMs;
  result.electrodbRatio = result.electrodb.median.totalMs / result.baseline.median.totalMs;
  return result;
}
