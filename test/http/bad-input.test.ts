import { type Event, KEYS } from "@tablelab/core";
import { beforeAll, describe, expect, it } from "vitest";
import { DESIGNS } from "../support/database.js";
import { type Call, expectError, type Reply, type SignedUp, uniqueEmail, useTestApp } from "../support/http.js";

const MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
const SERVER_OWNED: Record<string, unknown> = {
  userId: MISSING,
  eventId: MISSING,
  organizerId: MISSING,
  registeredCount: 0,
  version: 1,
  createdAt: "2030-01-01T00:00:00.000Z",
  updatedAt: "2030-01-01T00:00:00.000Z",
};
const BIG = 17 * 1024;

/** A JSON text with `"name": <raw>` spliced in, so escapes such as a lone surrogate reach the server as sent. */
const withRaw = (fields: string) => `{${fields}}`;

describe.each(DESIGNS)("bad input over HTTP (%s design)", (design) => {
  const t = useTestApp(design, "http-bad");
  let user: SignedUp;
  let other: SignedUp;
  let event: Event;
  /** Every route that takes a body, with a valid body for it. */
  let bodyRoutes: Array<{ method: string; path: string; valid: Record<string, unknown> }>;

  beforeAll(async () => {
    [user, other] = await Promise.all([t().signUp({ name: "Valid User" }), t().signUp({ name: "Other" })]);
    event = await t().createEvent(user.token, { name: "Valid Event", capacity: 5 });
    bodyRoutes = [
      { method: "POST", path: "/users", valid: { name: "New", email: uniqueEmail() } },
      { method: "PATCH", path: `/users/${user.user.userId}`, valid: { name: "Renamed" } },
      { method: "POST", path: "/events", valid: { name: "New", date: "2031-01-01", capacity: 3 } },
      { method: "PATCH", path: `/events/${event.eventId}`, valid: { name: "Renamed" } },
      { method: "POST", path: `/events/${event.eventId}/registrations`, valid: {} },
    ];
  });

  /** Runs the requests and asserts that nothing at all was written and the fixtures read back unchanged. */
  async function nothingWritten(run: () => Promise<void>) {
    const before = await t().countItems();
    await run();
    expect(await t().countItems()).toBe(before);
    expect(await t().db.store.getUser(user.user.userId)).toEqual(user.user);
    expect(await t().db.store.getEvent(event.eventId)).toEqual(event);
  }

  const send = (route: { method: string; path: string }, call: Call) =>
    t().request(route.method, route.path, { token: user.token, ...call });

  it("every server-owned field in every body → 400 validation_failed naming it; nothing written", async () => {
    await nothingWritten(async () => {
      for (const route of bodyRoutes) {
        const fields = Object.entries(SERVER_OWNED);
        const replies = await Promise.all(
          fields.map(([field, value]) => send(route, { json: { ...route.valid, [field]: value } })),
        );
        for (const [i, reply] of replies.entries()) {
          const field = fields[i]?.[0];
          expectError(reply, 400, "validation_failed");
          const paths = reply.body.error.details.map((detail: { path: string }) => detail.path);
          expect(paths, `${route.method} ${route.path} ${field}`).toContain(`body.${field}`);
        }
      }
    });
  });

  it("unusable bodies → their 4xx on every body route; nothing written", async () => {
    await nothingWritten(async () => {
      for (const route of bodyRoutes) {
        const label = `${route.method} ${route.path}`;
        const cases: Array<[string, Call, number, string]> = [
          ["malformed JSON", { raw: '{"name":', contentType: "application/json" }, 400, "invalid_json"],
          ["trailing garbage", { raw: "{} x", contentType: "application/json" }, 400, "invalid_json"],
          ["an array", { json: [] }, 400, "validation_failed"],
          ["null", { json: null }, 400, "validation_failed"],
          ["a string", { json: "name" }, 400, "validation_failed"],
          ["a number", { json: 42 }, 400, "validation_failed"],
          ["an unknown field", { json: { ...route.valid, nickname: "x" } }, 400, "validation_failed"],
          [
            "__proto__",
            {
              raw: JSON.stringify(route.valid).replace(/^\{/, '{"__proto__":{"admin":true},').replace(",}", "}"),
              contentType: "application/json",
            },
            400,
            "validation_failed",
          ],
          ["no content type", { raw: JSON.stringify(route.valid), contentType: null }, 415, "unsupported_media_type"],
          [
            "text/plain",
            { raw: JSON.stringify(route.valid), contentType: "text/plain" },
            415,
            "unsupported_media_type",
          ],
          [
            "a form",
            { raw: "name=x", contentType: "application/x-www-form-urlencoded" },
            415,
            "unsupported_media_type",
          ],
          [
            "multipart",
            { raw: "--b--", contentType: "multipart/form-data; boundary=b" },
            415,
            "unsupported_media_type",
          ],
          ["application/jsonx", { raw: "{}", contentType: "application/jsonx" }, 415, "unsupported_media_type"],
          ["a+b+json", { json: route.valid, contentType: "application/a+b+json" }, 415, "unsupported_media_type"],
          ["a dangling ;", { json: route.valid, contentType: "application/json;" }, 415, "unsupported_media_type"],
          [
            "a parameter without value",
            { json: route.valid, contentType: "application/json; v" },
            415,
            "unsupported_media_type",
          ],
          [
            "two media types",
            { json: route.valid, contentType: "application/json, text/plain" },
            415,
            "unsupported_media_type",
          ],
          ["over 16 KiB", { json: { ...route.valid, pad: "x".repeat(BIG) } }, 413, "payload_too_large"],
          [
            "over 16 KiB with a lying Content-Length",
            { json: { ...route.valid, pad: "x".repeat(BIG) }, headers: { "Content-Length": "20" } },
            413,
            "payload_too_large",
          ],
          [
            "over 16 KiB, streamed without Content-Length",
            { raw: stream(`{"pad":"${"x".repeat(BIG)}"}`), contentType: "application/json" },
            413,
            "payload_too_large",
          ],
          [
            "over 16 KiB of whitespace around a valid body",
            { raw: `${" ".repeat(BIG)}${JSON.stringify(route.valid)}`, contentType: "application/json" },
            413,
            "payload_too_large",
          ],
        ];
        if (!route.path.endsWith("/registrations")) {
          cases.push(["an empty body", { raw: "", contentType: "application/json" }, 400, "invalid_json"]);
        }
        const replies = await Promise.all(cases.map(([, call]) => send(route, call)));
        for (const [i, reply] of replies.entries()) {
          const [what, , status, code] = cases[i] as (typeof cases)[number];
          expect(reply.status, `${label} with ${what}: ${reply.text}`).toBe(status);
          expectError(reply, status, code);
        }
      }
    });
  });

  it("DELETE routes take no body but {}: anything else is its 4xx and deletes nothing", async () => {
    const attendee = await t().signUp();
    await t().register(attendee.token, event.eventId);
    const routes = [
      { path: `/events/${event.eventId}`, token: user.token },
      { path: `/events/${event.eventId}/registrations/${attendee.user.userId}`, token: attendee.token },
    ];
    const registered = { ...event, registeredCount: 1 };
    const before = await t().countItems();
    for (const { path, token } of routes) {
      const cases: Array<[Call, number, string]> = [
        [{ raw: "{}", contentType: "text/plain" }, 415, "unsupported_media_type"],
        [{ raw: "x", contentType: null }, 415, "unsupported_media_type"],
        [{ json: { pad: "x".repeat(BIG) } }, 413, "payload_too_large"],
        [{ raw: "{", contentType: "application/json" }, 400, "invalid_json"],
        [{ json: { force: true } }, 400, "validation_failed"],
        [{ json: [] }, 400, "validation_failed"],
      ];
      for (const [call, status, code] of cases) {
        const reply = await t().del(path, { token, ...call });
        expect(reply.status, `DELETE ${path}: ${reply.text}`).toBe(status);
        expectError(reply, status, code);
      }
    }
    expect(await t().countItems()).toBe(before);
    expect(await t().db.store.getEvent(event.eventId)).toEqual(registered);
    // `{}` is fine: cancel the registration with it (the event fixture stays).
    const cancel = routes[1] as (typeof routes)[0];
    expect((await t().del(cancel.path, { token: cancel.token, json: {} })).status).toBe(204);
    expect(await t().db.store.getEvent(event.eventId)).toEqual(event);
  });

  it("a malformed Idempotency-Key on the POST routes → 400 validation_failed; nothing written", async () => {
    await nothingWritten(async () => {
      for (const route of bodyRoutes.filter((r) => r.method === "POST")) {
        for (const key of ["k".repeat(37), "two words", "semi;colon", "\u00e9t\u00e9", ""]) {
          const reply = await send(route, { json: route.valid, headers: { "Idempotency-Key": key } });
          expect(reply.status, `${route.path} with key ${JSON.stringify(key)}: ${reply.text}`).toBe(400);
          expectError(reply, 400, "validation_failed");
        }
      }
    });
  });

  it("a body of exactly 16 KiB is accepted", async () => {
    const base = JSON.stringify({ name: "Exactly 16 KiB", date: "2031-01-01", capacity: 1 });
    const raw = `${base}${" ".repeat(16 * 1024 - base.length)}`;
    expect(Buffer.byteLength(raw)).toBe(16 * 1024);
    const reply = await t().post("/events", { token: user.token, raw, contentType: "application/json" });
    expect(reply.status, reply.text).toBe(201);
    await t().del(`/events/${reply.body.eventId}`, { token: user.token });
  });

  it("content types: application/json with parameters or any case is fine", async () => {
    for (const contentType of [
      "application/json; charset=utf-8",
      "Application/JSON",
      "application/json;charset=UTF-8",
    ]) {
      const reply = await t().patch(`/users/${user.user.userId}`, {
        token: user.token,
        json: { name: "Valid User" },
        contentType,
      });
      expect(reply.status, contentType).toBe(200);
    }
    // Restore the fixture's timestamps for the read-back checks.
    user.user = await t().db.store.getUser(user.user.userId);
  });

  describe("field values", () => {
    const badEvents: Array<[string, string]> = [
      ["whitespace-only name", '"name":"   ","date":"2031-01-01","capacity":1'],
      ["empty name", '"name":"","date":"2031-01-01","capacity":1'],
      ["201-char name", `"name":"${"n".repeat(201)}","date":"2031-01-01","capacity":1`],
      ["NUL in name", '"name":"a\\u0000b","date":"2031-01-01","capacity":1'],
      ["U+202E in name", '"name":"a\\u202eb","date":"2031-01-01","capacity":1'],
      ["U+2066 in venue", '"name":"a","venue":"x\\u2066y","date":"2031-01-01","capacity":1'],
      ["C1 control in name", '"name":"a\\u0085b","date":"2031-01-01","capacity":1'],
      ["line break in name", '"name":"a\\nb","date":"2031-01-01","capacity":1'],
      ["tab in venue", '"name":"a","venue":"x\\ty","date":"2031-01-01","capacity":1'],
      ["lone high surrogate", '"name":"a\\ud800b","date":"2031-01-01","capacity":1'],
      ["lone low surrogate", '"name":"\\udc00","date":"2031-01-01","capacity":1'],
      ["NUL in description", '"name":"a","description":"x\\u0000","date":"2031-01-01","capacity":1'],
      ["2001-char description", `"name":"a","description":"${"d".repeat(2001)}","date":"2031-01-01","capacity":1`],
      ["201-char venue", `"name":"a","venue":"${"v".repeat(201)}","date":"2031-01-01","capacity":1`],
      ["name as a number", '"name":5,"date":"2031-01-01","capacity":1'],
      ["name null", '"name":null,"date":"2031-01-01","capacity":1'],
      ["capacity as a string", '"name":"a","date":"2031-01-01","capacity":"10"'],
      ["fractional capacity", '"name":"a","date":"2031-01-01","capacity":1.5'],
      ["negative capacity", '"name":"a","date":"2031-01-01","capacity":-1'],
      ["zero capacity", '"name":"a","date":"2031-01-01","capacity":0'],
      ["capacity 100001", '"name":"a","date":"2031-01-01","capacity":100001'],
      ["capacity 1e308", '"name":"a","date":"2031-01-01","capacity":1e308'],
      ["capacity 1e309", '"name":"a","date":"2031-01-01","capacity":1e309'],
      ["capacity 2^53+1", '"name":"a","date":"2031-01-01","capacity":9007199254740993'],
      ["capacity true", '"name":"a","date":"2031-01-01","capacity":true'],
      ["missing capacity", '"name":"a","date":"2031-01-01"'],
      ["missing date", '"name":"a","capacity":1'],
      ["impossible date", '"name":"a","date":"2031-02-30","capacity":1'],
      ["February 29 of a common year", '"name":"a","date":"2031-02-29","capacity":1'],
      ["month 13", '"name":"a","date":"2031-13-01","capacity":1'],
      ["unpadded date", '"name":"a","date":"2031-2-3","capacity":1'],
      ["slashed date", '"name":"a","date":"2031/02/03","capacity":1'],
      ["day-first date", '"name":"a","date":"03-02-2031","capacity":1'],
      ["date-time", '"name":"a","date":"2031-02-03T00:00:00Z","capacity":1'],
      ["date as a number", '"name":"a","date":20310203,"capacity":1'],
      ["date before 1970", '"name":"a","date":"1969-12-31","capacity":1'],
      ["date after 9999", '"name":"a","date":"10000-01-01","capacity":1'],
      ["duplicate keys, the last invalid", '"name":"a","date":"2031-01-01","capacity":1,"capacity":0'],
    ];

    it("POST /events rejects each with 400 validation_failed; nothing written", async () => {
      await nothingWritten(async () => {
        const replies = await Promise.all(
          badEvents.map(([, fields]) =>
            t().post("/events", { token: user.token, raw: withRaw(fields), contentType: "application/json" }),
          ),
        );
        for (const [i, reply] of replies.entries()) {
          expect(reply.status, `${badEvents[i]?.[0]}: ${reply.text}`).toBe(400);
          expectError(reply, 400, "validation_failed");
        }
      });
    });

    it("PATCH /events rejects each changed field the same way, and {} or nulls; nothing written", async () => {
      const patches = [
        "{}",
        '{"name":"   "}',
        '{"name":null}',
        '{"description":null}',
        '{"venue":"\\u202e"}',
        '{"capacity":"5"}',
        '{"capacity":2.5}',
        '{"capacity":9007199254740993}',
        '{"date":"2031-02-30"}',
        '{"date":""}',
        '{"name":"\\ud800"}',
      ];
      await nothingWritten(async () => {
        for (const raw of patches) {
          const reply = await t().patch(`/events/${event.eventId}`, {
            token: user.token,
            raw,
            contentType: "application/json",
          });
          expect(reply.status, `${raw}: ${reply.text}`).toBe(400);
          expectError(reply, 400, "validation_failed");
        }
      });
    });

    it("users: names, emails and PATCH {} → 400 validation_failed; nothing written", async () => {
      const signUps = [
        '{"name":"   ","email":"a@example.com"}',
        `{"name":"${"n".repeat(101)}","email":"a@example.com"}`,
        '{"name":"a\\u0000","email":"a@example.com"}',
        '{"name":"\\udfff","email":"a@example.com"}',
        '{"name":"a"}',
        '{"email":"a@example.com"}',
        '{"name":"a","email":"not-an-email"}',
        '{"name":"a","email":"a@b"}',
        '{"name":"a","email":"a b@example.com"}',
        '{"name":"a","email":"a@example.com\\u202e"}',
        `{"name":"a","email":"${"a".repeat(64)}@${"d".repeat(186)}.com"}`,
        '{"name":"a","email":"   "}',
        '{"name":"a","email":5}',
      ];
      await nothingWritten(async () => {
        for (const raw of signUps) {
          const reply = await t().post("/users", { raw, contentType: "application/json" });
          expect(reply.status, `${raw}: ${reply.text}`).toBe(400);
          expectError(reply, 400, "validation_failed");
        }
        for (const raw of ["{}", '{"name":""}', '{"email":"x"}', '{"name":null}']) {
          const reply = await t().patch(`/users/${user.user.userId}`, {
            token: user.token,
            raw,
            contentType: "application/json",
          });
          expect(reply.status, `${raw}: ${reply.text}`).toBe(400);
          expectError(reply, 400, "validation_failed");
        }
      });
    });

    it("boundary values are accepted: 100-char user name, 200-char event name, capacity 100000, leap day", async () => {
      const reply = await t().post("/users", { json: { name: "n".repeat(100), email: uniqueEmail() } });
      expect(reply.status).toBe(201);
      const created = await t().createEvent(reply.body.token, {
        name: "e".repeat(200),
        description: "d".repeat(2000),
        venue: "v".repeat(200),
        capacity: 100000,
        date: "2032-02-29",
      });
      expect(created).toMatchObject({ capacity: 100000, date: "2032-02-29" });
      expect(created.name).toHaveLength(200);
    });
  });

  describe("path ids", () => {
    const badIds = [
      ["a lower-case ULID", MISSING.toLowerCase()],
      ["a non-ULID", "abc"],
      ["27 characters", `${MISSING}A`],
      ["25 characters", MISSING.slice(1)],
      ["an out-of-range first character", `8${MISSING.slice(1)}`],
      ["a Crockford-excluded letter", `${MISSING.slice(0, 25)}U`],
      ["an encoded #", `${MISSING.slice(0, 25)}%23`],
      ["a $", `${MISSING.slice(0, 25)}$`],
      ["an encoded key separator", encodeURIComponent(`${KEYS.user}${MISSING}`)],
      ["an encoded space", `${MISSING.slice(0, 25)}%20`],
    ];

    it.each(badIds)("%s → 400 validation_failed on every route, before any database call or auth", async (_, id) => {
      const good = event.eventId;
      const routes: Array<[string, string, Call]> = [
        ["GET", `/users/${id}`, {}],
        ["PATCH", `/users/${id}`, { json: { name: "x" } }],
        ["GET", `/users/${id}/events`, {}],
        ["GET", `/users/${id}/registrations`, {}],
        ["GET", `/events/${id}`, {}],
        ["PATCH", `/events/${id}`, { json: { name: "x" } }],
        ["DELETE", `/events/${id}`, {}],
        ["POST", `/events/${id}/registrations`, {}],
        ["GET", `/events/${id}/registrations`, {}],
        ["DELETE", `/events/${id}/registrations/${MISSING}`, {}],
        ["DELETE", `/events/${good}/registrations/${id}`, {}],
      ];
      for (const [method, path, call] of routes) {
        // Without a token, and with a garbage one: the path id answers first either way.
        for (const headers of [{}, { Authorization: "Bearer garbage" }] as Array<Record<string, string>>) {
          const reply = await t().request(method, path, { ...call, headers });
          expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(400);
          expectError(reply, 400, "validation_failed");
          expect(reply.headers.get("x-db-requests"), `${method} ${path}`).toBe("0");
        }
      }
    });
  });

  describe("check order: the earlier check answers", () => {
    const expectReply = (reply: Reply, status: number, code: string, what: string) => {
      expect(reply.status, `${what}: ${reply.text}`).toBe(status);
      expectError(reply, status, code);
    };

    it("unknown route (404) before a bad path id, auth or body", async () => {
      expectReply(
        await t().get("/nope", { headers: { Authorization: "Bearer garbage" } }),
        404,
        "not_found",
        "GET /nope",
      );
      expectReply(await t().request("PUT", "/users/abc", { json: [] }), 404, "not_found", "PUT /users/abc");
      expectReply(
        await t().request("DELETE", `/users/${user.user.userId}`, { headers: { Authorization: "garbage" } }),
        404,
        "not_found",
        "DELETE /users/{id}",
      );
      expectReply(
        await t().get("/docs/nope.js", { headers: { Authorization: "garbage" } }),
        404,
        "not_found",
        "GET /docs/nope.js",
      );
    });

    it("authentication (401) before body size, content type, JSON syntax and fields", async () => {
      const big = { json: { name: "x".repeat(BIG), date: "2031-01-01", capacity: 1 } };
      expectReply(await t().post("/events", big), 401, "unauthorized", "no token + oversize");
      expectReply(
        await t().post("/events", { raw: "{", contentType: "text/plain" }),
        401,
        "unauthorized",
        "no token + type",
      );
      expectReply(
        await t().patch(`/events/${event.eventId}`, { token: "x.y.z", raw: "{", contentType: "application/json" }),
        401,
        "unauthorized",
        "bad token + malformed JSON",
      );
      expectReply(
        await t().post("/users", { headers: { Authorization: "Bearer x" }, json: { name: "" } }),
        401,
        "unauthorized",
        "bad token + invalid sign-up",
      );
    });

    it("body size (413) before content type (415) before JSON syntax (400) before fields (400)", async () => {
      const oversize = `{"name":"${"x".repeat(BIG)}"`;
      expectReply(
        await t().post("/events", { token: user.token, raw: oversize, contentType: "text/plain" }),
        413,
        "payload_too_large",
        "oversize + wrong type + malformed",
      );
      expectReply(
        await t().post("/users", { raw: oversize, contentType: null }),
        413,
        "payload_too_large",
        "oversize + no type",
      );
      expectReply(
        await t().post("/events", { token: user.token, raw: "{", contentType: "text/plain" }),
        415,
        "unsupported_media_type",
        "wrong type + malformed",
      );
      expectReply(
        await t().patch(`/events/${event.eventId}`, {
          token: user.token,
          raw: '{"capacity":0',
          contentType: "application/json",
        }),
        400,
        "invalid_json",
        "malformed + invalid field",
      );
    });

    it("fields and query (400) before existence (404) and permission (403)", async () => {
      expectReply(
        await t().patch(`/events/${MISSING}`, { token: user.token, json: { capacity: -1 } }),
        400,
        "validation_failed",
        "invalid field on a missing event",
      );
      expectReply(
        await t().patch(`/events/${event.eventId}`, { token: other.token, json: {} }),
        400,
        "validation_failed",
        "{} by a non-organizer",
      );
      expectReply(
        await t().patch(`/users/${user.user.userId}`, { token: other.token, json: { email: "bad" } }),
        400,
        "validation_failed",
        "invalid email on someone else's profile",
      );
      expectReply(
        await t().patch(`/users/${MISSING}`, { token: other.token, json: { userId: MISSING } }),
        400,
        "validation_failed",
        "server-owned field on a missing user",
      );
      expectReply(
        await t().get(`/users/${MISSING}/events?limit=0`),
        400,
        "validation_failed",
        "limit on a missing user",
      );
      expectReply(
        await t().get(`/events/${MISSING}/registrations?cursor=garbage`),
        400,
        "invalid_cursor",
        "cursor on a missing event",
      );
      expectReply(
        await t().get(`/users/${user.user.userId}/registrations?foo=1`, { token: other.token }),
        400,
        "validation_failed",
        "unknown parameter on someone else's list",
      );
      expectReply(
        await t().get(`/users/${user.user.userId}/registrations?cursor=garbage`, { token: other.token }),
        400,
        "invalid_cursor",
        "garbage cursor on someone else's list",
      );
      expectReply(
        await t().get(`/users/${MISSING}/registrations?cursor=garbage`, { token: other.token }),
        400,
        "invalid_cursor",
        "garbage cursor on a missing user's list",
      );
      expectReply(
        await t().post(`/events/${MISSING}/registrations`, { token: user.token, json: { seats: 2 } }),
        400,
        "validation_failed",
        "unknown field on a missing event",
      );
    });
  });
});

function stream(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 4096));
      offset += 4096;
    },
  });
}
