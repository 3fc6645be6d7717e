/**
 * The command docs/comparison.md shows for AP7's pagination figures, run exactly as written, so it cannot rot:
 * it starts its own DynamoDB Local and prints one row per design × range × bucket strategy. Latencies on a
 * shared machine are noise; the request counts are not, and are asserted.
 */
import { execSync } from "node:child_process";
import { resolve } from "node:path";
import { expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

it("pnpm exec tsx packages/bench/src/pagination.ts prints requests and latency per page", { timeout: 480_000 }, () => {
  const printed = execSync("pnpm exec tsx packages/bench/src/pagination.ts", {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const rows = printed
    .split("\n")
    .filter((line) => /^\| (single|multi) \|/.test(line))
    .map((line) => line.split("|").map((cell) => cell.trim()));
  expect(rows).toHaveLength(8);
  const row = (design: string, range: string, strategy: string) => {
    const found = rows.find((cells) => cells[1] === design && cells[2]?.startsWith(range) && cells[3] === strategy);
    if (!found) throw new Error(`no row ${design} ${range} ${strategy} in\n${printed}`);
    return { pages: Number(found[4]), requests: found[5], ms: Number(found[7]) };
  };
  for (const design of ["single", "multi"]) {
    // 240 events in pages of 20 (and an empty last page: the 12th ends at June's end); sequential reads one bucket per
    // page, two where a page crosses a month's end, and one BatchGetItem for the page's seats (docs: "Hot counter").
    expect(row(design, "dense", "sequential")).toMatchObject({ pages: 13, requests: "2, 3" });
    expect(row(design, "dense", "parallel").pages).toBe(13);
    // The sparse page touches all six buckets either way, then joins its one event's seats.
    for (const strategy of ["sequential", "parallel"]) {
      expect(row(design, "sparse", strategy)).toMatchObject({ pages: 1, requests: "7, 7" });
      expect(row(design, "sparse", strategy).ms).toBeGreaterThan(0);
    }
  }
});
