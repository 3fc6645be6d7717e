import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DESIGN_VARIANTS, variantName } from "@tablelab/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, shellCommands } from "./documented-commands.js";

/**
 * docs/comparison.md's local `pnpm compare` commands, run by bash exactly as written from the repository root
 * (each starts and stops its own DynamoDB Local and writes reports/compare.*): the CI-sized run, and the
 * `--mix` example — the latter with the CI-sized run's size flags appended (its default sizes take minutes) and
 * two cells (the six are the first run's), the documented text otherwise unchanged. A developer's own reports/compare.* are moved aside and put back.
 */
const CI_SIZED = "pnpm compare --users 30 --events 15 --registrations 100 --ops 10 --no-sweep";
const WITH_MIX = "pnpm compare --mix packages/compare/examples/mix.yaml";
const REPORTS = ["compare.json", "compare.md", "compare.html"].map((file) => join(repoRoot, "reports", file));
const SLOW = 600_000; // "~20 s" on a quiet machine; minutes on a busy shared one

const run = promisify(execFile);
const aside = mkdtempSync(join(tmpdir(), "tablelab-compare-commands-"));

function documented(command: string): string {
  const found = shellCommands().find((entry) => entry.file === "docs/comparison.md" && entry.command === command);
  if (!found) throw new Error(`docs/comparison.md no longer shows \`${command}\``);
  return found.command;
}

/** Runs a command line with bash from the repository root; resolves with the report it wrote. */
async function compare(command: string) {
  const started = Date.now();
  const { stdout } = await run("bash", ["-c", command], { cwd: repoRoot, timeout: SLOW, maxBuffer: 64 * 1024 * 1024 });
  for (const file of REPORTS) expect(statSync(file).mtimeMs, file).toBeGreaterThanOrEqual(started - 1000);
  const report = JSON.parse(readFileSync(REPORTS[0] as string, "utf8")) as {
    designs: Array<{ variant: string; patterns: Array<{ pattern: string }> }>;
    mixes: Array<{ mix: { name: string } }>;
  };
  return { stdout, report };
}

describe("docs/comparison.md: pnpm compare, as written", () => {
  beforeAll(() => {
    for (const file of REPORTS) if (existsSync(file)) renameSync(file, join(aside, file.split("/").at(-1) as string));
  });
  afterAll(() => {
    for (const file of REPORTS) {
      const kept = join(aside, file.split("/").at(-1) as string);
      if (existsSync(kept)) renameSync(kept, file);
      else rmSync(file, { force: true });
    }
    rmSync(aside, { recursive: true, force: true });
  });

  it("the CI-sized run writes the report for all six cells, AP1–AP16", { timeout: SLOW }, async () => {
    const { report } = await compare(documented(CI_SIZED));
    expect(report.designs.map((cell) => cell.variant).sort()).toEqual(DESIGN_VARIANTS.map(variantName).sort());
    for (const design of report.designs) expect(design.patterns).toHaveLength(16);
  });

  it("--mix packages/compare/examples/mix.yaml prices the example workload", { timeout: SLOW }, async () => {
    const sizes = documented(CI_SIZED).slice("pnpm compare ".length);
    const { report } = await compare(`${documented(WITH_MIX)} ${sizes} --designs single+sync,multi+none`);
    expect(report.mixes.map((result) => result.mix.name)).toContain("our conference site");
    expect(readFileSync(REPORTS[1] as string, "utf8")).toContain("our conference site");
  });
});
