import type { Event } from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { DESIGNS } from "../support/database.js";
import { expectError, followPages, useTestApp } from "../support/http.js";

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
const EVENT_KEYS = [
  "capacity",
  "createdAt",
  "date",
  "eventId",
  "name",
  "organizerId",
  "registeredCount",
  "updatedAt",
  "version",
];

describe.each(DESIGNS)("events over HTTP (%s design)", (design) => {
  const t = useTestApp(design, "http-events");

  describe("POST /events", () => {
    it("201 with the event, Location and ETag; the caller is the organizer; optional fields absent", async () => {
      const { user, token } = await t().signUp();
      const reply = await t().post("/events", {
        token,
        json: { name: "  Meetup ", date: "2031-02-28", capacity: 3, description: "", venue: "" },
      });
      expect(reply.status).toBe(201);
      const event = reply.body;
      expect(Object.keys(event).sort()).toEqual(EVENT_KEYS);
      expect(event).toMatchObject({
        organizerId: user.userId,
        name: "Meetup",
        date: "2031-02-28",
        capacity: 3,
        registeredCount: 0,
        version: 1,
      });
      expect(event.eventId).toMatch(ULID);
      expect(event.createdAt).toMatch(TIMESTAMP);
      expect(event.updatedAt).toBe(event.createdAt);
      expect(reply.headers.get("location")).toBe(`/events/${event.eventId}`);
      expect(reply.headers.get("etag")).toBe('"1"');
      const read = await t().get(reply.headers.get("location") as string);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(event);
      expect(read.headers.get("etag")).toBe('"1"');
    });

    it("keeps description (with line breaks) and venue when given", async () => {
      const { token } = await t().signUp();
      const event = await t().createEvent(token, { description: "Line one\nLine two", venue: "Hall 1" });
      expect(event.description).toBe("Line one\nLine two");
      expect(event.venue).toBe("Hall 1");
      expect((await t().get(`/events/${event.eventId}`)).body).toEqual(event);
    });
  });

  describe("GET /events/{eventId}", () => {
    it("404 not_found for an unknown event (with and without include)", async () => {
      expectError(await t().get(`/events/${MISSING}`), 404, "not_found");
      expectError(await t().get(`/events/${MISSING}?include=attendees`), 404, "not_found");
    });

    it("?include=attendees adds the first page of registrations; its cursor continues on the list route", async () => {
      const organizer = await t().signUp();
      const event = await t().createEvent(organizer.token, { capacity: 10 });
      const attendees = [];
      for (let i = 0; i < 5; i++) attendees.push(await t().signUp({ name: `Attendee ${i}` }));
      for (const attendee of attendees) await t().register(attendee.token, event.eventId);

      const first = await t().get(`/events/${event.eventId}?include=attendees&limit=2`);
      expect(first.status).toBe(200);
      expect(first.headers.get("etag")).toBe('"1"');
      expect(Object.keys(first.body).sort()).toEqual([...EVENT_KEYS, "attendees"].sort());
      expect(first.body.registeredCount).toBe(5);
      expect(first.body.attendees.items.length).toBeLessThanOrEqual(2);
      const rest = await followPages(
        t(),
        `/events/${event.eventId}/registrations?limit=2`,
        {},
        first.body.attendees.cursor,
      );
      const userIds = [...first.body.attendees.items, ...rest.items].map((r: { userId: string }) => r.userId);
      expect(userIds).toEqual(attendees.map((a) => a.user.userId).sort());

      const whole = await t().get(`/events/${event.eventId}?include=attendees`);
      expect(whole.body.attendees.cursor).toBeNull();
      expect(whole.body.attendees.items).toHaveLength(5);
    });

    it("`limit` without include, other includes and unknown parameters → 400 validation_failed", async () => {
      const { token } = await t().signUp();
      const event = await t().createEvent(token);
      for (const query of ["limit=5", "include=events", "include=attendees&cursor=x", "x=1"]) {
        expectError(await t().get(`/events/${event.eventId}?${query}`), 400, "validation_failed");
      }
    });
  });

  describe("PATCH /events/{eventId}", () => {
    it("changes fields, bumps version and ETag; an empty description or venue removes it", async () => {
      const { token } = await t().signUp();
      const event = await t().createEvent(token, { description: "Old", venue: "Old hall" });
      const reply = await t().patch(`/events/${event.eventId}`, {
        token,
        json: { name: "Renamed", description: "", venue: "", capacity: 20, date: "2031-07-01" },
      });
      expect(reply.status, reply.text).toBe(200);
      expect(Object.keys(reply.body).sort()).toEqual(EVENT_KEYS);
      expect(reply.body).toMatchObject({ name: "Renamed", capacity: 20, date: "2031-07-01", version: 2 });
      expect(reply.body.createdAt).toBe(event.createdAt);
      expect(reply.headers.get("etag")).toBe('"2"');
      expect((await t().get(`/events/${event.eventId}`)).body).toEqual(reply.body);
      // The date moved: the by-date list finds it on its new date only.
      const old = await followPages<Event>(t(), "/events?from=2031-06-15&to=2031-06-15");
      expect(old.items.map((e: { eventId: string }) => e.eventId)).not.toContain(event.eventId);
      const moved = await followPages<Event>(t(), "/events?from=2031-07-01&to=2031-07-01");
      expect(moved.items.map((e: { eventId: string }) => e.eventId)).toContain(event.eventId);
    });

    it("If-Match: current → 200 and a new ETag; stale → 412 and nothing changes; * → allowed", async () => {
      const { token } = await t().signUp();
      const event = await t().createEvent(token);
      const path = `/events/${event.eventId}`;
      const ok = await t().patch(path, { token, json: { name: "v2" }, headers: { "If-Match": '"1"' } });
      expect(ok.status).toBe(200);
      expect(ok.body.version).toBe(2);
      expect(ok.headers.get("etag")).toBe('"2"');

      for (const stale of ['"1"', '"3"', 'W/"2"', "garbage"]) {
        const reply = await t().patch(path, { token, json: { name: "stale" }, headers: { "If-Match": stale } });
        expectError(reply, 412, "precondition_failed");
      }
      expect((await t().get(path)).body).toEqual(ok.body);

      const any = await t().patch(path, { token, json: { venue: "Anywhere" }, headers: { "If-Match": "*" } });
      expect(any.status).toBe(200);
      expect(any.body.version).toBe(3);
      const none = await t().patch(path, { token, json: { venue: "Elsewhere" } });
      expect(none.body.version).toBe(4);
      expect(none.headers.get("etag")).toBe('"4"');
    });

    it("409 capacity_conflict below registeredCount; registrations do not change version", async () => {
      const organizer = await t().signUp();
      const event = await t().createEvent(organizer.token, { capacity: 5 });
      const a = await t().signUp();
      const b = await t().signUp();
      await t().register(a.token, event.eventId);
      await t().register(b.token, event.eventId);
      const after = await t().get(`/events/${event.eventId}`);
      expect(after.body).toMatchObject({ registeredCount: 2, version: 1 });
      expect(after.headers.get("etag")).toBe('"1"');

      const reply = await t().patch(`/events/${event.eventId}`, { token: organizer.token, json: { capacity: 1 } });
      expectError(reply, 409, "capacity_conflict");
      expect((await t().get(`/events/${event.eventId}`)).body).toEqual(after.body);
      const exact = await t().patch(`/events/${event.eventId}`, { token: organizer.token, json: { capacity: 2 } });
      expect(exact.status).toBe(200);
      expect(exact.body).toMatchObject({ capacity: 2, registeredCount: 2, version: 2 });
    });

    it("a change of name, date or venue shows in the registration summaries", async () => {
      const organizer = await t().signUp();
      const attendee = await t().signUp();
      const event = await t().createEvent(organizer.token, { venue: "Hall A", date: "2031-08-08" });
      await t().register(attendee.token, event.eventId);
      await t().patch(`/events/${event.eventId}`, {
        token: organizer.token,
        json: { name: "New title", date: "2031-08-09", venue: "" },
      });
      const mine = await t().get(`/users/${attendee.user.userId}/registrations`, { token: attendee.token });
      expect(mine.body.items).toHaveLength(1);
      expect(mine.body.items[0].event).toEqual({ name: "New title", date: "2031-08-09" });
    });

    it("404 for an unknown event, before the body's state", async () => {
      const { token } = await t().signUp();
      expectError(await t().patch(`/events/${MISSING}`, { token, json: { name: "x" } }), 404, "not_found");
      expectError(
        await t().patch(`/events/${MISSING}`, { token, json: { capacity: 1 }, headers: { "If-Match": '"7"' } }),
        404,
        "not_found",
      );
    });
  });

  describe("DELETE /events/{eventId}", () => {
    it("204, removes the event and all its registrations; no list shows it; a second delete is 404", async () => {
      const organizer = await t().signUp();
      const attendee = await t().signUp();
      const event = await t().createEvent(organizer.token, { date: "2031-09-09" });
      await t().register(attendee.token, event.eventId);
      const before = await t().countItems();

      const reply = await t().del(`/events/${event.eventId}`, { token: organizer.token });
      expect(reply.status).toBe(204);
      expect(reply.text).toBe("");
      expect(await t().countItems()).toBeLessThanOrEqual(before - 2);

      expectError(await t().get(`/events/${event.eventId}`), 404, "not_found");
      expectError(await t().get(`/events/${event.eventId}/registrations`), 404, "not_found");
      const byDate = await followPages(t(), "/events?from=2031-09-09&to=2031-09-09");
      expect(byDate.items).toEqual([]);
      const organized = await followPages(t(), `/users/${organizer.user.userId}/events`);
      expect(organized.items).toEqual([]);
      const mine = await followPages(t(), `/users/${attendee.user.userId}/registrations`, { token: attendee.token });
      expect(mine.items).toEqual([]);
      expectError(await t().del(`/events/${event.eventId}`, { token: organizer.token }), 404, "not_found");
    });
  });
});
