import type { BenchReport } from "./cli.js";
import type { ColdStartResult, HandlerFigures } from "./coldstart.js";
import type { OverheadResult } from "./overhead.js";

/**
 * The targets (issue 11, part 4). Throughput and cold start are bounded by what ElectroDB itself costs, so they
 * are measured against the ElectroDB floor (the bare server / handler reading through the same entities) in the
 * same run; latency and bundle size stay absolute. Reads stay on ElectroDB: there is no second read path.
 */
export const TARGETS = {
  /** API req/s ≥ this × the ElectroDB floor's, at -c 8, on both routes. */
  rpsVsFloorAtC8: 0.9,
  /** API median latency ≤ bare + this, at -c 1. */
  p50DeltaAtC1Ms: 1,
  /** Minified bundle as SST builds it. */
  bundleKiB: 1000,
  /** API import + first response ≤ this × the ElectroDB floor handler's. */
  coldStartVsFloor: 1.2,
} as const;

export interface Target {
  name: string;
  value: string;
  limit: string;
  pass: boolean;
  /** The ElectroDB floor's own figure against the bare baseline, so the price of the modeler stays visible. */
  floor: string;
}

export function targetsOf(overhead: OverheadResult, coldStart: ColdStartResult): Target[] {
  const targets: Target[] = [];
  for (const row of overhead.rows) {
    if (row.concurrency === 8) {
      const vsFloor = row.api.rps / row.electrodb.rps;
      targets.push({
        name: `throughput, ${row.route}, -c 8`,
        value: `${vsFloor.toFixed(2)}× floor`,
        limit: `≥ ${TARGETS.rpsVsFloorAtC8}× floor`,
        pass: vsFloor >= TARGETS.rpsVsFloorAtC8,
        floor: `${row.electrodbRpsRatio.toFixed(2)}× bare`,
      });
    }
    if (row.concurrency === 1) {
      targets.push({
        name: `median latency, ${row.route}, -c 1`,
        value: `${signed(row.p50DeltaMs)} ms vs bare`,
        limit: `≤ +${TARGETS.p50DeltaAtC1Ms} ms`,
        pass: row.p50DeltaMs <= TARGETS.p50DeltaAtC1Ms,
        floor: `${signed(row.electrodb.p50 - row.baseline.p50)} ms vs bare`,
      });
    }
  }
  const kib = coldStart.api.bytes / 1024;
  targets.push({
    name: "Lambda bundle, minified (as SST builds it)",
    value: `${kib.toFixed(1)} KiB`,
    limit: `≤ ${TARGETS.bundleKiB} KiB`,
    pass: kib <= TARGETS.bundleKiB,
    floor: `${(coldStart.electrodb.bytes / 1024).toFixed(1)} KiB (bare ${(coldStart.baseline.bytes / 1024).toFixed(1)})`,
  });
  const coldVsFloor = coldStart.api.median.totalMs / coldStart.electrodb.median.totalMs;
  targets.push({
    name: "import + first response",
    value: `${coldVsFloor.toFixed(2)}× floor`,
    limit: `≤ ${TARGETS.coldStartVsFloor}× floor`,
    pass: coldVsFloor <= TARGETS.coldStartVsFloor,
    floor: `${coldStart.electrodbRatio.toFixed(2)}× bare`,
  });
  return targets;
}

