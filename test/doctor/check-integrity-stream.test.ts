import { spawn } from "node:child_process";
import { join } from "node:path";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { itemKeys, STATED_P99_LAG_MS, tablesWithStream } from "@tablelab/core";
import { startLocalCopyConsumer } from "@tablelab/core/local";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { converged } from "../support/convergence.js";
import { createTestDatabase, GRID, releaseTestDatabase, type TestDatabase } from "../support/database.js";

/**
 * `pnpm check-integrity` under COPIES=stream checks copies only once the consumer has had its stated lag: a copy
 * stale on the first pass is checked again STATED_P99_LAG_MS later, and only one still stale then is a violation.
 * Proved with a consumer stopped on purpose (the change pending) and restarted while the check waits, and with a
 * copy corrupted behind the API's back (no change will ever fix it).
 */
const root = join(import.meta.dirname, "..", "..");
const seconds = STATED_P99_LAG_MS / 1000;

describe.each(GRID.filter((cell) => cell.copies === "stream"))("pnpm check-integrity (%s)", ({ design, copies }) => {
  let db: TestDatabase;
  const ids = { organizer: "", attendee: "", event: "" };

  /** Runs the CLI on this database; `onLine` sees each stdout line as it comes. */
  function doctor(onLine: (line: string) => void = () => {}): Promise<{ code: number | null; stdout: string }> {
    const child = spawn(join(root, "node_modules", ".bin", "tsx"), ["packages/api/scripts/doctor.ts"], {
      cwd: root,
      env: {
        ...process.env,
        TABLE_DESIGN: design,
        COPIES: copies,
        TABLE_NAME: db.tablePrefix,
        DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
    });
    let stdout = "";
    let pending = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout })));
  }

  const registration = () =>
    design === "single"
      ? { TableName: db.tableNames.Table, Key: itemKeys.registration(ids.event, ids.attendee) }
      : { TableName: db.tableNames.Registrations, Key: { eventId: ids.event, userId: ids.attendee } };
  const setEventName = (name: string) =>
    db.clients.document.send(
      new UpdateCommand({
        ...registration(),
        UpdateExpression: "SET eventName = :name",
        ExpressionAttributeValues: { ":name": name },
      }),
    );

  beforeAll(async () => {
    db = await createTestDatabase(design, "doctor-stream", copies);
    const organizer = await db.store.createUser({ email: `org-${design}@example.com`, name: "Organizer" });
    const attendee = await db.store.createUser({ email: `att-${design}@example.com`, name: "Attendee" });
    const event = await db.store.createEvent(organizer.userId, { name: "Before", date: "2031-05-01", capacity: 5 });
    await db.store.register(event.eventId, attendee.userId);
    Object.assign(ids, { organizer: organizer.userId, attendee: attendee.userId, event: event.eventId });
    await converged(db);
  });
  afterAll(() => releaseTestDatabase(db));

  it("a copy the consumer has not applied yet is not a violation: it is current on the second pass", async () => {
    // The consumer is down while the event is renamed: its one copy is stale when the check starts.
    await db.copyConsumer?.stop();
    await db.store.updateEvent(ids.event, ids.organizer, { name: "After" });
    let restarted: Promise<unknown> | undefined;
    const result = await doctor((line) => {
      // The consumer comes back while the check waits (it reads the stream from its start, as after a restart).
      if (line.startsWith("COPIES=stream: 1 copy stale on the first pass; checking again in") && !restarted) {
        restarted = startLocalCopyConsumer({
          client: db.clients.client,
          tableNames: tablesWithStream(design, copies).map((table) => db.tableNames[table.id] as string),
          keeper: db.store.copyKeeper,
        }).then((consumer) => {
          db.copyConsumer = consumer;
        });
      }
    });
    await restarted;
    expect(restarted, result.stdout).toBeDefined();
    expect(result.stdout).toContain(
      `COPIES=stream: 1 copy stale on the first pass; checking again in ${seconds} s, once the stream consumer has ` +
        "had its stated p99 lag to apply pending changes",
    );
    expect(result.stdout).toContain("OK: every invariant holds");
    expect(result.stdout).toContain(
      `COPIES=stream: the 1 copy stale on the first pass was current ${seconds} s later (the stream consumer's ` +
        "stated p99 lag): changes the consumer had not applied yet, not violations",
    );
    expect(result.code).toBe(0);
  }, 120_000);

  it("a copy still stale after the consumer's lag is reported, with the exact reason, and exits 1", async () => {
    await converged(db);
    await setEventName("Written behind the API's back");
    try {
      const result = await doctor();
      expect(result.code, result.stdout).toBe(1);
      expect(result.stdout).toContain("FAILED: 1 violations");
      expect(result.stdout).toContain("stale_copy (1)");
      expect(result.stdout).toContain(
        `COPIES=stream: 1 copy stale on the first pass, 1 still stale ${seconds} s later (the stream consumer's ` +
          "stated p99 lag): the consumer is behind or not running (pnpm dev starts it with COPIES=stream; on AWS " +
          "the stage's copy consumer function), or the copies were written outside the API",
      );
    } finally {
      await setEventName("After");
    }
  }, 120_000);

  it("a clean table needs one pass: no wait, no COPIES=stream note", async () => {
    const result = await doctor();
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain("OK: every invariant holds");
    expect(result.stdout).not.toContain("COPIES=stream:");
  }, 120_000);
});
