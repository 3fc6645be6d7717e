import { createServer } from "node:net";
import {
  createDynamoClients,
  createStore,
  DEFAULT_TIMEOUTS,
  defaultTableNames,
  KEYS,
  type Store,
  UnavailableError,
} from "@tablelab/core";
import { afterAll, describe, expect, it } from "vitest";
import { DESIGNS, TEST_CURSOR_SECRET } from "../support/database.js";
import { expectError, httpClient, uniqueEmail, useTestApp } from "../support/http.js";

const SOME_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The store, except that `method` throws `error`. */
function failing(store: Store, method: keyof Store, error: unknown): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === method) {
        return async () => {
          throw error;
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe.each(DESIGNS)("failures over HTTP (%s design)", (design) => {
  const t = useTestApp(design, "http-fail");

  describe("DynamoDB unreachable → 503 service_unavailable with Retry-After", async () => {
    const clients = createDynamoClients({ endpoint: `http://127.0.0.1:${await closedPort()}` });
    afterAll(() => clients.destroy());
    const store = createStore({
      design,
      document: clients.document,
      tableNames: defaultTableNames(design, "unreachable"),
      cursorSecret: TEST_CURSOR_SECRET,
    });
    const down = httpClient(store);

    const signUp = { json: { name: "n", email: uniqueEmail() } };
    it.each([
      ["GET", `/users/${SOME_ID}`, {}],
      ["GET", `/events/${SOME_ID}?include=attendees`, {}],
      ["GET", "/events", {}],
      ["POST", "/users", signUp],
      ["DELETE", `/events/${SOME_ID}/registrations/${SOME_ID}`, { token: "valid" }],
    ] as const)("%s %s", async (method, path, call) => {
      const started = performance.now();
      const reply = await down.request(method, path, {
        ...call,
        ...("token" in call ? { token: await down.token(SOME_ID) } : {}),
      });
      const elapsed = performance.now() - started;
      expectError(reply, 503, "service_unavailable");
      expect(reply.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(elapsed).toBeLessThan(5000);
      expect(reply.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|dynamo|stack/i);
      expect(reply.headers.get("x-request-id")).toBeTruthy();
      const logged = down.logs.find(
        (line) => line.level === "error" && line.extra?.requestId === reply.headers.get("x-request-id"),
      );
      expect(logged, "the failure is logged with the request id").toBeDefined();
    });

    it("POST /events with a valid token: the caller lookup fails → 503 within 5 s", async () => {
      const started = performance.now();
      const reply = await down.post("/events", {
        token: await down.token(SOME_ID),
        json: { name: "n", date: "2031-01-01", capacity: 1 },
      });
      expectError(reply, 503, "service_unavailable");
      expect(reply.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(performance.now() - started).toBeLessThan(5000);
    });

    it("routes that need no database still answer", async () => {
      expect((await down.get("/health")).status).toBe(200);
      expectError(await down.get("/users/abc"), 400, "validation_failed");
    });
  });

  describe("DynamoDB accepting connections but never answering → 503 within 5 s", async () => {
    const sockets = new Set<import("node:net").Socket>();
    const blackhole = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => blackhole.listen(0, "127.0.0.1", resolve));
    const { port } = blackhole.address() as { port: number };
    // The deployed timeouts: a loopback endpoint otherwise gets DynamoDB Local's patient ones.
    const clients = createDynamoClients({ endpoint: `http://127.0.0.1:${port}`, ...DEFAULT_TIMEOUTS });
    afterAll(async () => {
      clients.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => blackhole.close(() => resolve()));
    });

    it("GET /events/{eventId}", async () => {
      const store = createStore({
        design,
        document: clients.document,
        tableNames: defaultTableNames(design, "blackhole"),
        cursorSecret: TEST_CURSOR_SECRET,
      });
      const started = performance.now();
      const reply = await httpClient(store).get(`/events/${SOME_ID}`);
      expectError(reply, 503, "service_unavailable");
      expect(reply.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(performance.now() - started).toBeLessThan(5000);
    });
  });

  describe("throttling and conflicts past retries → 503", () => {
    it.each([
      ["a throttle", Object.assign(new Error("Rate exceeded"), { name: "ProvisionedThroughputExceededException" })],
      ["an SDK timeout", Object.assign(new Error("timed out"), { name: "TimeoutError" })],
      ["conflicts past the retry budget", new UnavailableError("transaction kept conflicting")],
    ])("%s", async (_, error) => {
      const client = httpClient(failing(t().db.store, "getEvent", error));
      const reply = await client.get(`/events/${SOME_ID}`);
      expectError(reply, 503, "service_unavailable");
      expect(reply.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(reply.text).not.toMatch(/Rate exceeded|timed out|conflicting/);
    });
  });

  describe("an unexpected exception → 500 internal_error that reveals nothing", () => {
    const secret = `SECRET-DETAIL pk=${KEYS.event}123 table=tablelab-internal`;
    it.each([
      ["a plain Error", new Error(secret)],
      ["a thrown string", secret],
      [
        "a DynamoDB ValidationException",
        Object.assign(new Error(secret), { name: "ValidationException", $metadata: { httpStatusCode: 400 } }),
      ],
      ["a TypeError", new TypeError(`Cannot read properties of undefined (reading '${secret}')`)],
    ])("%s", async (_, error) => {
      const client = httpClient(failing(t().db.store, "getEvent", error));
      const reply = await client.get(`/events/${SOME_ID}`, { headers: { "X-Request-Id": "trace-500-abc" } });
      expectError(reply, 500, "internal_error");
      expect(reply.body).toEqual({ error: { code: "internal_error", message: expect.any(String) } });
      expect(reply.text).not.toMatch(/SECRET|pk=|tablelab-internal|stack|at .*\.ts/);
      expect(reply.headers.get("x-request-id")).toBe("trace-500-abc");
      const logged = client.logs.filter((line) => line.level === "error");
      expect(logged).toHaveLength(1);
      expect(logged[0]?.extra?.requestId).toBe("trace-500-abc");
      expect(JSON.stringify(logged[0]?.extra)).toContain("SECRET-DETAIL");
    });

    it("on a write too, and nothing is written", async () => {
      const { token } = await t().signUp();
      const client = httpClient(failing(t().db.store, "createEvent", new Error(secret)));
      const before = await t().countItems();
      const reply = await client.post("/events", { token, json: { name: "n", date: "2031-01-01", capacity: 1 } });
      expectError(reply, 500, "internal_error");
      expect(reply.text).not.toContain("SECRET");
      expect(await t().countItems()).toBe(before);
    });
  });

  it("every request is logged once with its request id, method, path and status", async () => {
    const client = httpClient(t().db.store);
    const reply = await client.get("/health", { headers: { "X-Request-Id": "log-line-1" } });
    const lines = client.logs.filter((line) => line.extra?.requestId === "log-line-1");
    expect(lines).toEqual([
      {
        level: "info",
        message: "request",
        extra: expect.objectContaining({ method: "GET", path: "/health", status: reply.status, dbRequests: 0 }),
      },
    ]);
  });
});
