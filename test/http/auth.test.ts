import { createHmac } from "node:crypto";
import type { Event } from "@tablelab/core";
import { sign } from "hono/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { DESIGNS } from "../support/database.js";
import {
  type Call,
  expectError,
  handMadeToken,
  type SignedUp,
  TEST_JWT_SECRET,
  uniqueEmail,
  useTestApp,
} from "../support/http.js";

const MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
const now = () => Math.floor(Date.now() / 1000);

function hs256(header: object, payload: object, secret = TEST_JWT_SECRET): string {
  const unsigned = handMadeToken(header, payload).slice(0, -1);
  const signature = createHmac("sha256", secret).update(unsigned).digest("base64url");
  return `${unsigned}.${signature}`;
}

describe.each(DESIGNS)("authentication and permissions over HTTP (%s design)", (design) => {
  const t = useTestApp(design, "http-auth");
  let owner: SignedUp;
  let attendee: SignedUp;
  let stranger: SignedUp;
  let event: Event;

  beforeAll(async () => {
    [owner, attendee, stranger] = await Promise.all([
      t().signUp({ name: "Owner" }),
      t().signUp({ name: "Attendee" }),
      t().signUp({ name: "Stranger" }),
    ]);
    event = await t().createEvent(owner.token, { name: "Owned", capacity: 5, date: "2031-10-10" });
    await t().register(attendee.token, event.eventId);
  });

  /** Authorization header values that must all be 401 unauthorized. */
  async function hostileHeaders(): Promise<Array<[string, string]>> {
    const sub = owner.user.userId;
    const exp = now() + 3600;
    const valid = await sign({ sub, exp }, TEST_JWT_SECRET, "HS256");
    const [header, payload, signature] = valid.split(".") as [string, string, string];
    return [
      ["garbage", "garbage"],
      ["Bearer garbage", "Bearer garbage"],
      ["Bearer with no token", "Bearer "],
      ["Bearer only", "Bearer"],
      ["a token without the Bearer scheme", valid],
      ["the Basic scheme", `Basic ${Buffer.from("a:b").toString("base64")}`],
      ["two tokens", `Bearer ${valid} ${valid}`],
      ["alg none", `Bearer ${handMadeToken({ alg: "none", typ: "JWT" }, { sub, exp })}`],
      [
        "alg none with the valid signature",
        `Bearer ${handMadeToken({ alg: "none", typ: "JWT" }, { sub, exp }, signature)}`,
      ],
      ["HS512 with the right secret", `Bearer ${await sign({ sub, exp }, TEST_JWT_SECRET, "HS512")}`],
      ["HS256 with a wrong secret", `Bearer ${await sign({ sub, exp }, "not-the-secret", "HS256")}`],
      ["expired", `Bearer ${await sign({ sub, exp: now() - 60 }, TEST_JWT_SECRET, "HS256")}`],
      ["without exp", `Bearer ${await sign({ sub }, TEST_JWT_SECRET, "HS256")}`],
      ["exp as a string", `Bearer ${hs256({ alg: "HS256", typ: "JWT" }, { sub, exp: String(exp) })}`],
      ["without sub", `Bearer ${await sign({ exp }, TEST_JWT_SECRET, "HS256")}`],
      ["sub as a number", `Bearer ${hs256({ alg: "HS256", typ: "JWT" }, { sub: 42, exp })}`],
      [
        "a payload swapped under a valid signature",
        `Bearer ${header}.${Buffer.from(JSON.stringify({ sub: stranger.user.userId, exp })).toString("base64url")}.${signature}`,
      ],
      ["a truncated signature", `Bearer ${valid.slice(0, -4)}`],
      ["no signature", `Bearer ${header}.${payload}.`],
    ];
  }

  it("every hostile Authorization header is 401 on every route, public or not, and writes nothing", async () => {
    const e = event.eventId;
    const routes: Array<[string, string, Call]> = [
      ["GET", "/events", {}],
      ["GET", `/events/${e}`, {}],
      ["GET", `/events/${e}?include=attendees`, {}],
      ["GET", `/events/${e}/registrations`, {}],
      ["GET", `/users/${owner.user.userId}`, {}],
      ["GET", `/users/${owner.user.userId}/events`, {}],
      ["GET", `/users/${owner.user.userId}/registrations`, {}],
      ["POST", "/users", { json: { name: "Sneaky", email: uniqueEmail() } }],
      ["PATCH", `/users/${owner.user.userId}`, { json: { name: "Hacked" } }],
      ["POST", "/events", { json: { name: "Hacked", date: "2031-01-01", capacity: 1 } }],
      ["PATCH", `/events/${e}`, { json: { name: "Hacked" } }],
      ["DELETE", `/events/${e}`, {}],
      ["POST", `/events/${e}/registrations`, {}],
      ["DELETE", `/events/${e}/registrations/${attendee.user.userId}`, {}],
      ["GET", "/health", {}],
      ["GET", "/openapi.json", {}],
      ["GET", "/docs", {}],
      ["GET", "/docs/swagger-ui.css", {}],
    ];
    const before = await t().countItems();
    const headers = await hostileHeaders();
    for (const [method, path, call] of routes) {
      // No database call happens before authentication fails, so the headers of one route go out at once.
      const replies = await Promise.all(
        headers.map(([, authorization]) =>
          t().request(method, path, { ...call, headers: { Authorization: authorization } }),
        ),
      );
      for (const [i, reply] of replies.entries()) {
        expect(reply.status, `${method} ${path} with ${headers[i]?.[0]}: ${reply.text}`).toBe(401);
        expectError(reply, 401, "unauthorized");
      }
    }
    expect(await t().countItems()).toBe(before);
    expect((await t().get(`/events/${e}`)).body).toEqual({ ...event, registeredCount: 1 });
    expect(await t().db.store.getUser(owner.user.userId)).toEqual(owner.user);
  });

  it("no token: 401 on every write and on the self-only list; public reads answer", async () => {
    const e = event.eventId;
    const before = await t().countItems();
    for (const [method, path, call] of [
      ["PATCH", `/users/${owner.user.userId}`, { json: { name: "x" } }],
      ["POST", "/events", { json: { name: "x", date: "2031-01-01", capacity: 1 } }],
      ["PATCH", `/events/${e}`, { json: { name: "x" } }],
      ["DELETE", `/events/${e}`, {}],
      ["POST", `/events/${e}/registrations`, {}],
      ["DELETE", `/events/${e}/registrations/${attendee.user.userId}`, {}],
      ["GET", `/users/${attendee.user.userId}/registrations`, {}],
    ] as Array<[string, string, Call]>) {
      expectError(await t().request(method, path, call), 401, "unauthorized");
    }
    expect(await t().countItems()).toBe(before);
    for (const path of ["/events", `/events/${e}`, `/events/${e}/registrations`, `/users/${owner.user.userId}`]) {
      expect((await t().get(path)).status, path).toBe(200);
    }
  });

  it("a valid token for a user that does not exist: 401 on writes, reads still answer", async () => {
    const ghost = await t().token(MISSING);
    const before = await t().countItems();
    expectError(
      await t().post("/events", { token: ghost, json: { name: "Ghost", date: "2031-01-01", capacity: 1 } }),
      401,
      "unauthorized",
    );
    expectError(await t().post(`/events/${event.eventId}/registrations`, { token: ghost }), 401, "unauthorized");
    expectError(
      await t().patch(`/events/${event.eventId}`, { token: ghost, json: { name: "x" } }),
      401,
      "unauthorized",
    );
    expectError(await t().del(`/events/${event.eventId}`, { token: ghost }), 401, "unauthorized");
    expectError(await t().patch(`/users/${MISSING}`, { token: ghost, json: { name: "x" } }), 401, "unauthorized");
    expect(await t().countItems()).toBe(before);
    expect((await t().get(`/events/${event.eventId}`, { token: ghost })).status).toBe(200);
  });

  it("the token POST /users returns works for writes at once; the scheme is case-insensitive", async () => {
    const fresh = await t().signUp();
    const created = await t().createEvent(fresh.token);
    expect(created.organizerId).toBe(fresh.user.userId);
    const self = await t().get(`/users/${fresh.user.userId}`, { headers: { Authorization: `bearer ${fresh.token}` } });
    expect(self.status).toBe(200);
    expect(self.body.email).toBe(fresh.user.email);
  });

  describe("permissions: 403 forbidden and nothing changes", () => {
    it("PATCH and DELETE of someone else's event", async () => {
      const path = `/events/${event.eventId}`;
      const before = (await t().get(path)).body;
      const items = await t().countItems();
      expectError(await t().patch(path, { token: stranger.token, json: { name: "Mine now" } }), 403, "forbidden");
      expectError(await t().patch(path, { token: attendee.token, json: { capacity: 100 } }), 403, "forbidden");
      expectError(await t().del(path, { token: stranger.token }), 403, "forbidden");
      expect((await t().get(path)).body).toEqual(before);
      expect(await t().countItems()).toBe(items);
      expect((await t().get(`${path}/registrations`)).body.items).toHaveLength(1);
    });

    it("permission is checked before state: a stranger's stale If-Match or too-small capacity is 403", async () => {
      const path = `/events/${event.eventId}`;
      expectError(
        await t().patch(path, { token: stranger.token, json: { name: "x" }, headers: { "If-Match": '"99"' } }),
        403,
        "forbidden",
      );
      expectError(await t().patch(path, { token: stranger.token, json: { capacity: 0 + 1 } }), 403, "forbidden");
    });

    it("existence is checked before permission: 404 for a missing event, user or registration", async () => {
      expectError(
        await t().patch(`/events/${MISSING}`, { token: stranger.token, json: { name: "x" } }),
        404,
        "not_found",
      );
      expectError(await t().del(`/events/${MISSING}`, { token: stranger.token }), 404, "not_found");
      expectError(
        await t().patch(`/users/${MISSING}`, { token: stranger.token, json: { name: "x" } }),
        404,
        "not_found",
      );
      expectError(await t().get(`/users/${MISSING}/registrations`, { token: stranger.token }), 404, "not_found");
      expectError(
        await t().del(`/events/${event.eventId}/registrations/${stranger.user.userId}`, { token: stranger.token }),
        404,
        "not_found",
      );
    });

    it("DELETE of someone else's registration by a third party", async () => {
      const path = `/events/${event.eventId}/registrations/${attendee.user.userId}`;
      const items = await t().countItems();
      expectError(await t().del(path, { token: stranger.token }), 403, "forbidden");
      expect(await t().countItems()).toBe(items);
      expect((await t().get(`/events/${event.eventId}`)).body.registeredCount).toBe(1);
      const list = await t().get(`/events/${event.eventId}/registrations`);
      expect(list.body.items.map((r: { userId: string }) => r.userId)).toEqual([attendee.user.userId]);
    });

    it("PATCH of someone else's profile", async () => {
      const reply = await t().patch(`/users/${owner.user.userId}`, {
        token: stranger.token,
        json: { name: "Taken over", email: uniqueEmail() },
      });
      expectError(reply, 403, "forbidden");
      expect(await t().db.store.getUser(owner.user.userId)).toEqual(owner.user);
    });

    it("GET of someone else's registrations list", async () => {
      expectError(
        await t().get(`/users/${attendee.user.userId}/registrations`, { token: stranger.token }),
        403,
        "forbidden",
      );
      expectError(
        await t().get(`/users/${attendee.user.userId}/registrations`, { token: owner.token }),
        403,
        "forbidden",
      );
      const own = await t().get(`/users/${attendee.user.userId}/registrations`, { token: attendee.token });
      expect(own.status).toBe(200);
      expect(own.body.items).toHaveLength(1);
    });
  });
});
