import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onDbCall } from "@tablelab/core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { main } from "../src/main.js";

const calls: string[] = [];
const stop = onDbCall((call) => calls.push(call.command));
afterEach(() => {
  calls.length = 0;
});
afterAll(() => stop());

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const started = performance.now();
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join("\n"), err: err.join("\n"), ms: performance.now() - started };
}

describe("pnpm compare on an endpoint it did not start", () => {
  it("refuses without --yes, lists what it would create, and makes no call at all", async () => {
    // Port 1: any call would fail with a connection error instead of the refusal.
    const result = await run(["--endpoint", "http://127.0.0.1:1", "--region", "eu-west-1", "--users", "30"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("without --yes");
    expect(result.err).toMatch(/tablelab-compare-single-[0-9a-z]+/);
    expect(result.err).toContain("tablelab:compare=");
    expect(calls).toEqual([]);
    expect(result.ms).toBeLessThan(2000);
  });

  it("refuses AWS (a region, no endpoint) without --yes, before creating a client", async () => {
    const result = await run(["--region", "eu-west-1"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("AWS (eu-west-1)");
    expect(calls).toEqual([]);
  });

  it("rejects bad flags with one line naming the flag, and answers --help", async () => {
    const cases: Array<[string[], string]> = [
      [["--ops", "0"], "--ops"],
      [["--designs", "triple"], "triple"],
      [["--users", "abc"], "--users"],
      [["--bogus"], "unknown option '--bogus'"],
      [["--mix"], "--mix"],
    ];
    for (const [argv, named] of cases) {
      const result = await run(argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.err.split("\n"), argv.join(" ")).toHaveLength(1);
      expect(result.err).toContain(named);
    }
    // A bad mix file is refused before anything starts, in one line naming the file and the field.
    const directory = mkdtempSync(join(tmpdir(), "tablelab-mix-"));
    const bad = join(directory, "ours.yaml");
    writeFileSync(bad, "preset: event-site\nshares: { AP6: 1, AP42: 2 }\ntotal: 100\n");
    const refused = await run(["--mix", bad]);
    rmSync(directory, { recursive: true, force: true });
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(`--mix ${bad}: shares.AP42: not an access pattern (AP1–AP16)`);
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("Usage: pnpm compare");
    expect(help.out).toMatch(/--mix <file>/);
    expect(help.out).toMatch(/--ops <n>\s+operations per access pattern and design \(default: 200\)/);
    expect(calls).toEqual([]);
  });
});
