import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateMix, GROUPS, type Mix, type ModelFigures, PRESETS } from "../src/mix/model.js";
import { loadMixFile, MixFileError, mixFrom } from "../src/mix/schema.js";

const directory = mkdtempSync(join(tmpdir(), "tablelab-mix-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(data: unknown): string {
  try {
    mixFrom(data, "x");
  } catch (error) {
    expect(error).toBeInstanceOf(MixFileError);
    return (error as Error).message;
  }
  throw new Error("accepted");
}

/** Two made-up designs: "a" cheap to read and dear to fan out, "b" the reverse (figures, not a database). */
const model: ModelFigures = {
  prices: { readPerMillion: 0.125, writePerMillion: 0.625, storageGbMonth: 0.25 },
  latency: { dynamoRoundTripMs: 5, apiOverheadMs: 10 },
  designs: [
    {
      id: "a",
      label: "A",
      bytesPer: { user: 500, event: 700, registration: 400 },
      patterns: {
        AP15: { requests: 1, roundTrips: 1, billedReadUnits: 1, billedWriteUnits: 0 },
        AP10: {
          requests: 21,
          roundTrips: 21,
          billedReadUnits: 1,
          billedWriteUnits: 41,
          perItem: {
            intercept: { requests: 1, roundTrips: 1, billedReadUnits: 1, billedWriteUnits: 1 },
            slope: { requests: 1, roundTrips: 1, billedReadUnits: 0, billedWriteUnits: 2 },
          },
        },
      },
    },
    {
      id: "b",
      label: "B",
      bytesPer: { user: 300, event: 400, registration: 200 },
      patterns: {
        AP15: { requests: 2, roundTrips: 2, billedReadUnits: 9, billedWriteUnits: 0 },
        AP10: { requests: 1, roundTrips: 1, billedReadUnits: 0, billedWriteUnits: 2 },
      },
    },
  ],
};

describe("mix files", () => {
  it("name the field at fault", () => {
    expect(errorOf({ preset: "event-site", shares: { AP99: 1 }, total: 10 })).toContain(
      "shares.AP99: not an access pattern",
    );
    expect(errorOf({ preset: "event-site", perMonth: { AP1: -5 } })).toContain("perMonth.AP1:");
    expect(errorOf({ preset: "event-site", shares: { AP1: 1 } })).toContain("total: shares need a monthly total");
    expect(errorOf({ perMonth: { AP1: 5 }, registrationsPerEvent: 3 })).toContain("items:");
    expect(errorOf({ preset: "event-site", items: { users: "many" } })).toContain("items.users:");
    expect(errorOf({ preset: "event-site", colour: "blue" })).toContain("colour: unknown field");
    expect(errorOf({ preset: "nope" })).toContain("preset:");
  });

  it("reads YAML and JSON alike, and shares + total as operations per month", () => {
    const yaml = file(
      "ours.yaml",
      "name: ours\ntotal: 1000\nshares:\n  AP15: 3\n  AP10: 1\nitems: { users: 100, events: 10 }\nregistrationsPerEvent: 20\n",
    );
    const json = file(
      "ours.json",
      JSON.stringify({
        name: "ours",
        perMonth: { AP15: 750, AP10: 250 },
        items: { users: 100, events: 10 },
        registrationsPerEvent: 20,
      }),
    );
    expect(loadMixFile(yaml)).toEqual(loadMixFile(json));
    expect(loadMixFile(yaml).perMonth).toEqual({ AP15: 750, AP10: 250 });
    expect(() => loadMixFile(file("bad.yaml", "perMonth: [1, 2"))).toThrow(/bad\.yaml: not JSON or YAML/);
    expect(() => loadMixFile(join(directory, "missing.yaml"))).toThrow(/missing\.yaml: cannot read it/);
  });

  it("accepts the example file docs/comparison.md shows", () => {
    const example = loadMixFile(new URL("../examples/mix.yaml", import.meta.url).pathname);
    expect(example.name).toBe("our conference site");
    // Whole operations per pattern: the total is kept to within the rounding of each of the 10 shares.
    const total = Object.values(example.perMonth).reduce((a, b) => a + (b ?? 0), 0);
    expect(Math.abs(total - 3_000_000)).toBeLessThanOrEqual(5);
    expect(Object.values(example.perMonth).every((ops) => Number.isInteger(ops))).toBe(true);
  });

  it("has the two named presets, each a complete mix", () => {
    for (const preset of Object.values(PRESETS)) {
      const total = Object.values(preset.mix.perMonth).reduce((a, b) => a + (b ?? 0), 0);
      expect(Object.keys(preset.mix.perMonth)).toHaveLength(16);
      expect(total).toBeCloseTo(preset.mix.name.includes("event site") ? 20_000_000 : 2_000_000, 3);
    }
    expect(mixFrom({ preset: "back-office" }, "x").name).toBe("write-heavy back office");
  });
});

describe("the workload model", () => {
  const mix: Mix = {
    name: "m",
    perMonth: { AP15: 1_000_000, AP10: 1_000 },
    users: 1000,
    events: 100,
    registrationsPerEvent: 20,
  };

  it("prices reads, writes and storage per design, and estimates latency from round trips", () => {
    const result = evaluateMix(mix, model);
    const a = result.designs.find((d) => d.id === "a");
    // AP10 at 20 registrations per event: 1 + 2 × 20 = 41 WCU, 21 round trips.
    expect(a?.writeCost).toBeCloseTo((1_000 * 41 * 0.625) / 1e6, 12);
    expect(a?.readCost).toBeCloseTo((1_000_000 * 1 * 0.125 + 1_000 * 1 * 0.125) / 1e6, 12);
    expect(a?.groups.renames.latencyMs).toBeCloseTo(10 + 21 * 5, 9);
    expect(a?.storageBytes).toBe(1000 * 500 + 100 * 700 + 2000 * 400);
    // Fan-out follows registrations per event.
    const more = evaluateMix({ ...mix, registrationsPerEvent: 40 }, model).designs.find((d) => d.id === "a");
    expect(more?.writeCost).toBeCloseTo((1_000 * 81 * 0.625) / 1e6, 12);
  });

  it("puts the break-even where both designs cost the same", () => {
    const result = evaluateMix(mix, model);
    const renames = result.breakEven.find((b) => b.group === "renames");
    expect(renames?.cheaper).toBe("a");
    expect(renames?.cheaperBelow).toBe(true);
    const ops = ((renames?.perThousandReads ?? 0) / 1000) * result.readsPerMonth;
    const even = evaluateMix({ ...mix, perMonth: { ...mix.perMonth, AP10: ops } }, model);
    const [a, b] = even.designs;
    expect(a?.totalCost).toBeCloseTo(b?.totalCost ?? Number.NaN, 9);
    expect(GROUPS.flatMap((g) => g.patterns)).toHaveLength(16);
  });
});
