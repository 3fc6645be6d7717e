import { createApp, mintToken, silentLogger } from "@tablelab/api";
import { KEYS } from "@tablelab/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, DESIGNS, type TestDatabase } from "../support/database.js";
import { countItems } from "../support/items.js";

/**
 * Property-based fuzzing of every route's body, query, path and Authorization header with hostile values.
 * Properties: never a 5xx; every error has the contract's shape and one of its codes; and a rejected request
 * writes nothing — checked per request from the metering header (X-Db-Write-Units: 0) and, at the end, from
 * the table's item count.
 */
const SECRET = "fuzz-secret";
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const CODES = new Set([
  "invalid_json",
  "validation_failed",
  "invalid_cursor",
  "unauthorized",
  "forbidden",
  "not_found",
  "email_taken",
  "already_registered",
  "event_full",
  "capacity_conflict",
  "precondition_failed",
  "payload_too_large",
  "unsupported_media_type",
]);

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }), // includes lone surrogates
  fc.string({ minLength: 2000, maxLength: 20_000 }),
  fc.constantFrom(
    "",
    "   ",
    "\u0000",
    "a\u202Eb",
    "\ud800",
    "x".repeat(201),
    "__proto__",
    "constructor",
    "2031-02-30",
    "1e308",
    `${KEYS.event}01ARZ3NDEKTSV4RRFFQ69G5FAV`,
    KEYS.eventItem,
    "Bearer x.y.z",
    "%00",
    "../../etc/passwd",
  ),
  fc.string().map((s) => `${s}#${s}$`),
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 100_001),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 4 }),
  ),
})).value;
/** Bodies shaped like the real ones (known field names, hostile values), plus anything at all. */
const hostileBody = fc.oneof(
  fc.record(
    {
      name: hostileValue,
      email: hostileValue,
      date: hostileValue,
      capacity: hostileValue,
      description: hostileValue,
      venue: hostileValue,
      registeredCount: hostileValue,
      version: hostileValue,
      organizerId: hostileValue,
    },
    { requiredKeys: [] },
  ),
  hostileValue,
  fc.constant(JSON.parse('{"__proto__": {"admin": true}, "name": "x"}') as unknown),
  fc.constant("{not json" as unknown),
);
const rawBody = hostileBody.map((body) =>
  typeof body === "string" && body.startsWith("{not") ? body : JSON.stringify(body),
);

