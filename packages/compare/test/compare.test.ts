import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { createDynamoClients } from "@tablelab/core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { main } from "../src/main.js";
import type { ComparisonResult } from "../src/run.js";
import { PATTERNS } from "../src/workloads/types.js";

const SMALL = ["--users", "20", "--events", "10", "--registrations", "60", "--ops", "4", "--concurrency", "2"];
/**
 * The two cells whose stores serve their copy strategy on every branch (today's behaviour of each design); the
 * other four are the store branches' to prove. A two-point sweep keeps the run short.
 */
const GRID = ["--designs", "single+sync,multi+none", "--sweep", "4,12"];
const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

async function compare(seed: string) {
  const out = mkdtempSync(join(tmpdir(), "tablelab-compare-"));
  directories.push(out);
  const log: string[] = [];
  const code = await main(
    [...SMALL, ...GRID, "--seed", seed, "--endpoint", inject("dynamoEndpoint"), "--yes", "--out", out, "--no-progress"],
    {
      out: (line) => log.push(line),
      err: (line) => log.push(line),
    },
  );
  expect(code, log.join("\n")).toBe(0);
  const result = JSON.parse(readFileSync(join(out, "compare.json"), "utf8")) as ComparisonResult & {
    findings: Array<{ pattern: string }>;
  };
  return { out, result };
}

/** Everything that must not depend on the run: requests, capacity, cost, items, storage. Latency and time may. */
function deterministic(result: ComparisonResult) {
  return result.designs.map((design) => ({
    variant: design.variant,
    seeding: { ...design.seeding, durationMs: 0 },
    storage: design.storage,
    scanned: design.scannedStorage,
    samples: design.samples,
    patterns: design.patterns.map(({ latencyMs: _latency, subCases, walk, ...figures }) => ({
      ...figures,
      subCases: Object.fromEntries(
        Object.entries(subCases ?? {}).map(([name, { latencyMs: _l, ...rest }]) => [name, rest]),
      ),
      walk: walk && { ...walk, latencyMsPerList: null },
    })),
    sweep: design.sweep.map(({ latencyMs: _latency, ...point }) => point),
  }));
}