const signed = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(2)}`;
const ms = (value: number) => value.toFixed(2);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
/** CPU µs per request and ratios that /proc could not give are "–". */
const cpu = (value: number | null) => (value === null ? "–" : value.toFixed(0));
const ratio = (value: number | null) => (value === null ? "–" : `${value.toFixed(2)}×`);

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function coldRow(name: string, figures: HandlerFigures): string[] {
  const { median } = figures;
  return [
    name,
    kib(figures.bytes),
    kib(figures.gzipBytes),
    ms(median.importMs),
    ms(median.firstResponseMs),
    ms(median.totalMs),
    ms(median.wallMs),
  ];
}

export function renderMarkdown(report: BenchReport): string {
  const { overhead, coldStart, options, machine } = report;
  const parts: string[] = [];
  parts.push(`# pnpm bench — ${report.startedAt}`);
  parts.push(
    `${options.quick ? "**Quick run (smoke test): the figures are not meaningful.** " : ""}` +
      `${machine.cpus} CPUs (${machine.model}), Node ${machine.node}, ${machine.platform}. ` +
      `API design: ${options.design}, COPIES=${options.copies}; ${options.seconds} s of load per server, route and concurrency ` +
      `(${options.rounds === 2 ? "two interleaved halves, A B C C B A" : "one run each"}) after ` +
      `${options.warmupSeconds > 0 ? `a ${options.warmupSeconds} s warm-up` : "no warm-up"}; ` +
      `${options.coldRuns} cold starts per handler.`,
  );
  parts.push("## API overhead (node server, autocannon in its own process)");
  parts.push(
    `API server: packages/api/src/server.ts with ${Object.entries(overhead.settings)
      .map(([key, value]) => `${key}=${value}`)
      .join(", ")}. ` +
      "Baseline: packages/bench/src/baseline/server.ts (plain Hono + lib-dynamodb, the same GetItem / Query). " +
      `Same JSON bodies: ${overhead.identicalBodies ? "yes" : "NO"}. Latency in ms (per-response, sub-ms; p50/p99 averaged over the halves). ` +
      "CPU µs/req: the server process's CPU time (user + system, /proc) over the requests it served — steadier " +
      "than req/s on a shared machine; a server bound by its one event loop serves at most 1 / that per second.",
  );
  parts.push(
    table(
      [
        "route",
        "-c",
        "API req/s",
        "base req/s",
        "req/s ratio",
        "API p50",
        "base p50",
        "p50 Δ",
        "API p99",
        "base p99",
        "p99 ratio",
        "API CPU µs/req",
        "base CPU µs/req",
        "CPU ratio",
      ],
      overhead.rows.map((row) => [
        row.route,
        String(row.concurrency),
        row.api.rps.toFixed(0),
        row.baseline.rps.toFixed(0),
        `${row.rpsRatio.toFixed(2)}×`,
        ms(row.api.p50),
        ms(row.baseline.p50),
        signed(row.p50DeltaMs),
        ms(row.api.p99),
        ms(row.baseline.p99),
        `${row.p99Ratio.toFixed(2)}×`,
        cpu(row.api.cpuUsPerRequest),
        cpu(row.baseline.cpuUsPerRequest),
        ratio(row.cpuRatio),
      ]),
    ),
  );
  parts.push(
    "**The ElectroDB floor** — packages/bench/src/baseline/electrodb-server.ts: the bare server, reading through " +
      "the single-table design's ElectroDB entities instead (the same requests, the same JSON): about the best a " +
      "server reading through ElectroDB can do; the API's distance from it is what its HTTP layer and store add.",
  );
  parts.push(
    table(
      ["route", "-c", "floor req/s", "floor / bare req/s", "floor CPU µs/req", "floor / bare CPU", "API / floor req/s"],
      overhead.rows.map((row) => [
        row.route,
        String(row.concurrency),
        row.electrodb.rps.toFixed(0),
        ratio(row.electrodbRpsRatio),
        cpu(row.electrodb.cpuUsPerRequest),
        ratio(row.electrodbCpuRatio),
        ratio(row.api.rps / row.electrodb.rps),
      ]),
    ),
  );
  parts.push("## Cold-start proxy (bundled as SST bundles it; fresh node process per run; medians)");
  parts.push(
    `Environment: ${Object.entries(coldStart.settings)
      .filter(([key]) => key !== "JWT_SECRET" && key !== "runs")
      .map(([key, value]) => `${key}=${value}`)
      .join(", ")}, JWT_SECRET set. ` +
      "import = `await import(bundle)`; first response = the handler's answer to a synthetic API Gateway v2 " +
      "`GET /events/{id}` (a real GetItem on DynamoDB Local); wall = spawn → exit, node's own start-up included.",
  );
  parts.push(
    table(
      ["handler", "minified", "gzip", "import ms", "first response ms", "import + first ms", "wall ms"],
      [
        coldRow("API (packages/api/src/lambda.ts)", coldStart.api),
        coldRow("bare Hono + SDK", coldStart.baseline),
        coldRow("bare Hono + ElectroDB (Event entity)", coldStart.electrodb),
      ],
    ),
  );
  parts.push(
    `Ratio (import + first response, API / bare): **${coldStart.ratio.toFixed(2)}×**. ` +
      `ElectroDB floor (the bare handler reading through ElectroDB's Event entity instead, ` +
      `packages/bench/src/baseline/electrodb-lambda.ts / bare): **${coldStart.electrodbRatio.toFixed(2)}×** — ` +
      "about the best a handler that reads through ElectroDB can do. " +
      `API / floor: **${(coldStart.api.median.totalMs / coldStart.electrodb.median.totalMs).toFixed(2)}×**.`,
  );
  parts.push(
    `Largest parts of the API bundle: ${coldStart.api.top
      .slice(0, 8)
      .map(([name, bytes]) => `${name} ${kib(bytes)}`)
      .join(", ")}.`,
  );
  parts.push("## Targets");
  parts.push(
    "Throughput and cold start against the ElectroDB floor measured in this run (what reading through ElectroDB " +
      "allows at best); latency against the bare server; the last column is the floor's own distance from bare.",
  );
  parts.push(
    table(
      ["target", "measured", "limit", "result", "ElectroDB floor itself"],
      report.targets.map((target) => [
        target.name,
        target.value,
        target.limit,
        target.pass ? "PASS" : "FAIL",
        target.floor,
      ]),
    ),
  );
  return `${parts.join("\n\n")}\n`;
}
