/**
 * `pnpm bench --quick` end to end, so the benchmark cannot rot: it starts its own DynamoDB Local, the servers,
 * autocannon and the cold-start probes, and must write both reports with every figure. The figures of a quick
 * run on a shared CI machine are noise, so the targets are not asserted here (`pnpm bench` prints them).
 * The one full run is the README's `pnpm bench --copies stream` with CI-sized flags appended: the stream cell
 * does all the default cell does (on the same items) and also runs and stops the local stream consumer.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";
import type { BenchReport } from "../../packages/bench/src/cli.js";

const root = resolve(import.meta.dirname, "../..");
const out = mkdtempSync(join(tmpdir(), "tablelab-bench-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function bench(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "packages/bench/src/cli.ts", ...args], {
    cwd: root,
    encoding: "utf8",
  });
}

it("answers --help with what it measures, the targets, its options and their defaults", () => {
  // Exactly as README.md and docs/benchmarks.md show it.
  const help = spawnSync("pnpm", ["bench", "--help"], { cwd: root, encoding: "utf8" });
  expect(help.status).toBe(0);
  for (const text of ["ElectroDB floor", "PASS/FAIL", "--duration", "default: 10", "--cold-runs", "--quick"]) {
    expect(help.stdout).toContain(text);
  }
  // (commander wraps the help to the terminal's width.)
  expect(help.stdout.replace(/\s+/g, " ")).toContain(
    '--design <design> table design the API runs on (choices: "single", "multi", default: "single")',
  );
});

it("rejects an unknown option or a bad value with one line and a non-zero exit, before starting anything", () => {
  for (const [args, message] of [
    [["--bogus"], "error: unknown option '--bogus'"],
    [["--design", "triple"], "argument 'triple' is invalid"],
    [["--copies", "sometimes"], "argument 'sometimes' is invalid"],
    [["--cold-runs", "1.5"], "expected a positive integer"],
  ] as const) {
    const result = bench([...args]);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(message);
  }
});

const positive = (value: number) => expect(Number.isFinite(value) && value > 0, String(value)).toBe(true);

it("pnpm bench --copies stream --quick writes reports/bench.json and bench.md with every figure", {
  timeout: 240_000,
}, () => {
  // It exits only once everything it started has stopped: a consumer left polling would hold it past the timeout.
  const printed = execFileSync("pnpm", ["bench", "--copies", "stream", "--quick", "--duration", "1", "--out", out], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  expect(printed).toContain("## Targets");
  expect(printed).toContain("API on the single design, COPIES=stream");

  const report = JSON.parse(readFileSync(join(out, "bench.json"), "utf8")) as BenchReport;
  expect(report.options).toMatchObject({ design: "single", copies: "stream" });
  // The API was asked for the stream cell (and the run checked its /health names it, or it would have failed).
  expect(report.overhead.settings).toMatchObject({
    DB_METRICS: "0",
    LOG_LEVEL: "silent",
    TABLE_DESIGN: "single",
    COPIES: "stream",
  });
  expect(report.overhead.identicalBodies).toBe(true);
  expect(report.overhead.rows.map((row) => [row.route, row.concurrency])).toEqual([
    ["GET /events/{id}", 1],
    ["GET /events/{id}?include=attendees", 1],
    ["GET /events/{id}", 8],
    ["GET /events/{id}?include=attendees", 8],
  ]);
  for (const row of report.overhead.rows) {
    for (const side of [row.api, row.baseline]) {
      positive(side.rps);
      positive(side.p50);
      positive(side.p99);
      expect(side.non2xx + side.errors).toBe(0);
    }
    positive(row.rpsRatio);
    expect(Number.isFinite(row.p50DeltaMs)).toBe(true);
    // Read from /proc: this suite runs on Linux.
    positive(row.api.cpuUsPerRequest ?? 0);
    positive(row.baseline.cpuUsPerRequest ?? 0);
    positive(row.cpuRatio ?? 0);
    positive(row.electrodb.rps);
    expect(row.electrodb.non2xx + row.electrodb.errors).toBe(0);
    positive(row.electrodbRpsRatio);
    positive(row.electrodbCpuRatio ?? 0);
  }

  const { coldStart } = report;
  expect(coldStart.api.runs).toHaveLength(3);
  expect(coldStart.baseline.runs).toHaveLength(3);
  expect(coldStart.electrodb.runs).toHaveLength(3);
  for (const handler of [coldStart.api, coldStart.baseline, coldStart.electrodb]) {
    positive(handler.bytes);
    positive(handler.gzipBytes);
    positive(handler.median.importMs);
    positive(handler.median.firstResponseMs);
    positive(handler.median.totalMs);
  }
  positive(coldStart.ratio);
  positive(coldStart.electrodbRatio);
  expect(report.targets.map((target) => target.name)).toEqual([
    "median latency, GET /events/{id}, -c 1",
    "median latency, GET /events/{id}?include=attendees, -c 1",
    "throughput, GET /events/{id}, -c 8",
    "throughput, GET /events/{id}?include=attendees, -c 8",
    "Lambda bundle, minified (as SST builds it)",
    "import + first response",
  ]);
  // Throughput and cold start are judged against the ElectroDB floor, each beside the floor's own figure vs bare.
  const byName = new Map(report.targets.map((target) => [target.name, target]));
  expect(byName.get("throughput, GET /events/{id}, -c 8")?.limit).toBe("≥ 0.9× floor");
  expect(byName.get("import + first response")?.limit).toBe("≤ 1.2× floor");
  const coldVsFloor = coldStart.api.median.totalMs / coldStart.electrodb.median.totalMs;
  expect(byName.get("import + first response")?.pass).toBe(coldVsFloor <= 1.2);
  for (const target of report.targets) expect(target.floor).toMatch(/bare/);

  const markdown = readFileSync(join(out, "bench.md"), "utf8");
  for (const heading of ["## API overhead", "## Cold-start proxy", "## Targets"]) expect(markdown).toContain(heading);
  expect(markdown.match(/\| (PASS|FAIL) \|/g)).toHaveLength(6);
  expect(markdown).toContain("ElectroDB floor itself");
  expect(markdown).toContain("bare Hono + SDK");
  expect(markdown).toContain("bare Hono + ElectroDB (Event entity)");
  expect(markdown).toContain("API CPU µs/req");
  expect(markdown).toContain("The ElectroDB floor");
});