describe.each(DESIGNS)("fuzzing every route (%s design)", (design) => {
  let db: TestDatabase;
  let app: ReturnType<typeof createApp>;
  let token: string;
  let userId: string;
  let eventId: string;
  let itemsBefore: number;
  let cases = 0;
  let successes = 0;

  beforeAll(async () => {
    db = await createTestDatabase(design, "fuzz");
    app = createApp({
      store: db.storeWith({ cursorSecret: SECRET }),
      jwtSecret: SECRET,
      dbMetrics: true,
      corsOrigins: [],
      logger: silentLogger,
      now: () => new Date(),
    });
    const user = await db.store.createUser({ email: `fuzz-${design}@example.com`, name: "Fuzz" });
    userId = user.userId;
    token = await mintToken(userId, SECRET);
    eventId = (await db.store.createEvent(userId, { name: "Target", date: "2027-01-10", capacity: 5 })).eventId;
    itemsBefore = await countItems(db);
  });

  afterAll(() => {
    console.log(`fuzz (${design}): ${cases} requests, ${successes} accepted`);
  });

  async function check(response: Response) {
    cases += 1;
    expect(response.status, `5xx for a client's input: ${await response.clone().text()}`).toBeLessThan(500);
    if (response.status < 400) {
      successes += 1;
      return;
    }
    const body = (await response.json()) as { error?: { code?: string; message?: unknown } };
    expect(typeof body.error?.message).toBe("string");
    expect(CODES.has(body.error?.code ?? ""), `unknown error code ${body.error?.code}`).toBe(true);
    if (response.status !== 409 && response.status !== 412) {
      // Refused before any write was attempted (409/412 are conditional writes DynamoDB itself refused).
      expect(response.headers.get("x-db-write-units")).toBe("0");
    }
  }

  const bodyRoutes = () => [
    { method: "POST", path: "/users", auth: false },
    { method: "PATCH", path: `/users/${userId}`, auth: true },
    { method: "POST", path: "/events", auth: true },
    { method: "PATCH", path: `/events/${eventId}`, auth: true },
    { method: "POST", path: `/events/${eventId}/registrations`, auth: true },
  ];

  it("bodies: hostile JSON (and non-JSON) to every write route", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4 }), rawBody, fc.boolean(), async (index, body, jsonType) => {
        const route = bodyRoutes()[index] as { method: string; path: string; auth: boolean };
        const response = await app.request(route.path, {
          method: route.method,
          headers: {
            ...(jsonType ? { "content-type": "application/json" } : { "content-type": "text/plain" }),
            ...(route.auth ? { authorization: `Bearer ${token}` } : {}),
          },
          body,
        });
        await check(response);
      }),
      { numRuns: RUNS },
    );
  });

  it("queries: hostile from/to/limit/cursor/include on every list and include", async () => {
    const lists = () => [
      "/events",
      `/users/${userId}/events`,
      `/users/${userId}/registrations`,
      `/events/${eventId}/registrations`,
      `/users/${userId}`,
      `/events/${eventId}`,
    ];
    const parameter = fc.constantFrom("from", "to", "limit", "cursor", "include", "__proto__", "unknown");
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.tuple(parameter, hostileString), { maxLength: 4 }),
        async (index, pairs) => {
          const query = new URLSearchParams(pairs).toString();
          const response = await app.request(`${lists()[index]}?${query}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          await check(response);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("paths and tokens: hostile ids and Authorization headers", async () => {
    const templates: Array<(id: string) => [string, string]> = [
      (id) => ["GET", `/users/${id}`],
      (id) => ["GET", `/events/${id}`],
      (id) => ["DELETE", `/events/${id}`],
      (id) => ["GET", `/events/${id}/registrations`],
      (id) => ["DELETE", `/events/${eventId}/registrations/${id}`],
    ];
    const forgedToken = fc
      .tuple(hostileString, hostileString, hostileString)
      .map(
        ([a, b, c]) => `Bearer ${Buffer.from(a).toString("base64url")}.${Buffer.from(b).toString("base64url")}.${c}`,
      );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 4 }),
        fc.oneof(hostileString, fc.constant(eventId.toLowerCase()), fc.constant(`${eventId}X`)),
        fc.oneof(fc.constant(`Bearer ${token}`), hostileString, forgedToken),
        async (index, id, authorization) => {
          // A lone surrogate cannot be percent-encoded as UTF-8: send the bytes of one (ill-formed UTF-8) instead.
          const encoded = id.isWellFormed() ? encodeURIComponent(id) : "%ED%A0%80";
          const [method, path] = (templates[index] as (id: string) => [string, string])(encoded);
          let response: Response;
          try {
            response = await app.request(path, { method, headers: { authorization } });
          } catch (error) {
            // A header value the Fetch API itself refuses (e.g. a NUL) never reaches the app.
            if (error instanceof TypeError) return;
            throw error;
          }
          await check(response);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("leaves the table as it was: only accepted requests may add items", async () => {
    const itemsAfter = await countItems(db);
    if (successes === 0) expect(itemsAfter).toBe(itemsBefore);
    else expect(itemsAfter).toBeGreaterThanOrEqual(itemsBefore);
    // Header values the Fetch API refuses outright (a NUL, a line break) never become requests: most cases do.
    expect(cases).toBeGreaterThanOrEqual(RUNS * 2.5);
  });
});
