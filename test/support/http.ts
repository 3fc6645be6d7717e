import { randomBytes } from "node:crypto";
import { type App, type AppDeps, createApp, idempotencyRunnerFor, mintToken, silentLogger } from "@tablelab/api";
import type { CopyStrategy, Event, Registration, Store, StoredUser, TableDesign } from "@tablelab/core";
import { afterAll, beforeAll, expect } from "vitest";
import { createTestDatabase, releaseTestDatabase, type TestDatabase } from "./database.js";
import { countItems } from "./items.js";
import { createResponseValidator, type ResponseValidator } from "./openapi.js";

/**
 * HTTP test harness: the real app (`createApp`) over a real Store on the run's DynamoDB Local, driven through
 * `app.request` — no server, no mocks. Every helper goes through the API itself, so fixtures are what a client
 * could have produced.
 */

export const TEST_JWT_SECRET = "http-suite-jwt-secret-0123456789abcdef";

export interface LogLine {
  level: "info" | "error";
  message: string;
  extra?: Record<string, unknown> | undefined;
}

export interface Reply {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in the tests.
  body: any;
  text: string;
}

export interface Call {
  token?: string | undefined;
  /** Serialised as JSON with `Content-Type: application/json` (unless `contentType` says otherwise). */
  json?: unknown;
  /** Sent exactly as given (a string gets no automatic text/plain: it is sent as bytes). */
  raw?: string | Uint8Array | ReadableStream<Uint8Array>;
  /** `null` sends no Content-Type at all. */
  contentType?: string | null;
  headers?: Record<string, string>;
}

export interface AppOptions {
  /** The copy strategy of the test database and of the app's deps (/health names it); the design's default. */
  copies?: CopyStrategy;
  dbMetrics?: boolean;
  corsOrigins?: string[];
  now?: () => Date;
  /** Idempotent POSTs (createTestApp wires the design's own idempotency records, as production does). */
  idempotency?: AppDeps["idempotency"];
}

export interface HttpClient {
  app: App;
  logs: LogLine[];
  request(method: string, path: string, call?: Call): Promise<Reply>;
  get(path: string, call?: Call): Promise<Reply>;
  post(path: string, call?: Call): Promise<Reply>;
  patch(path: string, call?: Call): Promise<Reply>;
  del(path: string, call?: Call): Promise<Reply>;
  /** A valid HS256 token for any user id (existing or not), as `pnpm mint-token` mints it. */
  token(userId: string): Promise<string>;
}

const encoder = new TextEncoder();

