import { describe, expect, it } from "vitest";
import { DESIGNS } from "../support/database.js";
import { expectError, useTestApp } from "../support/http.js";

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

describe.each(DESIGNS)("registrations over HTTP (%s design)", (design) => {
  const t = useTestApp(design, "http-regs");

  describe("POST /events/{eventId}/registrations", () => {
    it("201 with the registration and Location; the seat is taken; the version does not change", async () => {
      const organizer = await t().signUp();
      const attendee = await t().signUp({ name: "Attendee One" });
      const event = await t().createEvent(organizer.token, { name: "Gig", date: "2031-05-05", venue: "Club" });
      const reply = await t().post(`/events/${event.eventId}/registrations`, { token: attendee.token });
      expect(reply.status, reply.text).toBe(201);
      expect(reply.body).toEqual({
        eventId: event.eventId,
        userId: attendee.user.userId,
        registeredAt: expect.stringMatching(TIMESTAMP),
        user: { name: "Attendee One" },
        event: { name: "Gig", date: "2031-05-05", venue: "Club" },
      });
      expect(reply.headers.get("location")).toBe(`/events/${event.eventId}/registrations/${attendee.user.userId}`);
      const after = await t().get(`/events/${event.eventId}`);
      expect(after.body).toMatchObject({ registeredCount: 1, version: 1, updatedAt: event.updatedAt });
      expect(after.headers.get("etag")).toBe('"1"');
      const list = await t().get(`/events/${event.eventId}/registrations`);
      expect(list.body).toEqual({ items: [reply.body], cursor: null });
      const mine = await t().get(`/users/${attendee.user.userId}/registrations`, { token: attendee.token });
      expect(mine.body).toEqual({ items: [reply.body], cursor: null });
    });

    it("the summary has no venue when the event has none", async () => {
      const organizer = await t().signUp();
      const event = await t().createEvent(organizer.token);
      const registration = await t().register(organizer.token, event.eventId);
      expect(registration.event).toEqual({ name: event.name, date: event.date });
    });

    it("accepts no body, an empty body or {} (as JSON); anything else in the body is a 4xx and writes nothing", async () => {
      const organizer = await t().signUp();
      const event = await t().createEvent(organizer.token, { capacity: 10 });
      const path = `/events/${event.eventId}/registrations`;
      const users = await Promise.all([t().signUp(), t().signUp(), t().signUp(), t().signUp()]);
      const [a, b, c, d] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0], (typeof users)[0]];
      expect((await t().post(path, { token: a.token })).status).toBe(201);
      expect((await t().post(path, { token: b.token, raw: "", contentType: "application/json" })).status).toBe(201);
      expect((await t().post(path, { token: c.token, json: {} })).status).toBe(201);

      const before = await t().countItems();
      expectError(await t().post(path, { token: d.token, json: { userId: a.user.userId } }), 400, "validation_failed");
      expectError(await t().post(path, { token: d.token, json: [] }), 400, "validation_failed");
      expectError(await t().post(path, { token: d.token, json: null }), 400, "validation_failed");
      expectError(
        await t().post(path, { token: d.token, raw: "{", contentType: "application/json" }),
        400,
        "invalid_json",
      );
      expectError(
        await t().post(path, { token: d.token, raw: "{}", contentType: "text/plain" }),
        415,
        "unsupported_media_type",
      );
      expectError(
        await t().post(path, { token: d.token, raw: "{}", contentType: null }),
        415,
        "unsupported_media_type",
      );
      expect(await t().countItems()).toBe(before);
      expect((await t().get(`/events/${event.eventId}`)).body.registeredCount).toBe(3);
    });

    it("409 already_registered the second time; 409 event_full past capacity; nothing written", async () => {
      const organizer = await t().signUp();
      const event = await t().createEvent(organizer.token, { capacity: 2 });
      const [a, b, c] = await Promise.all([t().signUp(), t().signUp(), t().signUp()]);
      await t().register(a.token, event.eventId);
      let before = await t().countItems();
      expectError(
        await t().post(`/events/${event.eventId}/registrations`, { token: a.token }),
        409,
        "already_registered",
      );
      expect(await t().countItems()).toBe(before);
      await t().register(b.token, event.eventId);
      before = await t().countItems();
      expectError(await t().post(`/events/${event.eventId}/registrations`, { token: c.token }), 409, "event_full");
      expect(await t().countItems()).toBe(before);
      expect((await t().get(`/events/${event.eventId}`)).body.registeredCount).toBe(2);
    });

    it("never oversells under concurrent requests", async () => {
      const organizer = await t().signUp();
      const event = await t().createEvent(organizer.token, { capacity: 3 });
      const attendees = await Promise.all(Array.from({ length: 8 }, () => t().signUp()));
      const replies = await Promise.all(
        attendees.map((attendee) => t().post(`/events/${event.eventId}/registrations`, { token: attendee.token })),
      );
      const statuses = replies.map((reply) => reply.status).sort();
      expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
      for (const reply of replies.filter((r) => r.status === 409)) expectError(reply, 409, "event_full");
      expect((await t().get(`/events/${event.eventId}`)).body.registeredCount).toBe(3);
      expect((await t().get(`/events/${event.eventId}/registrations`)).body.items).toHaveLength(3);
    });

    it("404 not_found for an unknown event; nothing written", async () => {
      const { token } = await t().signUp();
      const before = await t().countItems();
      expectError(await t().post(`/events/${MISSING}/registrations`, { token }), 404, "not_found");
      expect(await t().countItems()).toBe(before);
    });
  });

  describe("DELETE /events/{eventId}/registrations/{userId}", () => {
    it("the attendee cancels: 204, the seat is freed and can be taken again", async () => {
      const organizer = await t().signUp();
      const event = await t().createEvent(organizer.token, { capacity: 1 });
      const [a, b] = await Promise.all([t().signUp(), t().signUp()]);
      await t().register(a.token, event.eventId);
      expectError(await t().post(`/events/${event.eventId}/registrations`, { token: b.token }), 409, "event_full");
      const reply = await t().del(`/events/${event.eventId}/registrations/${a.user.userId}`, { token: a.token });
      expect(reply.status).toBe(204);
      expect(reply.text).toBe("");
      expect((await t().get(`/events/${event.eventId}`)).body).toMatchObject({ registeredCount: 0, version: 1 });
      expect((await t().get(`/events/${event.eventId}/registrations`)).body).toEqual({ items: [], cursor: null });
      await t().register(b.token, event.eventId);
      expectError(
        await t().del(`/events/${event.eventId}/registrations/${a.user.userId}`, { token: a.token }),
        404,
        "not_found",
      );
    });

    it("the organizer can cancel someone's registration", async () => {
      const organizer = await t().signUp();
      const attendee = await t().signUp();
      const event = await t().createEvent(organizer.token);
      await t().register(attendee.token, event.eventId);
      const reply = await t().del(`/events/${event.eventId}/registrations/${attendee.user.userId}`, {
        token: organizer.token,
      });
      expect(reply.status).toBe(204);
      expect((await t().get(`/events/${event.eventId}`)).body.registeredCount).toBe(0);
    });

    it("404 for an unknown event or a registration that does not exist", async () => {
      const organizer = await t().signUp();
      const event = await t().createEvent(organizer.token);
      const before = await t().countItems();
      expectError(
        await t().del(`/events/${MISSING}/registrations/${organizer.user.userId}`, { token: organizer.token }),
        404,
        "not_found",
      );
      expectError(
        await t().del(`/events/${event.eventId}/registrations/${organizer.user.userId}`, { token: organizer.token }),
        404,
        "not_found",
      );
      expectError(
        await t().del(`/events/${event.eventId}/registrations/${MISSING}`, { token: organizer.token }),
        404,
        "not_found",
      );
      expect(await t().countItems()).toBe(before);
      expect((await t().get(`/events/${event.eventId}`)).body.registeredCount).toBe(0);
    });
  });
});
