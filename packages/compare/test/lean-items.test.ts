import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ITEM_KINDS, measureLeanItems, measureStep, STEPS } from "../src/lean-items.js";

const SIZES = { users: 4, events: 3, registrations: 6 };

describe("lean single-table items, measured step by step", () => {
  const measures = STEPS.map((step) => measureStep(step, SIZES, "lean-test"));

  it("no step makes any item or index entry larger, and each saves bytes", () => {
    for (const [i, measure] of measures.entries()) {
      const before = measures[i - 1];
      if (!before) continue;
      for (const kind of ITEM_KINDS) {
        for (const part of ["item", "gsi1", "gsi2", "stored"] as const) {
          expect(measure.kinds[kind][part], `${measure.step}: ${kind} ${part}`).toBeLessThanOrEqual(
            before.kinds[kind][part],
          );
        }
      }
      expect(measure.dataset.sync.billablePerItem).toBeLessThan(before.dataset.sync.billablePerItem);
    }
  });

  it("the identifiers save 14 bytes (two names of 9 → 2 characters) on every item and every index entry", () => {
    const [before, identifiers] = measures;
    for (const kind of ITEM_KINDS) {
      expect((before?.kinds[kind].item ?? 0) - (identifiers?.kinds[kind].item ?? 0)).toBe(14);
    }
    expect((before?.kinds.user.gsi2 ?? 0) - (identifiers?.kinds.user.gsi2 ?? 0)).toBe(14);
  });

  it("INCLUDE projections leave the items alone and shrink only index entries", () => {
    const [, , prefixes, projections] = measures;
    for (const kind of ITEM_KINDS) expect(projections?.kinds[kind].item).toBe(prefixes?.kinds[kind].item);
    expect(projections?.kinds.event.gsi1).toBeLessThan(prefixes?.kinds.event.gsi1 ?? 0);
    expect(projections?.kinds["email marker"].gsi1).toBe(0);
  });

  it("prints one row per item kind and step, and the data set's bytes per item", () => {
    const table = measureLeanItems(SIZES, "lean-test");
    for (const step of STEPS) expect(table).toContain(`| ${step.name} |`);
    expect(table).toContain("| registration (sync, stream) | before |");
    expect(table).toContain("per-entity design (for scale)");
  });

  it("runs as the documented command", async () => {
    const { stdout } = await promisify(execFile)(
      "pnpm",
      ["exec", "tsx", "packages/compare/src/lean-items.ts", "--users", "4", "--events", "3", "--registrations", "6"],
      { cwd: new URL("../../..", import.meta.url).pathname },
    );
    expect(stdout).toContain("| + INCLUDE projections |");
  }, 60_000);
});
