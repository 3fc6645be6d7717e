import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { createDynamoClients } from "../src/dynamo/client.js";
import { isDynamoDbAnswering, JavaMissingError, startDynamoDbLocal } from "../src/local/dynamodb-local.js";
import { ensureTable } from "../src/local/tables.js";
import { itemKeys } from "../src/single-table/layout.js";
import { singleTable } from "../src/table/definition.js";

/** True while a process with this pid exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe("ESRCH");
    return false;
  }
}

/** This machine's IPv4 addresses other than loopback (none on a machine without a network). */
function nonLoopbackAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry && entry.family === "IPv4" && !entry.internal)
    .map((entry) => entry?.address as string);
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

// Each start is a JVM (~3 s, ~150 MiB): this file starts two, and nothing else in the suite starts any but the
// run's shared instance.
describe("startDynamoDbLocal", () => {
  const dbPath = mkdtempSync(join(tmpdir(), "tablelab-local-"));
  afterAll(() => rmSync(dbPath, { recursive: true, force: true }));

  it("keeps data in dbPath across a stop and a start, and stop() leaves no process behind", async () => {
    const { pk, sk } = itemKeys.user("persisted");
    const key = { pk: { S: pk }, sk: { S: sk } };
    const first = await startDynamoDbLocal({ dbPath, maxHeap: "128m" });
    expect(first.endpoint).toBe(`http://127.0.0.1:${first.port}`);
    expect(alive(first.pid)).toBe(true);
    expect(first.loopbackOnly).toBe(true);
    // Listens on loopback only: on this machine's other addresses the port is closed.
    for (const address of nonLoopbackAddresses()) {
      expect(await connects(address, first.port), `${address}:${first.port}`).toBe(false);
    }
    expect(await connects("127.0.0.1", first.port)).toBe(true);
    const clients = createDynamoClients({ endpoint: first.endpoint });
    try {
      expect(await ensureTable(clients.client, singleTable, "persisted")).toBe(true);
      await clients.client.send(new PutItemCommand({ TableName: "persisted", Item: { ...key, name: { S: "kept" } } }));
    } finally {
      clients.destroy();
      await first.stop();
    }
    expect(alive(first.pid)).toBe(false);
    expect(await isDynamoDbAnswering(first.endpoint, 500)).toBe(false);
    await first.stop(); // idempotent

    const second = await startDynamoDbLocal({ dbPath, maxHeap: "128m", port: first.port });
    const again = createDynamoClients({ endpoint: second.endpoint });
    try {
      expect(await ensureTable(again.client, singleTable, "persisted")).toBe(false);
      const { Item } = await again.client.send(
        new GetItemCommand({ TableName: "persisted", Key: key, ConsistentRead: true }),
      );
      expect(Item).toEqual({ ...key, name: { S: "kept" } });
    } finally {
      again.destroy();
      await second.stop();
    }
    expect(alive(second.pid)).toBe(false);
  });

  it("without java on PATH, fails fast with one clear line and starts nothing", async () => {
    const path = process.env.PATH;
    const emptyDir = mkdtempSync(join(tmpdir(), "tablelab-nojava-"));
    process.env.PATH = emptyDir;
    let error: unknown;
    try {
      error = await startDynamoDbLocal({ maxHeap: "128m" }).then(
        async (local) => {
          await local.stop();
          return undefined;
        },
        (reason: unknown) => reason,
      );
    } finally {
      process.env.PATH = path;
      rmSync(emptyDir, { recursive: true, force: true });
    }
    expect(error).toBeInstanceOf(JavaMissingError);
    const message = (error as Error).message;
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toMatch(/Java 17 or newer/);
    expect(message).toMatch(/apt install openjdk-17-jre-headless/);
  });
});