describe("pnpm compare (small run on DynamoDB Local)", () => {
  let first: Awaited<ReturnType<typeof compare>>;

  it("writes compare.json, compare.md and compare.html with AP1–AP16 for every cell of the grid it ran", {
    timeout: 120_000,
  }, async () => {
    first = await compare("ci");
    for (const file of ["compare.json", "compare.md", "compare.html"])
      expect(existsSync(join(first.out, file))).toBe(true);
    const { result } = first;
    expect(result.designs.map((design) => design.variant)).toEqual(["single+sync", "multi+none"]);
    expect(result.meta.designs).toEqual(["single+sync", "multi+none"]);
    // Each cell has its own tables, named after it.
    const [single, multi] = result.designs;
    expect(Object.values(single?.tables ?? {}).every((name) => name.includes("-single-sync-"))).toBe(true);
    expect(Object.values(multi?.tables ?? {}).every((name) => name.includes("-multi-none-"))).toBe(true);
    for (const design of result.designs) {
      expect(design.patterns.map((stats) => stats.pattern)).toEqual(PATTERNS.map((pattern) => pattern.id));
      for (const stats of design.patterns) {
        expect(stats.ops, `${design.design} ${stats.pattern}`).toBeGreaterThan(0);
        expect(stats.errors, `${design.design} ${stats.pattern}: ${design.errors[stats.pattern]}`).toBe(0);
        expect(stats.requestsPerOp).toBeGreaterThan(0);
      }
      // The census read back with Scan agrees with the items the seeder wrote.
      expect(design.scannedStorage.items).toBe(design.storage.items);
      expect(design.scannedStorage.itemBytes).toBe(design.storage.itemBytes);
      expect(design.seeding.requests).toBe(Math.ceil(design.storage.items / 25));
    }
    expect(result.findings.map((finding) => finding.pattern)).toEqual(PATTERNS.map((pattern) => pattern.id));

    // Copy maintenance: in the request under sync (an event rename rewrites every registration's copy), none
    // under none but for the event date, a key every strategy keeps current.
    const ap10 = (design: typeof single) => design?.patterns.find((stats) => stats.pattern === "AP10");
    expect(ap10(single)?.copyMaintenance?.inRequest.requestsPerOp).toBeGreaterThan(0);
    const ap4Multi = multi?.patterns.find((stats) => stats.pattern === "AP4");
    expect(ap4Multi?.copyMaintenance?.inRequest).toEqual({ requestsPerOp: 0, writeUnitsPerOp: 0 });
    expect(single?.patterns.find((stats) => stats.pattern === "AP1")?.copyMaintenance).toBeUndefined();

    // The sweep: one rename per size and cell. Copies cost sync requests as they grow; without copies a rename
    // is the same request at any size.
    for (const design of result.designs) {
      expect(design.sweep.map((point) => [point.copies, point.outcome])).toEqual([
        [4, "renamed"],
        [12, "renamed"],
      ]);
    }
    const [small, large] = single?.sweep ?? [];
    expect(large?.copyMaintenance.inRequest.requestsPerOp).toBe(12);
    expect(small?.copyMaintenance.inRequest.requestsPerOp).toBe(4);
    expect(large?.requests).toBeGreaterThan(small?.requests ?? Number.POSITIVE_INFINITY);
    const [multiSmall, multiLarge] = multi?.sweep ?? [];
    expect(multiLarge?.requests).toBe(multiSmall?.requests);
    expect(multiLarge?.copyMaintenance.inRequest.requestsPerOp).toBe(0);

    // GSI write amplification apart: a new event is one table write plus its index entries (date, organizer), and
    // the split adds up to the billed total.
    for (const design of result.designs) {
      const ap5 = design.patterns.find((stats) => stats.pattern === "AP5");
      const split = ap5?.billedWritesPerOp;
      const indexUnits = Object.values(split?.indexes ?? {}).reduce((sum, units) => sum + units, 0);
      expect(indexUnits, design.variant).toBeGreaterThanOrEqual(2);
      expect((split?.table ?? 0) + indexUnits).toBeCloseTo(ap5?.billedWriteUnitsPerOp ?? -1, 3);
    }

    const markdown = readFileSync(join(first.out, "compare.md"), "utf8");
    const html = readFileSync(join(first.out, "compare.html"), "utf8");
    expect(markdown).toContain("### Where the write units go");
    expect(html).toContain('id="write-split"');
    for (const { id } of PATTERNS) {
      expect(markdown).toContain(`| ${id} |`);
      expect(html).toContain(`<strong>${id}</strong>`);
    }
    expect(markdown).toContain("Where one table per entity is better");
    expect(markdown).toContain("## The grid: what one table buys");
    expect(markdown).toContain("## Fan-out sweep: copies per rename");
    expect(markdown).toMatch(/\| single\+sync \| 12 \| renamed \|/);
    expect(html).toContain('id="sweep"');
    expect(markdown.indexOf("## Verdict")).toBeLessThan(markdown.indexOf("## Per access pattern"));
    expect(markdown).toContain("**read-heavy event site**");
    // Self-contained: inline SVG charts and one inline script, nothing loaded from elsewhere.
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|src="http/);
    expect(html).toContain("Table layout");
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('id="charts"'));
    // Round trips are measured: never more than the requests, and at least one per operation.
    for (const design of result.designs)
      for (const stats of design.patterns) {
        expect(stats.roundTripsPerOp, `${design.design} ${stats.pattern}`).toBeGreaterThanOrEqual(1);
        expect(stats.roundTripsPerOp).toBeLessThanOrEqual(stats.requestsPerOp);
      }
    // Requests sent in parallel are measured as such (one table per entity sends AP9's two reads together).
    const parallel = result.designs.flatMap((d) => d.patterns.filter((s) => s.roundTripsPerOp < s.requestsPerOp));
    expect(parallel.length).toBeGreaterThan(0);
  });

  it("gives identical request and capacity figures for the same --seed", { timeout: 120_000 }, async () => {
    const second = await compare("ci");
    expect(deterministic(second.result)).toEqual(deterministic(first.result));
  });

  it("deletes every table it created", async () => {
    const clients = createDynamoClients({ endpoint: inject("dynamoEndpoint") });
    const { TableNames = [] } = await clients.client.send(new ListTablesCommand({}));
    clients.destroy();
    expect(TableNames.filter((name) => name.startsWith("tablelab-compare-"))).toEqual([]);
  });
});
