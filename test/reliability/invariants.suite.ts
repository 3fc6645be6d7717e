import { createDynamoClients, createStore, type FaultInjector, injectFaults, type StoredUser } from "@tablelab/core";
import { checkIntegrity } from "@tablelab/core/doctor";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually } from "../support/convergence.js";
import {
  createTestDatabase,
  GRID,
  releaseTestDatabase,
  TEST_CURSOR_SECRET,
  TEST_MAX_SOCKETS,
  type TestDatabase,
} from "../support/database.js";
import { snapshot, storedRegistrations } from "../support/raw.js";
import { pool, type RunningServer, startServer } from "../support/server.js";

/**
 * The contract's invariants over HTTP, against the real server on loopback, with many clients at once — first on
 * a healthy DynamoDB, then with injected faults (DynamoDB Local never conflicts, throttles or fails by itself).
 * Under faults a client may get a 503 (outcome unknown); Jepsen's rule then bounds the truth:
 * successes ≤ final count ≤ successes + unknowns.
 */
interface Outcome {
  status: number;
  code?: string;
  retryAfter: string | null;
  userId?: string;
}

const FAULT_RATE = 0.2;
/**
 * Distinct users racing for SEATS seats (the largest scenario; the organizer is one more): four times
 * oversubscribed, so the last seats are fought over by a full CLIENTS and three in four requests must be refused.
 * 500 users proved no more (the count is contended by at most CLIENTS at a time either way) and cost every cell
 * 300 more seeded users and requests.
 */
const USERS = 200;
const SEATS = 50;
/**
 * Clients in flight at once in a race: twice the server's sockets to DynamoDB (TEST_MAX_SOCKETS), so the database
 * always has as many transactions racing on one item as the server can send it, and as many more wait to replace
 * them. More clients would race no harder: they only queue in front of those sockets, and an SDK request's
 * timeout runs while it queues, so 500 at once on a loaded machine made 503s that no database fault caused.
 */
const CLIENTS = 2 * TEST_MAX_SOCKETS;

/**
 * Every cell of the grid, healthy (invariants.test.ts) or under faults (invariants-faults.test.ts): the invariants
 * do not depend on how copies are kept. Two files so that the two halves run in parallel.
 */
export function describeInvariants(faults: boolean): void {
  const modes = GRID.map((variant) =>
    // Printed in the suite's name as `single+sync, faults: true`.
    Object.defineProperty({ ...variant, faults }, "toString", {
      value: () => `${variant}, faults: ${faults}`,
      enumerable: false,
    }),
  );
  describe.each(modes)("invariants over HTTP (%s)", ({ design, copies }) => invariantsOf(design, copies, faults));
}

