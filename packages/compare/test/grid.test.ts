import { describe, expect, it } from "vitest";
import { parseCompareArgs } from "../src/args.js";
import { main } from "../src/main.js";
import type { PatternStats } from "../src/metrics.js";
import { withConsumerWork } from "../src/mix/figures.js";
import { type DesignMonth, GROUPS, type MixResult } from "../src/mix/model.js";
import { oneTableViews, strategyViews } from "../src/report/grid.js";
import { parseVariantList, VARIANT_NAMES } from "../src/variants.js";

const names = (value: string) => parseVariantList(value).map((variant) => `${variant.design}+${variant.copies}`);

describe("--designs: cells of the grid", () => {
  it("takes variant names, and a design alone as that design with all three strategies, in grid order", () => {
    expect(names("multi+stream,single+sync")).toEqual(["single+sync", "multi+stream"]);
    expect(names("single")).toEqual(["single+none", "single+sync", "single+stream"]);
    expect(names(" multi , multi+none ")).toEqual(["multi+none", "multi+sync", "multi+stream"]);
  });

  it("runs all six by default, the sweep's four sizes, and --quick leaves the 5,000 point out", () => {
    const defaults = parseCompareArgs([]);
    if (defaults === "help") throw new Error("unexpected help");
    expect(defaults.designs.map((v) => `${v.design}+${v.copies}`)).toEqual([...VARIANT_NAMES]);
    expect(defaults.designs).toHaveLength(6);
    expect(defaults.sweep).toEqual([10, 100, 1000, 5000]);
    const quick = parseCompareArgs(["--quick"]);
    expect(quick !== "help" && quick.sweep).toEqual([10, 100, 1000]);
    const none = parseCompareArgs(["--no-sweep"]);
    expect(none !== "help" && none.sweep).toEqual([]);
    const custom = parseCompareArgs(["--sweep", "100,10,100"]);
    expect(custom !== "help" && custom.sweep).toEqual([10, 100]);
  });

  it("refuses an unknown cell in one line naming the valid ones, and --help lists them", async () => {
    for (const bad of ["single+bogus", "triple", "single+sync+x", ""]) {
      const err: string[] = [];
      const code = await main(["--designs", bad], { out: () => {}, err: (line) => err.push(line) });
      expect(code, bad).toBe(2);
      expect(err, bad).toHaveLength(1);
      if (bad) expect(err[0]).toContain(`"${bad}"`);
    }
    const err: string[] = [];
    await main(["--designs", "single+bogus"], { out: () => {}, err: (line) => err.push(line) });
    for (const name of VARIANT_NAMES) expect(err[0]).toContain(name);
    const out: string[] = [];
    expect(await main(["--help"], { out: (line) => out.push(line), err: () => {} })).toBe(0);
    const help = out.join("\n").replace(/\s+/g, " ");
    expect(help).toContain("--designs <list>");
    expect(help).toContain("single+sync");
    expect(help).toContain("--sweep <sizes>");
    expect(help).toContain("--quick");
    expect(help).toContain("--no-sweep");
  });
});

/** A month per cell where every group costs `cost(variant, group index)`: enough to check the views' arithmetic. */
function mixOf(variants: string[], cost: (variant: string, group: number) => number): MixResult {
  const designs: DesignMonth[] = variants.map((id) => {
    const groups = Object.fromEntries(
      GROUPS.map((group, index) => [group.id, { ops: 1000, cost: cost(id, index), latencyMs: 10 + index }]),
    ) as DesignMonth["groups"];
    const total = GROUPS.reduce((sum, _group, index) => sum + cost(id, index), 0);
    return {
      id,
      label: id,
      readCost: total,
      writeCost: 0,
      storageCost: 1,
      totalCost: total + 1,
      storageBytes: 0,
      requests: 0,
      latencyMs: 12,
      groups,
    };
  });
  return {
    mix: { name: "test", perMonth: {}, users: 1, events: 1, registrationsPerEvent: 1 },
    totalOps: 0,
    readsPerMonth: 0,
    designs,
    ranking: variants,
    breakEven: [],
  };
}

describe("the grid's views", () => {
  it("compares single+X with multi+X per strategy run on both, and each design's strategies", () => {
    const mix = mixOf(["single+none", "single+sync", "multi+none", "multi+sync", "multi+stream"], (variant, group) =>
      variant.startsWith("single") ? group + 1 : 2 * (group + 1),
    );
    const oneTable = oneTableViews(mix);
    // single+stream was not run: only none and sync are held equal.
    expect(oneTable.map((view) => view.variants)).toEqual([
      ["single+none", "multi+none"],
      ["single+sync", "multi+sync"],
    ]);
    const joined = oneTable[0]?.groups[0];
    expect(joined?.cells.map((cell) => cell.cost)).toEqual([1, 2]);
    const strategies = strategyViews(mix);
    expect(strategies.map((view) => view.variants)).toEqual([
      ["single+none", "single+sync"],
      ["multi+none", "multi+sync", "multi+stream"],
    ]);
    expect(strategies[1]?.totals.map((total) => total.cost)).toEqual([31, 31, 31]);
  });

  it("has nothing to compare with one cell per design and different strategies", () => {
    const mix = mixOf(["single+sync", "multi+none"], () => 1);
    expect(oneTableViews(mix)).toEqual([]);
    expect(strategyViews(mix)).toEqual([]);
  });
});

describe("stream cells in the workload model", () => {
  const base = {
    variant: "multi+stream",
    pattern: "AP10",
    ops: 3,
    errors: 0,
    requestsPerOp: 1,
    roundTripsPerOp: 1,
    readUnitsPerOp: 0,
    writeUnitsPerOp: 3,
    billedReadUnitsPerOp: 0,
    billedWriteUnitsPerOp: 3,
    costPerMillionOps: 0,
    itemsPerOp: 10,
    commandsPerOp: {},
    latencyMs: { p50: 1, p95: 1, p99: 1, mean: 1 },
  } satisfies PatternStats;
  const consumer = { requestsPerOp: 11, billedReadUnitsPerOp: 1, billedWriteUnitsPerOp: 20 };

  it("prices the consumer's requests and units with the write that made the copies stale", () => {
    expect(withConsumerWork(base)).toEqual({ requests: 1, roundTrips: 1, billedReadUnits: 0, billedWriteUnits: 3 });
    const figures = withConsumerWork({
      ...base,
      copyMaintenance: { inRequest: { requestsPerOp: 0, writeUnitsPerOp: 0 }, consumer },
    });
    // The caller does not wait for the consumer: round trips stay the request's.
    expect(figures).toEqual({ requests: 12, roundTrips: 1, billedReadUnits: 1, billedWriteUnits: 23 });
  });

  it("grows the consumer's share with the fan-out when the figures are fitted per item", () => {
    const line = { requests: 1, roundTrips: 1, billedReadUnits: 0, billedWriteUnits: 3 };
    const zero = { requests: 0, roundTrips: 0, billedReadUnits: 0, billedWriteUnits: 0 };
    const figures = withConsumerWork({
      ...base,
      perItem: { meanItems: 10, intercept: line, slope: zero },
      copyMaintenance: { inRequest: { requestsPerOp: 0, writeUnitsPerOp: 0 }, consumer },
    });
    expect(figures.perItem?.slope).toEqual({ requests: 1.1, roundTrips: 0, billedReadUnits: 0.1, billedWriteUnits: 2 });
    expect(figures.perItem?.intercept).toEqual(line);
  });
});
