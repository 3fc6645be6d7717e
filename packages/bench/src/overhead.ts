import { isDeepStrictEqual } from "node:util";
import type { CopyStrategy, TableDesign } from "@tablelab/core";
import { freePort } from "@tablelab/core/local";
import type { LoadResult } from "./load.js";
import { cpuTimeMs, runChild, startChild, stopChild, tsxArgs, waitForOk } from "./processes.js";
import { JWT_SECRET, TABLE_PREFIX } from "./setup.js";
import { mean } from "./stats.js";

export const ROUTES = [
  { id: "event", label: "GET /events/{id}", query: "" },
  { id: "attendees", label: "GET /events/{id}?include=attendees", query: "?include=attendees" },
] as const;
export const CONCURRENCY = [1, 8] as const;

export interface OverheadOptions {
  root: string;
  endpoint: string;
  design: TableDesign;
  copies: CopyStrategy;
  /** TABLE_NAME of the API's tables. */
  apiTablePrefix: string;
  /** The seeded event of the API's cell, and of the single table (which the baselines read). */
  apiEventId: string;
  baselineEventId: string;
  /** The API reads the baselines' very items: their bodies must then be the same. */
  sharesBaselineItems: boolean;
  /** Seconds of load per target, route and concurrency (split into interleaved halves). */
  seconds: number;
  /** 0: no warm-up. */
  warmupSeconds: number;
  /** 2: two interleaved halves (A B C C B A); 1: one run each (A B C), for the quick smoke test. */
  rounds: 1 | 2;
  log: (line: string) => void;
}

/** One load run, with the CPU time the server under load used meanwhile (Linux only). */
export type Run = LoadResult & { serverCpuMs: number | null };

export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /**
   * The server's CPU time per request, µs: the steadiest figure of the lot on a shared machine. A server that
   * is CPU-bound (one event loop, one core) serves at most 1 / this many requests per second.
   */
  cpuUsPerRequest: number | null;
  runs: Run[];
}

export interface OverheadRow {
  route: string;
  concurrency: number;
  api: Measured;
  baseline: Measured;
  /** api / baseline. */
  rpsRatio: number;
  /** api / baseline CPU time per request (null where it cannot be read). */
  cpuRatio: number | null;
  /** The ElectroDB floor (baseline/electrodb-server.ts): the bare server reading through ElectroDB. */
  electrodb: Measured;
  /** electrodb / baseline. */
  electrodbRpsRatio: number;
  electrodbCpuRatio: number | null;
  /** api − baseline, ms. */
  p50DeltaMs: number;
  p50Ratio: number;
  p99Ratio: number;
}

export interface OverheadResult {
  settings: Record<string, string>;
  identicalBodies: boolean;
  rows: OverheadRow[];
}

/** Both halves' figures combined: throughput over the whole time, latency percentiles averaged over the halves. */
function combine(runs: Run[]): Measured {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const cpuMs = runs.every((run) => run.serverCpuMs !== null)
    ? runs.reduce((sum, run) => sum + (run.serverCpuMs ?? 0), 0)
    : null;
  return {
    cpuUsPerRequest: cpuMs === null || requests === 0 ? null : (cpuMs * 1000) / requests,
    rps: requests / seconds,
    p50: mean(runs.map((run) => run.p50)),
    p99: mean(runs.map((run) => run.p99)),
    requests,
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    runs,
  };
}

async function load(root: string, url: string, connections: number, seconds: number, server?: number): Promise<Run> {
  const before = cpuTimeMs(server);
  const { stdout } = await runChild(
    tsxArgs("packages/bench/src/load.ts", [url, String(connections), String(seconds)]),
    {},
    root,
  );
  const after = cpuTimeMs(server);
  const result = JSON.parse(stdout.trim().split("\n").at(-1) as string) as LoadResult;
  return { ...result, serverCpuMs: before === undefined || after === undefined ? null : after - before };
}

function cpuRatio(a: Measured, b: Measured): number | null {
  return a.cpuUsPerRequest === null || b.cpuUsPerRequest === null ? null : a.cpuUsPerRequest / b.cpuUsPerRequest;
}

async function bodyOf(url: string): Promise<unknown> {
  const response = await fetch(url);
  return response.json();
}

/** The API names the cell it serves on /health: the one asked for, or the figures would be of another. */
async function expectServing(url: string, design: TableDesign, copies: CopyStrategy): Promise<void> {
  const health = (await bodyOf(url)) as { design?: string; copies?: string };
  if (health.design !== design || health.copies !== copies) {
    throw new Error(`the API serves ${health.design}+${health.copies}, not ${design}+${copies} as asked`);
  }
}