function invariantsOf(design: TestDatabase["design"], copies: TestDatabase["copies"], faults: boolean): void {
  let db: TestDatabase;
  let server: RunningServer;
  let injector: FaultInjector | undefined;
  let organizerToken: string;

  async function call(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${server.base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const outcome: Outcome = { status: response.status, retryAfter: response.headers.get("retry-after") };
    const error = json.error as { code?: string } | undefined;
    if (error?.code) outcome.code = error.code;
    return { outcome, json };
  }

  /** The cell's users with their tokens: every scenario takes the first `count` (each races on its own event). */
  let everyone: Array<{ userId: string; token: string }> = [];
  function users(count: number) {
    if (count > everyone.length) throw new Error(`only ${everyone.length} users were made`);
    return everyone.slice(0, count);
  }

  async function makeEvent(capacity: number, name = "Event") {
    injector?.setRate(0);
    const { json } = await call("POST", "/events", organizerToken, { name, date: "2027-09-01", capacity });
    injector?.setRate(faults ? FAULT_RATE : 0);
    return json.eventId as string;
  }

  /** Only the contract's answers: no 5xx but a 503 with Retry-After, and that only under faults. */
  function expectContractStatuses(outcomes: Outcome[], allowed: number[]) {
    for (const outcome of outcomes) {
      if (outcome.status === 503) {
        expect(faults, "a 503 without injected faults").toBe(true);
        expect(outcome.code).toBe("service_unavailable");
        expect(outcome.retryAfter).toMatch(/^\d+$/);
      } else {
        expect(allowed, `unexpected ${outcome.status} ${outcome.code ?? ""}`).toContain(outcome.status);
      }
    }
  }

  // Longer than the hook default: the first cell of a loaded run seeds into a cold DynamoDB Local (501 users: 60+ s).
  beforeAll(async () => {
    let made: StoredUser[] = [];
    db = await createTestDatabase(design, "inv", copies, {
      // Users are made once, straight through the store (no faults), so scenarios measure only what they test;
      // before a stream cell's stream is on, so that its consumer does not first read hundreds of inserts that
      // change no copy (users that predate COPIES=stream, as on a table that switched to it).
      seed: async ({ clients, tableNames }) => {
        const store = createStore({
          design,
          copies,
          document: clients.document,
          tableNames,
          cursorSecret: TEST_CURSOR_SECRET,
        });
        made = await pool(
          TEST_MAX_SOCKETS,
          Array.from(
            { length: USERS + 1 },
            (_, index) => () => store.createUser({ email: `user-${index}@example.com`, name: `User ${index}` }),
          ),
        );
      },
    });
    server = await startServer(db);
    const [organizer, ...racers] = await Promise.all(
      made.map(async (user) => ({ userId: user.userId, token: await server.token(user.userId) })),
    );
    organizerToken = (organizer as { token: string }).token;
    everyone = racers;
    if (faults) {
      injector = injectFaults(db.clients.client, {
        rate: 0,
        kinds: ["conflict", "throttle", "server-error", "timeout-after-write"],
      });
    }
  }, 120_000);

  // After every scenario the whole table passes the integrity checker (`pnpm check-integrity`), faults off; under
  // COPIES=stream once the consumer has caught up.
  afterEach(async () => {
    injector?.setRate(0);
    await eventually(db, async () => {
      const report = await checkIntegrity({ copies, design, document: db.clients.document, tableNames: db.tableNames });
      expect(report.violations.slice(0, 5)).toEqual([]);
      expect(report.ok).toBe(true);
    });
  });

  afterAll(async () => {
    injector?.remove();
    await server?.close();
    await releaseTestDatabase(db);
  });

  it(`${USERS} distinct users race for ${SEATS} seats: exactly ${SEATS} get in, the rest are told event_full`, async () => {
    const racers = users(USERS);
    const eventId = await makeEvent(SEATS, "Fifty seats");
    const results = await pool(
      CLIENTS,
      racers.map((user) => async () => ({
        ...(await call("POST", `/events/${eventId}/registrations`, user.token)).outcome,
        userId: user.userId,
      })),
    );
    expectContractStatuses(results, [201, 409]);
    const won = results.filter((result) => result.status === 201);
    const full = results.filter((result) => result.status === 409);
    const unknown = results.filter((result) => result.status === 503);
    for (const result of full) expect(result.code).toBe("event_full");

    injector?.setRate(0);
    const stored = await storedRegistrations(db, eventId);
    const event = (await call("GET", `/events/${eventId}`)).json as { registeredCount: number };
    expect(event.registeredCount).toBe(stored.length);
    expect(stored.length).toBeLessThanOrEqual(SEATS);
    expect(won.length).toBeLessThanOrEqual(stored.length);
    expect(stored.length).toBeLessThanOrEqual(won.length + unknown.length);
    if (!faults) {
      expect(won).toHaveLength(SEATS);
      expect(full).toHaveLength(USERS - SEATS);
    } else {
      // Seats are only ever refused when the event is really full.
      if (full.length > 0) expect(stored.length).toBe(SEATS);
    }
    const registered = new Set(stored.map((item) => item.userId as string));
    for (const result of won) expect(registered.has(result.userId as string)).toBe(true);
    for (const result of full) expect(registered.has(result.userId as string)).toBe(false);
  });

  it("one user registering 100 times at once is registered once", async () => {
    const [user] = users(1);
    const eventId = await makeEvent(10, "Popular");
    const results = await pool(
      CLIENTS,
      Array.from(
        { length: 100 },
        () => async () => (await call("POST", `/events/${eventId}/registrations`, user?.token)).outcome,
      ),
    );
    expectContractStatuses(results, [201, 409]);
    const won = results.filter((result) => result.status === 201);
    for (const result of results.filter((r) => r.status === 409)) expect(result.code).toBe("already_registered");
    injector?.setRate(0);
    const stored = await storedRegistrations(db, eventId);
    expect(stored).toHaveLength(1);
    if (!faults) expect(won).toHaveLength(1);
    else expect(won.length).toBeLessThanOrEqual(1);
    expect(((await call("GET", `/events/${eventId}`)).json as { registeredCount: number }).registeredCount).toBe(1);
  });

  it("200 sign-ups with one address in different spellings create exactly one user", async () => {
    const local = `same.${design}.${faults ? "f" : "n"}`;
    // Case variants and the NFC/NFD forms of "é": all one address once normalized.
    const spellings = [
      `${local}.é@example.com`,
      `${local}.é@example.com`.normalize("NFD"),
      `${local.toUpperCase()}.É@EXAMPLE.COM`,
    ];
    const results = await pool(
      CLIENTS,
      Array.from({ length: 200 }, (_, index) => async () => {
        const { outcome, json } = await call("POST", "/users", undefined, {
          email: spellings[index % spellings.length],
          name: `Twin ${index}`,
        });
        return { ...outcome, userId: (json.user as { userId?: string } | undefined)?.userId };
      }),
    );
    expectContractStatuses(results, [201, 409]);
    for (const result of results.filter((r) => r.status === 409)) expect(result.code).toBe("email_taken");
    const won = results.filter((result) => result.status === 201);
    injector?.setRate(0);
    const owner = await db.store.findUserByEmail(`${local}.é@example.com`);
    if (!faults) expect(won).toHaveLength(1);
    else expect(won.length).toBeLessThanOrEqual(1);
    if (won[0]) expect(owner.userId).toBe(won[0].userId);
  });

  it("100 PATCHes with the same If-Match: exactly one applies, the others get 412", async () => {
    const eventId = await makeEvent(5, "Versioned");
    const results = await pool(
      CLIENTS,
      Array.from(
        { length: 100 },
        (_, index) => async () =>
          (
            await call(
              "PATCH",
              `/events/${eventId}`,
              organizerToken,
              { name: `Rename ${index}` },
              { "if-match": '"1"' },
            )
          ).outcome,
      ),
    );
    expectContractStatuses(results, [200, 412]);
    const won = results.filter((result) => result.status === 200);
    injector?.setRate(0);
    const event = (await call("GET", `/events/${eventId}`)).json as { version: number };
    expect(event.version).toBe(2);
    if (!faults) {
      expect(won).toHaveLength(1);
      expect(results.filter((result) => result.status === 412)).toHaveLength(99);
    } else {
      expect(won.length).toBeLessThanOrEqual(1);
    }
  });

  it("300 registrations and cancellations around capacity never break the count, at any instant", async () => {
    const churners = users(40);
    const capacity = 12;
    const eventId = await makeEvent(capacity, "Churn");
    const userIds = churners.map((user) => user.userId);
    let running = true;
    const snapshots: Array<Awaited<ReturnType<typeof snapshot>>> = [];
    // The watcher observes the table past the fault injector: it is not the traffic under test, and with its reads
    // failing at the fault rate too few snapshots got through to watch anything (seen under a full run's load).
    const observer = {
      ...db,
      clients: createDynamoClients({ endpoint: inject("dynamoEndpoint"), requestTimeoutMs: 20_000 }),
    };
    const watcher = (async () => {
      while (running) {
        try {
          snapshots.push(await snapshot(observer, eventId, userIds));
        } catch (error) {
          // Under faults the churn retries far more, and a TransactGetItems racing its transactions may be
          // cancelled by a real conflict: skip that snapshot.
          if (!faults) throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const operations = Array.from({ length: 300 }, (_, index) => {
      const user = churners[(index * 7) % churners.length] as { userId: string; token: string };
      return index % 3 === 2
        ? () => call("DELETE", `/events/${eventId}/registrations/${user.userId}`, user.token).then((r) => r.outcome)
        : () => call("POST", `/events/${eventId}/registrations`, user.token).then((r) => r.outcome);
    });
    const results = await pool(30, operations);
    running = false;
    await watcher;
    observer.clients.destroy();
    expectContractStatuses(results, [201, 204, 404, 409]);
    injector?.setRate(0);
    snapshots.push(await snapshot(db, eventId, userIds));
    expect(snapshots.length).toBeGreaterThan(3);
    for (const state of snapshots) {
      expect(state.registeredCount).toBeGreaterThanOrEqual(0);
      expect(state.registeredCount).toBeLessThanOrEqual(capacity);
      expect(state.registeredCount).toBe(state.registered);
    }
  });

  it("registrations racing the organizer's DELETE leave no registration without its event", async () => {
    const eventId = await makeEvent(100, "Doomed");
    const registrations = users(100).map(
      (user) => () => call("POST", `/events/${eventId}/registrations`, user.token).then((r) => r.outcome),
    );
    const deletion = async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      for (;;) {
        const { outcome } = await call("DELETE", `/events/${eventId}`, organizerToken);
        if (outcome.status !== 503) return outcome;
      }
    };
    const [results, deleted] = await Promise.all([pool(50, registrations), deletion()]);
    expectContractStatuses(results, [201, 404]);
    expect([204, 404]).toContain(deleted.status);
    injector?.setRate(0);
    expect((await call("GET", `/events/${eventId}`)).outcome.status).toBe(404);
    expect(await storedRegistrations(db, eventId)).toHaveLength(0);
  });
}