/** An app over any Store (e.g. one whose DynamoDB is unreachable), with a capturing logger. */
export function httpClient(store: Store, options: AppOptions = {}): HttpClient {
  const logs: LogLine[] = [];
  const deps: AppDeps = {
    store,
    ...(options.copies && { copies: options.copies }),
    jwtSecret: TEST_JWT_SECRET,
    dbMetrics: options.dbMetrics ?? true,
    corsOrigins: options.corsOrigins ?? [],
    logger: {
      info: (message, extra) => logs.push({ level: "info", message, extra }),
      error: (message, extra) => logs.push({ level: "error", message, extra }),
    },
    now: options.now ?? (() => new Date()),
    ...(options.idempotency && { idempotency: options.idempotency }),
  };
  const app = createApp(deps);
  // Every response of every HTTP test is held to the served OpenAPI document, as a validating proxy would. The
  // document comes from a twin app (same code and deps, silent), so fetching it leaves no trace in `logs`.
  let validator: Promise<ResponseValidator> | undefined;
  const documentValidator = () => {
    validator ??= (async () => {
      const response = await createApp({ ...deps, logger: silentLogger }).request("/openapi.json");
      return createResponseValidator(await response.json());
    })();
    return validator;
  };
  documentValidator().catch(() => {}); // started now, awaited (and any failure reported) at the first request

  async function request(method: string, path: string, call: Call = {}): Promise<Reply> {
    const headers = new Headers(call.headers);
    if (call.token !== undefined) headers.set("Authorization", `Bearer ${call.token}`);
    let body: Uint8Array | ReadableStream<Uint8Array> | undefined;
    if (call.json !== undefined) {
      body = encoder.encode(JSON.stringify(call.json));
      if (call.contentType === undefined) headers.set("Content-Type", "application/json");
    } else if (call.raw !== undefined) {
      body = typeof call.raw === "string" ? encoder.encode(call.raw) : call.raw;
    }
    if (call.contentType) headers.set("Content-Type", call.contentType);
    const init: RequestInit & { duplex?: "half" } = { method, headers };
    if (body !== undefined) {
      init.body = body;
      if (body instanceof ReadableStream) init.duplex = "half";
    }
    const response = await app.request(path, init);
    const text = await response.text();
    const sent = { method, url: path, status: response.status, headers: response.headers, text };
    expect((await documentValidator()).problems(sent), `${method} ${path} vs /openapi.json`).toEqual([]);
    let parsed: unknown;
    if (text.length > 0 && (response.headers.get("content-type") ?? "").includes("json")) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  return {
    app,
    logs,
    request,
    get: (path, call) => request("GET", path, call),
    post: (path, call) => request("POST", path, call),
    patch: (path, call) => request("PATCH", path, call),
    del: (path, call) => request("DELETE", path, call),
    token: (userId) => mintToken(userId, TEST_JWT_SECRET),
  };
}

export interface SignedUp {
  user: StoredUser;
  token: string;
}

export interface TestApp extends HttpClient {
  db: TestDatabase;
  /** Every item in every table of the design (for "nothing was written"). */
  countItems(): Promise<number>;
  /** POST /users; asserts the 201. */
  signUp(fields?: { name?: string; email?: string }): Promise<SignedUp>;
  /** POST /events as the token's user; asserts the 201. */
  createEvent(token: string, fields?: Record<string, unknown>): Promise<Event>;
  /** POST /events/{eventId}/registrations as the token's user; asserts the 201. */
  register(token: string, eventId: string): Promise<Registration>;
}

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}@example.com`;
}

export async function createTestApp(design: TableDesign, label: string, options: AppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase(design, label, options.copies);
  const client = httpClient(db.store, {
    copies: db.copies,
    idempotency: idempotencyRunnerFor({ design, tableNames: db.tableNames }, db.clients),
    ...options,
  });

  async function signUp(fields: { name?: string; email?: string } = {}): Promise<SignedUp> {
    const reply = await client.post("/users", {
      json: { name: fields.name ?? "Ada Lovelace", email: fields.email ?? uniqueEmail() },
    });
    expect(reply.status, reply.text).toBe(201);
    return reply.body as SignedUp;
  }

  async function createEvent(token: string, fields: Record<string, unknown> = {}): Promise<Event> {
    const reply = await client.post("/events", {
      token,
      json: { name: "Launch party", date: "2031-06-15", capacity: 10, ...fields },
    });
    expect(reply.status, reply.text).toBe(201);
    return reply.body as Event;
  }

  async function register(token: string, eventId: string): Promise<Registration> {
    const reply = await client.post(`/events/${eventId}/registrations`, { token });
    expect(reply.status, reply.text).toBe(201);
    return reply.body as Registration;
  }

  return { ...client, db, countItems: () => countItems(db), signUp, createEvent, register };
}

/** One app and table set per design and test file, created before the file's tests and released after them. */
export function useTestApp(design: TableDesign, label: string, options: AppOptions = {}): () => TestApp {
  let testApp: TestApp | undefined;
  beforeAll(async () => {
    testApp = await createTestApp(design, label, options);
  });
  afterAll(() => releaseTestDatabase(testApp?.db));
  return () => {
    if (!testApp) throw new Error("the test app is not ready (used outside a test?)");
    return testApp;
  };
}

/** Follows a list's cursors from `path` to the end; returns every item and the number of pages. */
export async function followPages<T>(
  client: HttpClient,
  path: string,
  call: Call = {},
  firstCursor?: string | null,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null | undefined = firstCursor;
  let pages = 0;
  do {
    const separator = path.includes("?") ? "&" : "?";
    const url = cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path;
    const reply = await client.get(url, call);
    expect(reply.status, reply.text).toBe(200);
    expect(Object.keys(reply.body).sort()).toEqual(["cursor", "items"]);
    items.push(...(reply.body.items as T[]));
    cursor = reply.body.cursor;
    // api.md: a page is empty only when it is the last — a client may stop at the first empty page.
    if (reply.body.items.length === 0) expect(cursor, `${url}: an empty page with a cursor`).toBeNull();
    pages += 1;
    if (pages > 1000) throw new Error(`pagination of ${path} does not end`);
  } while (cursor);
  return { items, pages };
}

/** The contract's error body, exactly: `{ error: { code, message, details? } }` and nothing else. */
export function expectError(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, code: reply.body?.error?.code }, reply.text).toEqual({ status, code });
  expect(Object.keys(reply.body)).toEqual(["error"]);
  const keys = Object.keys(reply.body.error).sort();
  expect(keys.filter((key) => key !== "details")).toEqual(["code", "message"]);
  expect(typeof reply.body.error.message).toBe("string");
  expect(reply.body.error.message.length).toBeGreaterThan(0);
  if ("details" in reply.body.error) {
    expect(Array.isArray(reply.body.error.details)).toBe(true);
    for (const detail of reply.body.error.details) {
      expect(Object.keys(detail).sort()).toEqual(["message", "path"]);
    }
  }
  expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
}

/** Builds a JWT by hand: base64url(header).base64url(payload).signature, for the hostile tokens. */
export function handMadeToken(header: object, payload: object, signature = ""): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part(header)}.${part(payload)}.${signature}`;
}
