import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@tablelab/core/local";
import { afterAll, describe, expect, it } from "vitest";
import { alive, devJavaPid, startDevProcess } from "../support/dev-process.js";

/**
 * `pnpm dev` for real: DynamoDB Local with data on disk, the API under its watcher, on free ports. Stopped with
 * SIGINT (Ctrl-C), started again, and the data is still there; no java process is left behind.
 */
const dataDir = mkdtempSync(join(tmpdir(), "tablelab-dev-"));
const started: ChildProcess[] = [];

async function startDev(ports: { api: number; dynamo: number }) {
  const dev = await startDevProcess({
    apiPort: ports.api,
    env: { DYNAMODB_LOCAL_PORT: String(ports.dynamo), JWT_SECRET: "", TABLELAB_DATA_DIR: dataDir },
  });
  started.push(dev.child);
  return dev;
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
  it("serves the API on real DynamoDB Local, stops cleanly, and keeps its data across restarts", {
    timeout: 180_000,
  }, async () => {
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
    const javaPid = devJavaPid(dataDir, ports.dynamo);
    expect(alive(javaPid)).toBe(true);

    await stopDev(first.child);
    expect(alive(javaPid)).toBe(false);

    const second = await startDev(ports);
    const again = await fetch(`${second.base}/users/${user.userId}`);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { name: string }).name).toBe("Persistent");
    const secondJavaPid = devJavaPid(dataDir, ports.dynamo);
    await stopDev(second.child);
    expect(alive(secondJavaPid)).toBe(false);
  });
});
