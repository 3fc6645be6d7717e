import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@tablelab/core/local";
import { afterAll, describe, expect, it } from "vitest";

/**
 * `pnpm dev` for real: DynamoDB Local with data on disk, the API under its watcher, on free ports. Stopped with
 * SIGINT (Ctrl-C), started again, and the data is still there; no java process is left behind.
 */
const root = join(import.meta.dirname, "..", "..");
const dataDir = mkdtempSync(join(tmpdir(), "tablelab-dev-"));
const started: ChildProcess[] = [];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startDev(ports: { api: number; dynamo: number }) {
  // Its own process group, as a terminal gives it: Ctrl-C reaches the orchestrator, the server and java alike.
  const child = spawn(join(root, "node_modules", ".bin", "tsx"), ["packages/api/scripts/dev.ts"], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      PORT: String(ports.api),
      DYNAMODB_LOCAL_PORT: String(ports.dynamo),
      DYNAMODB_ENDPOINT: "",
      JWT_SECRET: "",
      TABLELAB_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const base = `http://127.0.0.1:${ports.api}`;
  const deadline = Date.now() + 45_000;
  for (;;) {
    try {
      const response = await fetch(`${base}/health`);
      if (response.ok) break;
    } catch {}
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`pnpm dev did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { child, base, output: () => output };
}

async function stopDev(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-(child.pid as number), "SIGINT");
  await exited;
}

afterAll(() => {
  for (const child of started) if (child.pid && alive(child.pid)) process.kill(-child.pid, "SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

describe("pnpm dev", () => {
  it("serves the API on real DynamoDB Local, stops cleanly, and keeps its data across restarts", async () => {
    const ports = { api: await freePort(), dynamo: await freePort() };
    const first = await startDev(ports);
    expect(first.output()).toContain(`/docs`);

    const signUp = await fetch(`${first.base}/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "persist@example.com", name: "Persistent" }),
    });
    expect(signUp.status).toBe(201);
    const { user } = (await signUp.json()) as { user: { userId: string } };
    const javaPid = Number(readFileSync(join(dataDir, "dynamodb-local.pid"), "utf8"));
    expect(alive(javaPid)).toBe(true);

    await stopDev(first.child);
    expect(alive(javaPid)).toBe(false);

    const second = await startDev(ports);
    const again = await fetch(`${second.base}/users/${user.userId}`);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { name: string }).name).toBe("Persistent");
    const secondJavaPid = Number(readFileSync(join(dataDir, "dynamodb-local.pid"), "utf8"));
    await stopDev(second.child);
    expect(alive(secondJavaPid)).toBe(false);
  });
});
