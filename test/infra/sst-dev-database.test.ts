/**
 * The `LocalDynamo` DevCommand of `TABLELAB_DEV_DB=local pnpm dev:aws`, run as `sst dev` runs it: its command
 * (stacks/dev-database-mode.ts) from the repository root, with the stage's table linked (`SST_RESOURCE_*`) and
 * the environment the DevCommand sets, stopped like a terminal pane (SIGINT to its process group). `sst dev`
 * itself needs AWS and is not run here.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DescribeTableCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { createDynamoClients, createStore } from "@tablelab/core";
import { freePort, isDynamoDbAnswering, startDynamoDbLocal } from "@tablelab/core/local";
import { afterEach, beforeEach, expect, inject, it } from "vitest";
import { DEV_DATABASE_COMMAND } from "../../stacks/dev-database-mode.js";

const root = resolve(import.meta.dirname, "../..");
let dataDirectory: string;
let started: ChildProcess | undefined;

beforeEach(() => {
  dataDirectory = mkdtempSync(join(tmpdir(), "tablelab-sst-dev-db-"));
});

afterEach(async () => {
  if (started?.pid) await stopGroup(started);
  started = undefined;
  rmSync(dataDirectory, { recursive: true, force: true });
});

/** Starts the command as the DevCommand would, linked to a table named `tableName` (plus `env`, e.g. COPIES). */
function startCommand(endpoint: string, tableName: string, env: Record<string, string> = {}) {
  const child = spawn("sh", ["-c", DEV_DATABASE_COMMAND], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      TABLELAB_DATA_DIR: dataDirectory,
      DYNAMODB_ENDPOINT: endpoint,
      TABLE_DESIGN: "single",
      SST_RESOURCE_App: JSON.stringify({ name: "tablelab", stage: "alice" }),
      SST_RESOURCE_Table: JSON.stringify({ name: tableName, type: "sst.aws.Dynamo" }),
      ...env,
    },
  });
  started = child;
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    /** Resolves once stdout contains `text`; rejects if the command exits first. */
    async waitFor(text: string, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!stdout.includes(text)) {
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stdout}${stderr}`);
        if (Date.now() > deadline) throw new Error(`no "${text}" in: ${stdout}${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

/** Ctrl-C to the command's process group, as a terminal pane gets it; SIGKILL if it does not end in 20 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // "close", not "exit": a child's last lines ("copy consumer stopped") may still be in its pipe when it exits.
  const exited = new Promise((resolve) => child.once("close", resolve));
  const group = -(child.pid as number);
  process.kill(group, "SIGINT");
  const timer = setTimeout(() => {
    try {
      process.kill(group, "SIGKILL");
    } catch {}
  }, 20_000);
  await exited;
  clearTimeout(timer);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function tableExists(endpoint: string, tableName: string): Promise<boolean> {
  const clients = createDynamoClients({ endpoint, requestTimeoutMs: 30_000 });
  try {
    await clients.client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch {
    return false;
  } finally {
    clients.destroy();
  }
}

it("refuses, in one line, a DynamoDB that this checkout's pnpm dev did not start, and writes nothing", async () => {
  const endpoint = inject("dynamoEndpoint");
  const tableName = "tablelab-alice-TableTable-refused";
  const command = startCommand(endpoint, tableName);
  expect(await command.exited).toBe(1);
  const { stderr } = command.output();
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).toMatch(/did not start; stop it, or pick a free port with DYNAMODB_LOCAL_PORT=/);
  expect(await tableExists(endpoint, tableName)).toBe(false);
}, 240_000);

/** The start time of this process, as `pnpm dev`'s registry names an owner (/proc/<pid>/stat, field 22). */
function ownStartTime(): string {
  const stat = readFileSync(`/proc/${process.pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] as string;
}

/** Records, as `pnpm dev`'s registry of running instances does, that it (this process) runs the DynamoDB on `port`. */
function claimAsPnpmDev(port: number): void {
  mkdirSync(join(dataDirectory, "run"), { recursive: true });
  const claim = { owner: { pid: process.pid, startTime: ownStartTime() }, dynamodbLocalPort: port };
  writeFileSync(join(dataDirectory, "run", `dynamodb-${port}.json`), JSON.stringify(claim));
}

it("reuses the DynamoDB Local of a running pnpm dev, adds the stage's table, and leaves it running", async () => {
  const local = await startDynamoDbLocal({ maxHeap: "256m" });
  try {
    // How `pnpm dev` records the DynamoDB Local it started: its registry of running instances (this process
    // stands in for the owner), or the older pid file of the java process.
    const records = [
      () => claimAsPnpmDev(local.port),
      () => {
        rmSync(join(dataDirectory, "run"), { recursive: true });
        writeFileSync(join(dataDirectory, "dynamodb-local.pid"), String(local.pid));
      },
    ];
    for (const [index, record] of records.entries()) {
      record();
      const tableName = `tablelab-alice-TableTable-reused${index}`;
      const command = startCommand(local.endpoint, tableName);
      await command.waitFor(`created table ${tableName}`);
      expect(command.output().stdout).toContain("using the DynamoDB Local of the running `pnpm dev`");
      // A sync stage (the single design's default) has copies to keep but no stream to follow.
      expect(command.output().stdout).not.toContain("copy consumer");
      expect(await tableExists(local.endpoint, tableName)).toBe(true);
      await stopGroup(command.child);
      expect(await isDynamoDbAnswering(local.endpoint)).toBe(true);
    }
  } finally {
    await local.stop();
  }
}, 300_000);

it("starts DynamoDB Local itself when nothing answers, keeps the data under .data, and stops it with sst dev", async () => {
  const endpoint = `http://127.0.0.1:${await freePort()}`;
  const tableName = "tablelab-alice-TableTable-started";
  const command = startCommand(endpoint, tableName);
  await command.waitFor(`created table ${tableName}`);
  const pid = Number(/\(pid (\d+),/.exec(command.output().stdout)?.[1]);
  expect(alive(pid)).toBe(true);
  const clients = createDynamoClients({ endpoint, requestTimeoutMs: 30_000 });
  const { TableNames } = await clients.client.send(new ListTablesCommand({}));
  clients.destroy();
  expect(TableNames).toEqual([tableName]);
  // The same data directory as `pnpm dev`'s (TABLELAB_DATA_DIR, else .data/), so both see one database.
  expect(existsSync(join(dataDirectory, "dynamodb", "shared-local-instance.db"))).toBe(true);
  await stopGroup(command.child);
  for (let waited = 0; alive(pid) && waited < 10_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(alive(pid)).toBe(false);
  expect(await isDynamoDbAnswering(endpoint)).toBe(false);
}, 240_000);

it("on a COPIES=stream stage, keeps the copies converging with the local stream consumer, stopped with sst dev", async () => {
  // The run's shared DynamoDB Local stands in for pnpm dev's (this process claims it): no second JVM.
  const endpoint = inject("dynamoEndpoint");
  claimAsPnpmDev(Number(new URL(endpoint).port));
  const tableName = `tablelab-alice-stream-TableTable-${Date.now()}`;
  const command = startCommand(endpoint, tableName, { COPIES: "stream" });
  await command.waitFor("copy consumer following the streams");

  // What the function of `sst dev` does on that stage: it writes the original only; the copy follows the stream.
  const clients = createDynamoClients({ endpoint, requestTimeoutMs: 30_000 });
  try {
    const store = createStore({
      design: "single",
      copies: "stream",
      document: clients.document,
      tableNames: { Table: tableName },
      cursorSecret: "sst-dev-database-test",
    });
    const organizer = await store.createUser({ name: "Organizer", email: `o-${Date.now()}@example.com` });
    const attendee = await store.createUser({ name: "Before", email: `a-${Date.now()}@example.com` });
    const event = await store.createEvent(organizer.userId, { name: "Meetup", date: "2031-01-01", capacity: 5 });
    await store.register(event.eventId, attendee.userId);
    await store.updateUser(attendee.userId, attendee.userId, { name: "After" });
    const copiedName = async () => (await store.listRegistrations(event.eventId, { limit: 10 })).items[0]?.user.name;
    for (let waited = 0; (await copiedName()) !== "After" && waited < 30_000; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await copiedName()).toBe("After");
  } finally {
    clients.destroy();
  }

  // Ctrl-C, as sst dev stops it: the consumer stops, and every process of the command ends.
  const group = -(command.child.pid as number);
  await stopGroup(command.child);
  for (let waited = 0; alive(group) && waited < 20_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(alive(group)).toBe(false);
  expect(command.output().stdout).toContain("copy consumer stopped");
  expect(command.output().stderr).not.toContain("copy consumer:");
  expect(await isDynamoDbAnswering(endpoint)).toBe(true);
}, 240_000);
