import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createApp, idempotencyRunnerFor, mintToken, silentLogger } from "@tablelab/api";
import { type DbCall, itemKeys, KEYS, onDbCall } from "@tablelab/core";
import { checkIntegrity, type IntegrityReport } from "@tablelab/core/doctor";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { converged } from "../support/convergence.js";
import { createTestDatabase, GRID, releaseTestDatabase, type TestDatabase } from "../support/database.js";

/**
 * `pnpm check-integrity` and the `checkIntegrity` behind it, on real DynamoDB Local: a data set written through the Store
 * (and one idempotent POST through the API) passes; each deliberate corruption, written with raw commands, is
 * reported with its kind; undoing it makes the check pass again.
 */
const root = join(import.meta.dirname, "..", "..");
const run = promisify(execFile);
const STRANGER = "01ARZ3NDEKTSV4RRFFQ69G5FAV"; // a valid ULID no user has

type Item = Record<string, unknown>;

describe.each(GRID)("integrity check (%s)", ({ design, copies }) => {
  let db: TestDatabase;
  const ids = { ada: "", bob: "", cy: "", march: "", april: "" };
  const emails = { ada: `ada-${design}@example.com`, bob: `bob-${design}@example.com` };

  const check = (options: { segments?: number; pageSize?: number } = {}) =>
    checkIntegrity({ design, copies, document: db.clients.document, tableNames: db.tableNames, ...options });

  const table = (id: string) => db.tableNames[id] as string;
  /** Where each kind of item lives in this design, and its primary key. */
  const at = {
    user: (userId: string) =>
      design === "single"
        ? { TableName: table("Table"), Key: itemKeys.user(userId) }
        : { TableName: table("Users"), Key: { userId } },
    marker: (email: string) =>
      design === "single"
        ? { TableName: table("Table"), Key: itemKeys.emailMarker(email) }
        : { TableName: table("Emails"), Key: { email } },
    event: (eventId: string) =>
      design === "single"
        ? { TableName: table("Table"), Key: itemKeys.event(eventId) }
        : { TableName: table("Events"), Key: { eventId } },
    seats: (eventId: string) =>
      design === "single"
        ? { TableName: table("Table"), Key: itemKeys.seats(eventId) }
        : { TableName: table("EventSeats"), Key: { eventId } },
    registration: (eventId: string, userId: string) =>
      design === "single"
        ? { TableName: table("Table"), Key: itemKeys.registration(eventId, userId) }
        : { TableName: table("Registrations"), Key: { eventId, userId } },
  };
  /** Raw document-client commands: the corruptions bypass the Store on purpose. */
  const send = {
    get: async (where: { TableName: string; Key: Item }) => {
      const { Item } = await db.clients.document.send(new GetCommand({ ...where, ConsistentRead: true }));
      if (!Item) throw new Error(`no item at ${JSON.stringify(where.Key)}`);
      return Item as Item;
    },
    put: (TableName: string, Item: Item) => db.clients.document.send(new PutCommand({ TableName, Item })),
    delete: (where: { TableName: string; Key: Item }) => db.clients.document.send(new DeleteCommand(where)),
    set: (where: { TableName: string; Key: Item }, values: Item) =>
      db.clients.document.send(
        new UpdateCommand({
          ...where,
          UpdateExpression: `SET ${Object.keys(values)
            .map((_, index) => `#a${index} = :v${index}`)
            .join(", ")}`,
          ExpressionAttributeNames: Object.fromEntries(Object.keys(values).map((name, index) => [`#a${index}`, name])),
          ExpressionAttributeValues: Object.fromEntries(
            Object.values(values).map((value, index) => [`:v${index}`, value]),
          ),
        }),
      ),
  };

  /** Applies a corruption, checks, puts the item(s) back as they were, and checks again (clean). */
  async function corrupted(corrupt: () => Promise<() => Promise<unknown>>): Promise<IntegrityReport> {
    const restore = await corrupt();
    let report: IntegrityReport;
    try {
      report = await check();
    } finally {
      await restore();
    }
    const after = await check();
    expect(after.violations).toEqual([]);
    return report;
  }
  const kinds = (report: IntegrityReport) => [...new Set(report.violations.map((violation) => violation.kind))].sort();
  /** Changes attributes of one item; the returned function restores their old values. */
  async function change(where: { TableName: string; Key: Item }, values: Item) {
    const before = await send.get(where);
    await send.set(where, values);
    return () => send.put(where.TableName, before);
  }

  beforeAll(async () => {
    db = await createTestDatabase(design, "doctor", copies);
    const { store } = db;
    const ada = await store.createUser({ email: emails.ada, name: "Ada" });
    const bob = await store.createUser({ email: emails.bob, name: "Bob" });
    const cy = await store.createUser({ email: `cy-${design}@example.com`, name: "Cy" });
    Object.assign(ids, { ada: ada.userId, bob: bob.userId, cy: cy.userId });
    const march = await store.createEvent(ada.userId, {
      name: "March",
      date: "2027-03-10",
      capacity: 3,
      venue: "Hall",
    });
    const april = await store.createEvent(bob.userId, { name: "April", date: "2027-04-02", capacity: 5 });
    Object.assign(ids, { march: march.eventId, april: april.eventId });
    for (const userId of [ada.userId, bob.userId, cy.userId]) await store.register(march.eventId, userId);
    await store.register(april.eventId, ada.userId);
    await store.register(april.eventId, cy.userId);
    await store.cancelRegistration(april.eventId, cy.userId, cy.userId);
    // Copies kept current by the store: a rename, a new email, a moved and renamed event.
    await store.updateUser(cy.userId, cy.userId, { name: "Cyrus", email: `cyrus-${design}@example.com` });
    await store.updateEvent(april.eventId, bob.userId, { date: "2027-05-20", name: "May", venue: "Garden" });
    // One idempotent POST through the API leaves an idempotency record in the design's table(s).
    const secret = "doctor-secret";
    const app = createApp({
      store: db.storeWith({ cursorSecret: secret }),
      jwtSecret: secret,
      dbMetrics: false,
      corsOrigins: [],
      logger: silentLogger,
      now: () => new Date(),
      idempotency: idempotencyRunnerFor({ design, tableNames: db.tableNames }, db.clients),
    });
    const response = await app.request("/events", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await mintToken(cy.userId, secret)}`,
        "idempotency-key": "doctor-once",
      },
      body: JSON.stringify({ name: "Idempotent", date: "2027-06-01", capacity: 1 }),
    });
    expect(response.status).toBe(201);
    await converged(db);
  });
  afterAll(() => releaseTestDatabase(db));

  it("passes on a data set written through the Store and the API, and counts every item", async () => {
    const report = await check();
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts).toMatchObject({
      users: 3,
      emailMarkers: 3,
      events: 3,
      seats: 3,
      registrations: 4,
      idempotencyRecords: 1,
      unreadable: 0,
    });
    expect(report.counts.items).toBe(3 + 3 + 3 + 3 + 4 + 1);
  });

  it("reads the same with small pages and more segments, reporting progress up to every item", async () => {
    const progress = new Map<string, number>();
    const report = await checkIntegrity({
      design,
      copies,
      document: db.clients.document,
      tableNames: db.tableNames,
      segments: 3,
      pageSize: 2,
      onProgress: ({ table, scanned }) => progress.set(table, Math.max(progress.get(table) ?? 0, scanned)),
    });
    expect(report.ok).toBe(true);
    expect(report.counts.items).toBe(17);
    expect([...progress.keys()].sort()).toEqual(Object.values(db.tableNames).sort());
    expect([...progress.values()].reduce((sum, value) => sum + value, 0)).toBe(17);
  });

  it("scans only as an admin: every call it makes is marked, so a no-Scan guard can exempt it", async () => {
    const calls: DbCall[] = [];
    const stop = onDbCall((call) => calls.push(call));
    try {
      await check();
      await db.store.getUser(ids.ada);
    } finally {
      stop();
    }
    const scans = calls.filter((call) => call.command === "Scan");
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.every((call) => call.admin === true)).toBe(true);
    expect(calls.filter((call) => call.command === "GetItem" && !call.admin)).toHaveLength(1);
  });

  it("reports an orphan registration (its user does not exist)", async () => {
    const report = await corrupted(async () => {
      const where = at.registration(ids.march, ids.bob);
      const item = { ...(await send.get(where)), userId: STRANGER };
      if (design === "single")
        Object.assign(item, { sk: `${KEYS.registration}${STRANGER}`, gsi1pk: `${KEYS.attendee}${STRANGER}` });
      await send.put(where.TableName, item);
      return () => send.delete(at.registration(ids.march, STRANGER));
    });
    expect(kinds(report)).toContain("orphan_registration");
    const orphan = report.violations.find((violation) => violation.kind === "orphan_registration");
    expect(orphan?.message).toContain(STRANGER);
  });

  it("reports a registration whose event is gone (and the seats it left)", async () => {
    const report = await corrupted(async () => {
      const where = at.event(ids.march);
      const event = await send.get(where);
      await send.delete(where);
      return () => send.put(where.TableName, event);
    });
    expect(kinds(report)).toEqual(["orphan_registration", "seats_mismatch"]);
    expect(report.violations).toHaveLength(4);
  });

  it("reports an event without its seats", async () => {
    const report = await corrupted(async () => {
      const where = at.seats(ids.april);
      const seats = await send.get(where);
      await send.delete(where);
      return () => send.put(where.TableName, seats);
    });
    expect(kinds(report)).toEqual(["seats_mismatch"]);
    expect(report.violations[0]?.key).toEqual(at.event(ids.april).Key);
  });

  it("reports seats whose capacity is not their event's", async () => {
    const report = await corrupted(() => change(at.seats(ids.april), { capacity: 97 }));
    expect(kinds(report)).toEqual(["seats_mismatch"]);
    expect(report.violations[0]?.message).toMatch(/hold capacity 97, the event \d+/);
  });

  it("reports a registeredCount that differs from the registrations", async () => {
    const report = await corrupted(() => change(at.seats(ids.march), { registeredCount: 2 }));
    expect(kinds(report)).toEqual(["registered_count_mismatch"]);
    expect(report.violations[0]?.key).toEqual(at.seats(ids.march).Key);
  });

  it("reports a registeredCount over the capacity", async () => {
    const report = await corrupted(() => change(at.seats(ids.march), { registeredCount: 4 }));
    expect(kinds(report)).toEqual(["count_out_of_range", "registered_count_mismatch"]);
  });

  it("reports a user without an email marker", async () => {
    const report = await corrupted(async () => {
      const where = at.marker(emails.bob);
      const marker = await send.get(where);
      await send.delete(where);
      return () => send.put(where.TableName, marker);
    });
    expect(kinds(report)).toEqual(["missing_email_marker"]);
    expect(report.violations[0]?.key).toEqual(at.user(ids.bob).Key);
  });

  it("reports a marker pointing to another user", async () => {
    const report = await corrupted(() => change(at.marker(emails.bob), { userId: ids.ada }));
    expect(kinds(report)).toEqual(["email_marker_mismatch", "missing_email_marker"]);
  });

  it("reports a marker whose user does not exist", async () => {
    const report = await corrupted(() => change(at.marker(emails.bob), { userId: STRANGER }));
    expect(kinds(report)).toEqual(["email_marker_mismatch", "missing_email_marker"]);
  });

  it("reports a registration whose date index key lags its event date, in every strategy", async () => {
    const where = at.registration(ids.march, ids.bob);
    const report = await corrupted(() =>
      design === "single"
        ? change(where, { gsi1sk: `${KEYS.attended}2027-03-01#${ids.march}` })
        : change(where, { dateEventId: `2027-03-11#${ids.march}` }),
    );
    expect(kinds(report)).toEqual(["stale_key"]);
    expect(report.violations[0]?.key).toEqual(where.Key);
  });

  if (copies === "none") {
    it("reports a name copy on a registration, which COPIES=none never stores", async () => {
      const where = at.registration(ids.march, ids.ada);
      const report = await corrupted(() => change(where, { userName: "Ada", eventName: "March" }));
      expect(kinds(report)).toEqual(["unexpected_copy"]);
      expect(report.violations[0]?.key).toEqual(where.Key);
      expect(report.violations[0]?.message).toMatch(/userName, eventName.*COPIES=none/);
    });
  } else {
    it("reports a stale copy: an attendee name, an event venue, naming the copy and its source", async () => {
      const where = at.registration(ids.march, ids.ada);
      const report = await corrupted(() => change(where, { userName: "Ada (old name)", eventVenue: "Shed" }));
      expect(kinds(report)).toEqual(["stale_copy"]);
      expect(report.violations[0]?.key).toEqual(where.Key);
      expect(report.violations[0]?.message).toContain('userName "Ada (old name)" ≠ "Ada"');
      expect(report.violations[0]?.message).toContain('eventVenue "Shed" ≠ "Hall"');
    });

    it("reports a missing copy (the venue) and a copy whose revision leads its source's", async () => {
      const missing = at.registration(ids.march, ids.bob);
      const ahead = at.registration(ids.march, ids.cy);
      const report = await corrupted(async () => {
        const before = await send.get(missing);
        const { eventVenue: _dropped, ...rest } = before;
        await send.put(missing.TableName, rest);
        const restoreAhead = await change(ahead, { userRevision: 99 });
        return async () => {
          await send.put(missing.TableName, before);
          await restoreAhead();
        };
      });
      expect(kinds(report)).toEqual(["stale_copy"]);
      const messages = report.violations.map((violation) => violation.message);
      expect(messages).toEqual(
        expect.arrayContaining([
          expect.stringContaining('eventVenue absent ≠ "Hall"'),
          expect.stringContaining("userRevision 99 leads the user's"),
        ]),
      );
    });
  }

  it("reports an item the model cannot read", async () => {
    const junk =
      design === "single"
        ? { TableName: table("Table"), Key: { pk: "JUNK#1", sk: "junk" } }
        : { TableName: table("Events"), Key: { eventId: "junk" } };
    const report = await corrupted(async () => {
      await send.put(junk.TableName, { ...junk.Key, note: "not an entity" });
      return () => send.delete(junk);
    });
    expect(kinds(report)).toEqual(["unreadable_item"]);
    expect(report.violations[0]?.key).toEqual(junk.Key);
    expect(report.counts.unreadable).toBe(1);
  });

  it("reports a model item with a missing attribute as unreadable", async () => {
    const where = at.seats(ids.april);
    const report = await corrupted(async () => {
      const before = await send.get(where);
      const { capacity: _dropped, ...rest } = before;
      await send.put(where.TableName, rest);
      return () => send.put(where.TableName, before);
    });
    expect(kinds(report)).toEqual(["unreadable_item"]);
    expect(report.violations[0]?.message).toContain("capacity");
  });

  it("reports an event in the wrong month bucket", async () => {
    const where = at.event(ids.march);
    const report = await corrupted(() =>
      design === "single" ? change(where, { gsi1pk: `${KEYS.month}2027-02` }) : change(where, { month: "2027-02" }),
    );
    expect(kinds(report)).toEqual(["stale_key"]);
    expect(report.violations[0]?.message).toContain("2027-02");
  });

  // The single table's email marker carries the user's name (AP2 in one GetItem), whatever COPIES says.
  if (design === "single") {
    it("reports a marker whose copy of the name is stale", async () => {
      const report = await corrupted(() => change(at.marker(emails.bob), { name: "Robert" }));
      expect(kinds(report)).toEqual(["stale_copy"]);
    });
  }

  it("the CLI exits 0 on a clean table and 1, naming the violation, on a corrupted one", async () => {
    const doctor = () =>
      run(join(root, "node_modules", ".bin", "tsx"), ["packages/api/scripts/doctor.ts"], {
        cwd: root,
        env: {
          ...process.env,
          TABLE_DESIGN: design,
          COPIES: copies,
          TABLE_NAME: db.tablePrefix,
          DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
        },
      }).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          stdout: error.stdout + error.stderr,
        }),
      );
    const clean = await doctor();
    expect(clean.stdout).toContain(`${design} design, copies ${copies}`);
    expect(clean.stdout).toContain("OK");
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("3 users");

    const restore = await change(at.seats(ids.march), { registeredCount: 1 });
    try {
      const broken = await doctor();
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain("registered_count_mismatch");
    } finally {
      await restore();
    }
  });
});
