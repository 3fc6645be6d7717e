import { describe, expect, it } from "vitest";
import { DESIGNS } from "../support/database.js";
import { expectError, followPages, uniqueEmail, useTestApp } from "../support/http.js";

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

describe.each(DESIGNS)("users over HTTP (%s design)", (design) => {
  const t = useTestApp(design, "http-users");

  describe("POST /users", () => {
    it("201 { user, token }: the user with its own email, normalized; the token works", async () => {
      const before = await t().countItems();
      const reply = await t().post("/users", { json: { name: "  Grace Hopper ", email: " Grace@EXAMPLE.com " } });
      expect(reply.status).toBe(201);
      expect(Object.keys(reply.body).sort()).toEqual(["token", "user"]);
      const { user, token } = reply.body;
      expect(Object.keys(user).sort()).toEqual(["createdAt", "email", "name", "updatedAt", "userId"]);
      expect(user).toMatchObject({ name: "Grace Hopper", email: "grace@example.com" });
      expect(user.userId).toMatch(ULID);
      expect(user.createdAt).toMatch(TIMESTAMP);
      expect(user.updatedAt).toBe(user.createdAt);
      expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(await t().countItems()).toBeGreaterThan(before);

      const self = await t().get(`/users/${user.userId}`, { token });
      expect(self.status).toBe(200);
      expect(self.body).toEqual(user);
      expect(await t().db.store.getUser(user.userId)).toEqual(user);
    });

    it("stores emails NFC-normalized and lower-cased: two spellings are one address (409 email_taken)", async () => {
      const local = `jos\u00e9-${Date.now()}`;
      const first = await t().post("/users", { json: { name: "José", email: `${local}@Example.com` } });
      expect(first.status).toBe(201);
      expect(first.body.user.email).toBe(`${local}@example.com`);
      const before = await t().countItems();
      const decomposed = `${local.replace("\u00e9", "e\u0301").toUpperCase()}@EXAMPLE.COM`;
      const second = await t().post("/users", { json: { name: "Other", email: decomposed } });
      expectError(second, 409, "email_taken");
      expect(await t().countItems()).toBe(before);
    });

    it("accepts Unicode (RFC 6531) addresses", async () => {
      const reply = await t().post("/users", {
        json: { name: "Uni", email: `\u7528\u6237${Date.now()}@\u4f8b\u5b50.\u5e7f\u544a` },
      });
      expect(reply.status).toBe(201);
    });
  });

  describe("GET /users/{userId}", () => {
    it("hides email from anonymous callers and other users, shows it to the user themself", async () => {
      const ada = await t().signUp({ name: "Ada" });
      const bob = await t().signUp({ name: "Bob" });
      const path = `/users/${ada.user.userId}`;
      const anonymous = await t().get(path);
      expect(anonymous.status).toBe(200);
      expect(Object.keys(anonymous.body).sort()).toEqual(["createdAt", "name", "updatedAt", "userId"]);
      const other = await t().get(path, { token: bob.token });
      expect(other.body).toEqual(anonymous.body);
      const self = await t().get(path, { token: ada.token });
      expect(self.body).toEqual({ ...anonymous.body, email: ada.user.email });
    });

    it("404 not_found for a user that does not exist", async () => {
      expectError(await t().get(`/users/${MISSING}`), 404, "not_found");
      expectError(await t().get(`/users/${MISSING}?include=events`), 404, "not_found");
    });

    it("?include=events adds the first page of organized events; its cursor continues on /users/{id}/events", async () => {
      const { user, token } = await t().signUp({ name: "Organizer" });
      const dates = ["2032-03-05", "2032-01-01", "2032-02-10", "2032-01-01", "2032-12-31"];
      const created = [];
      for (const [i, date] of dates.entries()) created.push(await t().createEvent(token, { name: `E${i}`, date }));
      const expected = [...created].sort((a, b) => a.date.localeCompare(b.date) || a.eventId.localeCompare(b.eventId));

      const first = await t().get(`/users/${user.userId}?include=events&limit=2`);
      expect(first.status).toBe(200);
      expect(Object.keys(first.body).sort()).toEqual(["createdAt", "events", "name", "updatedAt", "userId"]);
      expect(first.body.events.items.length).toBeLessThanOrEqual(2);
      expect(first.body.events.cursor).toEqual(expect.any(String));
      const rest = await followPages(t(), `/users/${user.userId}/events?limit=2`, {}, first.body.events.cursor);
      expect([...first.body.events.items, ...rest.items]).toEqual(expected);

      const self = await t().get(`/users/${user.userId}?include=events`, { token });
      expect(self.body.email).toBe(user.email);
      expect(self.body.events).toEqual({ items: expected, cursor: null });

      const none = await t().signUp();
      const empty = await t().get(`/users/${none.user.userId}?include=events`);
      expect(empty.body.events).toEqual({ items: [], cursor: null });
    });

    it("`limit` without include, an unknown include or an unknown parameter → 400 validation_failed", async () => {
      const { user } = await t().signUp();
      for (const query of ["limit=5", "include=attendees", "include=", "include=events&cursor=abc", "foo=1"]) {
        expectError(await t().get(`/users/${user.userId}?${query}`), 400, "validation_failed");
      }
    });
  });

  describe("PATCH /users/{userId}", () => {
    it("changes name and email, returns the user with its email, and the change is stored", async () => {
      const { user, token } = await t().signUp({ name: "Before" });
      const newEmail = uniqueEmail("after").toUpperCase();
      const reply = await t().patch(`/users/${user.userId}`, { token, json: { name: " After ", email: newEmail } });
      expect(reply.status).toBe(200);
      expect(Object.keys(reply.body).sort()).toEqual(["createdAt", "email", "name", "updatedAt", "userId"]);
      expect(reply.body).toMatchObject({ userId: user.userId, name: "After", email: newEmail.toLowerCase() });
      expect(reply.body.createdAt).toBe(user.createdAt);
      expect(reply.body.updatedAt >= user.updatedAt).toBe(true);
      expect(await t().db.store.getUser(user.userId)).toEqual(reply.body);
      // The old address is free again; the new one is taken.
      expect((await t().post("/users", { json: { name: "Reuse", email: user.email } })).status).toBe(201);
      expectError(await t().post("/users", { json: { name: "Dup", email: newEmail } }), 409, "email_taken");
    });

    it("409 email_taken when the new email belongs to someone else; nothing changes", async () => {
      const ada = await t().signUp();
      const bob = await t().signUp();
      const reply = await t().patch(`/users/${bob.user.userId}`, {
        token: bob.token,
        json: { name: "Changed", email: ada.user.email.toUpperCase() },
      });
      expectError(reply, 409, "email_taken");
      expect(await t().db.store.getUser(bob.user.userId)).toEqual(bob.user);
    });

    it("setting one's own current email (another spelling) is fine", async () => {
      const { user, token } = await t().signUp();
      const reply = await t().patch(`/users/${user.userId}`, { token, json: { email: user.email.toUpperCase() } });
      expect(reply.status).toBe(200);
      expect(reply.body.email).toBe(user.email);
    });

    it("ignores If-Match (users have no version)", async () => {
      const { user, token } = await t().signUp();
      for (const ifMatch of ['"999"', "garbage", "*"]) {
        const reply = await t().patch(`/users/${user.userId}`, {
          token,
          json: { name: `Name ${ifMatch}` },
          headers: { "If-Match": ifMatch },
        });
        expect(reply.status, reply.text).toBe(200);
        expect(reply.headers.get("etag")).toBeNull();
      }
    });

    it("a rename shows in the registration summaries before the response", async () => {
      const organizer = await t().signUp();
      const attendee = await t().signUp({ name: "Old Name" });
      const event = await t().createEvent(organizer.token, { date: "2033-04-04" });
      await t().register(attendee.token, event.eventId);
      const renamed = await t().patch(`/users/${attendee.user.userId}`, {
        token: attendee.token,
        json: { name: "New Name" },
      });
      expect(renamed.status).toBe(200);
      const list = await t().get(`/events/${event.eventId}/registrations`);
      expect(list.body.items.map((r: { user: { name: string } }) => r.user.name)).toEqual(["New Name"]);
      const mine = await t().get(`/users/${attendee.user.userId}/registrations`, { token: attendee.token });
      expect(mine.body.items[0].user).toEqual({ name: "New Name" });
    });
  });
});
