import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@tablelab/core/local";
import { decode } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive } from "../support/dev-process.js";
import { lines, repoRoot, type ScriptRun } from "../support/pnpm-script.js";
import { shellCommands } from "./documented-commands.js";

/**
 * The README's local commands, run by bash exactly as written, from the repository root: the side-by-side
 * `TABLE_DESIGN=multi PORT=3001 DYNAMODB_LOCAL_PORT=8001 pnpm dev`, then — with that one `pnpm dev` running in
 * the checkout — `pnpm seed`, `pnpm mint-token ada@example.com`, `pnpm check-integrity` and its `--json`.
 *
 * Two departures, both outside the command text: the checkout's local state lives in a temporary
 * TABLELAB_DATA_DIR (so a developer's own `pnpm dev` is neither found nor disturbed), and the two fixed ports
 * are replaced through PORTS below — 3001 and 8001 may be taken on a shared machine — by free ones, every other
 * character of the command unchanged.
 */
const SIDE_BY_SIDE = "TABLE_DESIGN=multi PORT=3001 DYNAMODB_LOCAL_PORT=8001 pnpm dev";
const SLOW = 240_000;

const dataDir = mkdtempSync(join(tmpdir(), "tablelab-local-commands-"));
/** The environment a fresh terminal has: nothing of the scripts' configuration set. */
const terminal: NodeJS.ProcessEnv = { ...process.env, TABLELAB_DATA_DIR: dataDir };
for (const name of ["TABLE_DESIGN", "TABLE_NAME", "PORT", "DYNAMODB_ENDPOINT", "DYNAMODB_LOCAL_PORT", "JWT_SECRET"])
  delete terminal[name];

/** The README's command, verbatim: the test fails when the text changes, so it runs what readers read. */
function documented(command: string): string {
  const found = shellCommands().find((entry) => entry.file === "README.md" && entry.command === command);
  if (!found) throw new Error(`README.md no longer shows \`${command}\``);
  return found.command;
}

/** Runs a command line with bash, as a terminal would. */
function shell(command: string): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", command], { cwd: repoRoot, env: terminal });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe("the README's local commands, as written", () => {
  const ports = new Map<string, number>();
  let dev: ChildProcess;
  let devOutput = "";
  let api = "";

  beforeAll(async () => {
    ports.set("3001", await freePort());
    ports.set("8001", await freePort());
    const command = documented(SIDE_BY_SIDE).replace(/\b(3001|8001)\b/g, (port) => String(ports.get(port)));
    // Only the port numbers changed.
    expect(command.replace(/\d+/g, "N")).toBe(SIDE_BY_SIDE.replace(/\d+/g, "N"));
    // Its own process group, as a terminal gives it, so Ctrl-C (SIGINT to the group) reaches everything.
    dev = spawn("bash", ["-c", command], { cwd: repoRoot, env: terminal, detached: true });
    dev.stdout?.on("data", (chunk: Buffer) => {
      devOutput += chunk.toString();
    });
    dev.stderr?.on("data", (chunk: Buffer) => {
      devOutput += chunk.toString();
    });
    api = `http://127.0.0.1:${ports.get("3001")}`;
    const deadline = Date.now() + SLOW - 10_000;
    for (;;) {
      try {
        if ((await fetch(`${api}/health`)).ok) break;
      } catch {}
      if (Date.now() > deadline || dev.exitCode !== null) throw new Error(`pnpm dev did not come up:\n${devOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, SLOW);

  afterAll(async () => {
    if (dev?.pid && alive(dev.pid)) {
      const exited = new Promise((resolve) => dev.once("close", resolve));
      process.kill(-dev.pid, "SIGINT");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      if (alive(dev.pid)) process.kill(-dev.pid, "SIGKILL");
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("the side-by-side pnpm dev serves the multi design on the given ports", async () => {
    expect(await (await fetch(`${api}/health`)).json()).toMatchObject({ status: "ok", design: "multi" });
    expect(devOutput).toContain(String(ports.get("8001")));
  });

  it(
    "pnpm seed, then pnpm mint-token ada@example.com: a token the running API accepts for Ada",
    async () => {
      const seeded = await shell(documented("pnpm seed"));
      expect(seeded.stderr).toBe("");
      expect(seeded.code).toBe(0);
      expect(seeded.stdout).toMatch(/seeded multi design on .*the pnpm dev of pid \d+/);

      const minted = await shell(documented("pnpm mint-token ada@example.com"));
      expect(minted.code).toBe(0);
      const token = minted.stdout.trim().split("\n").at(-1) as string;
      const ada = String(decode(token).payload.sub);
      const profile = await fetch(`${api}/users/${ada}`, { headers: { authorization: `Bearer ${token}` } });
      expect(profile.status).toBe(200);
      // With her own token, Ada sees her email (api.md: GET /users/{id}).
      expect(await profile.json()).toMatchObject({ userId: ada, name: "Ada", email: "ada@example.com" });
      const renamed = await fetch(`${api}/users/${ada}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "Ada" }),
      });
      expect(renamed.status).toBe(200);
    },
    SLOW,
  );

  it(
    "pnpm check-integrity and pnpm check-integrity --json check the running pnpm dev's data",
    async () => {
      const checked = await shell(documented("pnpm check-integrity"));
      expect(checked.code).toBe(0);
      expect(checked.stdout).toMatch(
        /tablelab integrity check: multi design, copies none, on .*the pnpm dev of pid \d+/,
      );
      expect(checked.stdout).toContain("OK: every invariant holds");

      const json = await shell(documented("pnpm check-integrity --json"));
      expect(json.code).toBe(0);
      // pnpm prints its `> tablelab@ check-integrity …` lines first; the report is the JSON after them.
      const report = JSON.parse(json.stdout.slice(json.stdout.indexOf("\n{") + 1));
      expect(report).toMatchObject({ ok: true, violations: [] });
      expect(report.counts.users).toBeGreaterThanOrEqual(12);
      expect(lines(json.stderr)).toEqual([]);
    },
    SLOW,
  );
});