export async function measureOverhead(options: OverheadOptions): Promise<OverheadResult> {
  const { root, log } = options;
  const [apiPort, basePort, electroPort] = [await freePort(), await freePort(), await freePort()];
  const common = { DYNAMODB_ENDPOINT: options.endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  const settings = { DB_METRICS: "0", LOG_LEVEL: "silent", TABLE_DESIGN: options.design, COPIES: options.copies };
  const api = startChild(
    tsxArgs("packages/api/src/server.ts"),
    {
      ...common,
      ...settings,
      PORT: String(apiPort),
      TABLE_NAME: options.apiTablePrefix,
      JWT_SECRET,
      HOST: "127.0.0.1",
    },
    root,
  );
  const baseline = startChild(
    tsxArgs("packages/bench/src/baseline/server.ts"),
    { ...common, PORT: String(basePort), TABLE_NAME: TABLE_PREFIX },
    root,
  );
  const electrodb = startChild(
    tsxArgs("packages/bench/src/baseline/electrodb-server.ts"),
    { ...common, PORT: String(electroPort), TABLE_NAME: TABLE_PREFIX },
    root,
  );
  try {
    const targets = {
      api: `http://127.0.0.1:${apiPort}/events/${options.apiEventId}`,
      baseline: `http://127.0.0.1:${basePort}/events/${options.baselineEventId}`,
      electrodb: `http://127.0.0.1:${electroPort}/events/${options.baselineEventId}`,
    };
    await Promise.all([
      waitForOk(targets.api, api),
      waitForOk(targets.baseline, baseline),
      waitForOk(targets.electrodb, electrodb),
    ]);

    await expectServing(`http://127.0.0.1:${apiPort}/health`, options.design, options.copies);

    // Same work, same answer: the bodies must match (the API's only when it reads the baselines' items).
    let identicalBodies = true;
    for (const route of ROUTES) {
      const [a, b, e] = [
        await bodyOf(targets.api + route.query),
        await bodyOf(targets.baseline + route.query),
        await bodyOf(targets.electrodb + route.query),
      ];
      if ((options.sharesBaselineItems && !isDeepStrictEqual(a, b)) || !isDeepStrictEqual(e, b)) {
        identicalBodies = false;
        log(`  warning: the servers answer ${route.label} differently`);
      }
    }

    if (options.warmupSeconds > 0) {
      log(`  warm-up: ${options.warmupSeconds} s per server and route at -c 8`);
      for (const route of ROUTES) {
        for (const url of Object.values(targets)) {
          await load(root, url + route.query, 8, options.warmupSeconds);
        }
      }
    }

    const pids = { api: api.pid, baseline: baseline.pid, electrodb: electrodb.pid };
    const orders = (
      [
        ["api", "baseline", "electrodb"],
        ["electrodb", "baseline", "api"],
      ] as const
    ).slice(0, options.rounds);
    const share = options.seconds / orders.length;
    const rows: OverheadRow[] = [];
    for (const concurrency of CONCURRENCY) {
      for (const route of ROUTES) {
        // Interleaved A B C C B A: drift in the machine's load hits every server alike.
        const runs = { api: [] as Run[], baseline: [] as Run[], electrodb: [] as Run[] };
        for (const order of orders) {
          for (const target of order) {
            runs[target].push(await load(root, targets[target] + route.query, concurrency, share, pids[target]));
          }
        }
        const [a, b, e] = [combine(runs.api), combine(runs.baseline), combine(runs.electrodb)];
        const row: OverheadRow = {
          route: route.label,
          concurrency,
          api: a,
          baseline: b,
          rpsRatio: a.rps / b.rps,
          cpuRatio: cpuRatio(a, b),
          electrodb: e,
          electrodbRpsRatio: e.rps / b.rps,
          electrodbCpuRatio: cpuRatio(e, b),
          p50DeltaMs: a.p50 - b.p50,
          p50Ratio: a.p50 / b.p50,
          p99Ratio: a.p99 / b.p99,
        };
        rows.push(row);
        log(
          `  -c ${concurrency} ${route.label}: API ${a.rps.toFixed(0)} req/s p50 ${a.p50.toFixed(2)} ms` +
            ` | baseline ${b.rps.toFixed(0)} req/s p50 ${b.p50.toFixed(2)} ms | ×${row.rpsRatio.toFixed(2)}` +
            (row.cpuRatio === null ? "" : ` | CPU/request ×${row.cpuRatio.toFixed(2)}`) +
            ` | ElectroDB floor ×${row.electrodbRpsRatio.toFixed(2)}`,
        );
        if (a.non2xx + a.errors + b.non2xx + b.errors + e.non2xx + e.errors > 0) {
          log(
            `  warning: non-2xx or errors (API ${a.non2xx}/${a.errors}, baseline ${b.non2xx}/${b.errors}, ` +
              `ElectroDB floor ${e.non2xx}/${e.errors})`,
          );
        }
      }
    }
    return { settings, identicalBodies, rows };
  } finally {
    await Promise.all([stopChild(api), stopChild(baseline), stopChild(electrodb)]);
  }
}
