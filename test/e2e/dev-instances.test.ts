import { type ChildProcess, execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "@tablelab/core/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, devJavaPid, repoRoot, runDevToExit, startDevProcess } from "../support/dev-process.js";

/**
 * `pnpm dev` as a stranger tries it: a second one in the same checkout, both designs side by side, busy ports,
 * an unreachable DYNAMODB_ENDPOINT, a bogus TABLE_DESIGN, `pnpm seed` then `pnpm mint-token ada@example.com`, and
 * Ctrl-C on the real `pnpm dev` (through pnpm). Every refusal is one line naming the variable, exit code 1,
 * and leaves nothing running; the instance already running keeps serving.
 */
const run = promisify(execFile);
// Each step starts JVMs and tsx processes: generous on a busy 2-core machine.
const SLOW = 240_000;
const dataDir = mkdtempSync(join(tmpdir(), "tablelab-instances-"));
const groups: ChildProcess[] = [];

afterAll(() => {
  for (const child of groups) if (child.pid && alive(child.pid)) process.kill(-child.pid, "SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

/** Lines a refusal printed, without pnpm's own ELIFECYCLE line. */
function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

function pnpm(args: string[], env: Record<string, string> = {}) {
  return run("pnpm", ["-s", ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: "",
      DYNAMODB_LOCAL_PORT: "",
      TABLE_DESIGN: "",
      COPIES: "",
      TABLELAB_DATA_DIR: dataDir,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...env,
    },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

async function signUp(base: string, email: string) {
  return fetch(`${base}/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, name: "Someone" }),
  });
}

describe("two pnpm dev side by side, and what a third may not do", () => {
  const ports = { apiA: 0, dbA: 0, apiB: 0, dbB: 0 };
  let a: Awaited<ReturnType<typeof startDevProcess>>;
  let b: Awaited<ReturnType<typeof startDevProcess>>;

  beforeAll(async () => {
    for (const key of Object.keys(ports) as Array<keyof typeof ports>) ports[key] = await freePort();
    // A: the default design through the real `pnpm dev`; B: the other design next to it, as the README shows, with
    // a copy strategy that is not its design's default.
    a = await startDevProcess({
      apiPort: ports.apiA,
      viaPnpm: true,
      env: { DYNAMODB_LOCAL_PORT: String(ports.dbA), TABLELAB_DATA_DIR: dataDir, JWT_SECRET: "" },
    });
    groups.push(a.child);
    b = await startDevProcess({
      apiPort: ports.apiB,
      env: {
        TABLE_DESIGN: "multi",
        COPIES: "sync",
        DYNAMODB_LOCAL_PORT: String(ports.dbB),
        TABLELAB_DATA_DIR: dataDir,
        JWT_SECRET: "",
      },
    });
    groups.push(b.child);
  }, 300_000);

  it(
    "both serve, each on its own DynamoDB Local with its own data directory",
    async () => {
      expect(await (await fetch(`${a.base}/health`)).json()).toMatchObject({ design: "single", copies: "sync" });
      expect(await (await fetch(`${b.base}/health`)).json()).toMatchObject({ design: "multi", copies: "sync" });
      const claimOf = (port: number) => JSON.parse(readFileSync(join(dataDir, "run", `api-${port}.json`), "utf8"));
      expect(claimOf(ports.apiB)).toMatchObject({ design: "multi", copies: "sync" });
      expect(b.output()).toMatch(/multi table design, copies sync/);
      expect((await signUp(a.base, "a@example.com")).status).toBe(201);
      expect((await signUp(b.base, "b@example.com")).status).toBe(201);
      expect(devJavaPid(dataDir, ports.dbA)).not.toBe(devJavaPid(dataDir, ports.dbB));
      expect(readdirSync(dataDir)).toEqual(
        expect.arrayContaining([`dynamodb-${ports.dbA}`, `dynamodb-${ports.dbB}`, "run"]),
      );
    },
    SLOW,
  );

  it(
    "a second pnpm dev on the same ports is refused in one line naming the running one; the first keeps serving",
    async () => {
      const javaA = devJavaPid(dataDir, ports.dbA);
      const samePorts = await runDevToExit({
        PORT: String(ports.apiA),
        DYNAMODB_LOCAL_PORT: String(ports.dbA),
        TABLELAB_DATA_DIR: dataDir,
      });
      expect(samePorts.code).toBe(1);
      expect(lines(samePorts.stderr)).toEqual([expect.stringMatching(/^PORT \d+ is taken by the pnpm dev of pid \d+/)]);
      const owner = JSON.parse(readFileSync(join(dataDir, "run", `api-${ports.apiA}.json`), "utf8")).owner.pid;
      expect(samePorts.stderr).toContain(`pid ${owner} `);

      const sameDatabase = await runDevToExit({
        PORT: String(await freePort()),
        DYNAMODB_LOCAL_PORT: String(ports.dbA),
        TABLELAB_DATA_DIR: dataDir,
      });
      expect(sameDatabase.code).toBe(1);
      expect(lines(sameDatabase.stderr)).toEqual([
        expect.stringMatching(
          new RegExp(`^DYNAMODB_LOCAL_PORT ${ports.dbA} is taken by .*DYNAMODB_ENDPOINT=http://127.0.0.1:${ports.dbA}`),
        ),
      ]);

      expect(alive(javaA)).toBe(true);
      expect((await signUp(a.base, "still-a@example.com")).status).toBe(201);
    },
    SLOW,
  );

  it(
    "pnpm seed and pnpm mint-token find the running pnpm dev's database (TABLE_DESIGN picks one of two)",
    async () => {
      const ambiguous = await pnpm(["seed"]);
      expect(ambiguous.code).toBe(1);
      expect(lines(ambiguous.stderr)).toEqual([expect.stringMatching(/^2 pnpm dev are running here .*TABLE_DESIGN/)]);

      const noneRunning = await pnpm(["seed"], { COPIES: "none" });
      expect(lines(noneRunning.stderr)).toEqual([expect.stringMatching(/^no pnpm dev with COPIES=none is running/)]);

      const seeded = await pnpm(["seed"], { TABLE_DESIGN: "single" });
      expect(seeded.code, seeded.stderr).toBe(0);
      expect(seeded.stdout).toMatch(/added 12 users/);
      const again = await pnpm(["seed"], { TABLE_DESIGN: "single" });
      expect(again.stdout).toMatch(/added 0 users, 0 events, 0 registrations/);

      const token = await pnpm(["mint-token", "ada@example.com"], { TABLE_DESIGN: "single" });
      expect(token.code, token.stderr).toBe(0);
      const jwt = token.stdout.trim();
      const userId = JSON.parse(Buffer.from(jwt.split(".")[1] as string, "base64url").toString()).sub as string;
      const me = await fetch(`${a.base}/users/${userId}`, { headers: { authorization: `Bearer ${jwt}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ name: "Ada", email: "ada@example.com" });

      // The other design's instance has no demo users until seeded there.
      const missing = await pnpm(["mint-token", "ada@example.com"], { TABLE_DESIGN: "multi" });
      expect(missing.code).toBe(1);
      expect(lines(missing.stderr)).toEqual([expect.stringMatching(/^no user with email ada@example.com/)]);
    },
    SLOW,
  );

  it(
    "Ctrl-C on the real pnpm dev stops everything quietly: exit 0 or 130, no Force killing, no ELIFECYCLE",
    async () => {
      const javaA = devJavaPid(dataDir, ports.dbA);
      const exited = new Promise<number | null>((resolve) => a.child.once("exit", (code) => resolve(code)));
      process.kill(-(a.child.pid as number), "SIGINT");
      const code = await exited;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect([0, 130]).toContain(code);
      expect(a.output()).not.toMatch(/Force killing|ELIFECYCLE|Error|at .*\.ts:\d+/);
      expect(alive(javaA)).toBe(false);
      expect(existsSync(join(dataDir, "run", `api-${ports.apiA}.json`))).toBe(false);
      // B was not touched.
      expect((await signUp(b.base, "b-after@example.com")).status).toBe(201);
    },
    SLOW,
  );
});

describe("refusals that leave nothing running", () => {
  let busy: Server;
  let busyPort: number;
  const refusalDir = mkdtempSync(join(tmpdir(), "tablelab-refusals-"));

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => {
    busy.close();
    rmSync(refusalDir, { recursive: true, force: true });
  });

  /** A DynamoDB Local on this port, started by anyone (its command line names the port). */
  const javaRunningOn = (port: number) =>
    readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .some((pid) => {
        try {
          const command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
          return command.includes("DynamoDBLocal") && command.includes(`-port\0${port}\0`);
        } catch {
          return false;
        }
      });

  it.each([
    ["PORT", () => ({ PORT: String(busyPort) }), /^PORT \d+ is in use by another program: set PORT to a free port$/],
    [
      "DYNAMODB_LOCAL_PORT",
      () => ({ DYNAMODB_LOCAL_PORT: String(busyPort) }),
      /^DYNAMODB_LOCAL_PORT \d+ is in use by another program: set DYNAMODB_LOCAL_PORT to a free port$/,
    ],
    [
      "DYNAMODB_ENDPOINT",
      () => ({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${busyPort}` }),
      /^DYNAMODB_ENDPOINT=http:\/\/127.0.0.1:\d+ does not answer/,
    ],
    ["TABLE_DESIGN", () => ({ TABLE_DESIGN: "bogus" }), /^TABLE_DESIGN must be one of single, multi \(got "bogus"\)$/],
    ["COPIES", () => ({ COPIES: "bogus" }), /^COPIES must be one of none, sync, stream \(got "bogus"\)$/],
  ])(
    "a bad %s: one line naming it, exit 1, nothing left running",
    async (_variable, env, message) => {
      const ports = { PORT: String(await freePort()), DYNAMODB_LOCAL_PORT: String(await freePort()) };
      const result = await runDevToExit({ ...ports, TABLELAB_DATA_DIR: refusalDir, ...env() });
      expect(result.code).toBe(1);
      expect(lines(result.stderr)).toEqual([expect.stringMatching(message)]);
      expect(javaRunningOn(Number(ports.DYNAMODB_LOCAL_PORT))).toBe(false);
      expect(existsSync(join(refusalDir, "run")) ? readdirSync(join(refusalDir, "run")) : []).toEqual([]);
    },
    SLOW,
  );

  it(
    "pnpm mint-token without a running pnpm dev says what to start, in one line",
    async () => {
      const result = await pnpm(["mint-token", "ada@example.com"], { TABLELAB_DATA_DIR: refusalDir });
      expect(result.code).toBe(1);
      expect(lines(result.stderr)).toEqual([
        "no pnpm dev is running in this checkout: start one with `pnpm dev` (or set DYNAMODB_ENDPOINT)",
      ]);
    },
    SLOW,
  );
});
