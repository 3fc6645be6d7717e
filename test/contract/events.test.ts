import {
  CapacityConflictError,
  CreateEventInput,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  ULID_PATTERN,
  UpdateEventInput,
} from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { GRID } from "../support/database.js";
import { ISO_MS, MISSING_ID, makeEvent, makeUser, makeUsers, rejection, useDatabase } from "../support/fixtures.js";
import { countItems } from "../support/items.js";

const patch = (changes: Record<string, unknown>) => UpdateEventInput.parse(changes);
const times = (event: { createdAt: string; updatedAt: string }) => ({
  createdAt: event.createdAt,
  updatedAt: event.updatedAt,
});

describe.each(GRID)("events (AP5, AP6, AP10, AP11) — %s", ({ design, copies }) => {
  const db = useDatabase(design, "events", copies);
  const store = () => db().store;

  describe("AP5 createEvent / AP6 getEvent", () => {
    it("creates an event owned by the caller, with count 0 and version 1, and reads it back", async () => {
      const organizer = await makeUser(store());
      const input = CreateEventInput.parse({
        name: " Kick-off ",
        date: "2026-09-01",
        capacity: 25,
        description: "line one\nline two",
        venue: "Hall #1 $",
      });
      const event = await store().createEvent(organizer.userId, input);
      expect(event).toEqual({
        eventId: expect.stringMatching(ULID_PATTERN),
        organizerId: organizer.userId,
        name: "Kick-off",
        description: "line one\nline two",
        venue: "Hall #1 $",
        date: "2026-09-01",
        capacity: 25,
        registeredCount: 0,
        version: 1,
        createdAt: expect.stringMatching(ISO_MS),
        updatedAt: event.createdAt,
      });
      expect(await store().getEvent(event.eventId)).toEqual(event);
    });

    it("leaves optional fields absent (not empty, not undefined) when not given or empty", async () => {
      const organizer = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId);
      const blank = await makeEvent(store(), organizer.userId, { description: "  ", venue: "" });
      expect(await store().getEvent(blank.eventId)).toEqual({ ...event, eventId: blank.eventId, ...times(blank) });
      const stored = await store().getEvent(event.eventId);
      expect(Object.keys(stored).sort()).toEqual(
        [
          "capacity",
          "createdAt",
          "date",
          "eventId",
          "name",
          "organizerId",
          "registeredCount",
          "updatedAt",
          "version",
        ].sort(),
      );
    });

    it("AP6: an unknown event is not_found", async () => {
      const error = await rejection(store().getEvent(MISSING_ID));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ code: "not_found", resource: "event" });
    });
  });

  describe("AP10 updateEvent", () => {
    it("changes fields, bumps version by one and moves updatedAt", async () => {
      const organizer = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId, { venue: "Old hall" });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const updated = await store().updateEvent(
        event.eventId,
        organizer.userId,
        patch({ name: "Renamed", description: "Now with a description", capacity: 50 }),
        event.version,
      );
      expect(updated).toEqual({
        ...event,
        name: "Renamed",
        description: "Now with a description",
        capacity: 50,
        version: 2,
        updatedAt: expect.stringMatching(ISO_MS),
      });
      expect(updated.updatedAt > event.updatedAt).toBe(true);
      expect(await store().getEvent(event.eventId)).toEqual(updated);
      // Without If-Match the update applies to whatever version is current.
      const again = await store().updateEvent(event.eventId, organizer.userId, patch({ venue: "New hall" }));
      expect(again).toMatchObject({ venue: "New hall", version: 3 });
    });

    it("an empty venue or description removes it", async () => {
      const organizer = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId, { venue: "Somewhere", description: "Something" });
      const updated = await store().updateEvent(event.eventId, organizer.userId, patch({ venue: "", description: "" }));
      expect(updated).not.toHaveProperty("venue");
      expect(updated).not.toHaveProperty("description");
      expect(await store().getEvent(event.eventId)).toEqual(updated);
    });

    it("a stale If-Match is precondition_failed with the current version, and changes nothing", async () => {
      const organizer = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId);
      const current = await store().updateEvent(event.eventId, organizer.userId, patch({ name: "v2" }), 1);
      for (const stale of [1, 3, 0]) {
        const error = await rejection(
          store().updateEvent(event.eventId, organizer.userId, patch({ name: "lost update" }), stale),
        );
        expect(error).toBeInstanceOf(PreconditionFailedError);
        expect(error).toMatchObject({ code: "precondition_failed", currentVersion: 2 });
      }
      expect(await store().getEvent(event.eventId)).toEqual(current);
    });

    it("capacity never below registeredCount: capacity_conflict changes nothing; equal is allowed", async () => {
      const organizer = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId, { capacity: 5 });
      for (const user of await makeUsers(store(), 3)) await store().register(event.eventId, user.userId);
      const before = await store().getEvent(event.eventId);
      const error = await rejection(
        store().updateEvent(event.eventId, organizer.userId, patch({ capacity: 2, name: "Shrunk" }), before.version),
      );
      expect(error).toBeInstanceOf(CapacityConflictError);
      expect(error).toMatchObject({ code: "capacity_conflict", registeredCount: 3 });
      expect(await store().getEvent(event.eventId)).toEqual(before);
      const shrunk = await store().updateEvent(event.eventId, organizer.userId, patch({ capacity: 3 }), before.version);
      expect(shrunk).toMatchObject({ capacity: 3, registeredCount: 3, version: before.version + 1 });
    });

    it("organizer only: anyone else is forbidden (even with the right version) and nothing changes", async () => {
      const organizer = await makeUser(store());
      const other = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId);
      for (const version of [event.version, undefined, 99]) {
        const error = await rejection(
          store().updateEvent(event.eventId, other.userId, patch({ name: "Mine" }), version),
        );
        expect(error).toBeInstanceOf(ForbiddenError);
      }
      expect(await store().getEvent(event.eventId)).toEqual(event);
    });

    it("an unknown event is not_found, whoever asks and whatever the version", async () => {
      const actor = await makeUser(store());
      const before = await countItems(db());
      for (const version of [undefined, 1]) {
        const error = await rejection(store().updateEvent(MISSING_ID, actor.userId, patch({ name: "Ghost" }), version));
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error).toMatchObject({ resource: "event" });
      }
      expect(await countItems(db())).toBe(before);
    });

    it("moves the event between date lists when its date changes (AP7, AP8)", async () => {
      const organizer = await makeUser(store());
      const early = await makeEvent(store(), organizer.userId, { date: "2032-03-10" });
      const moving = await makeEvent(store(), organizer.userId, { date: "2032-03-05" });
      const moved = await store().updateEvent(moving.eventId, organizer.userId, patch({ date: "2033-01-20" }));
      expect(moved).toMatchObject({ date: "2033-01-20", version: 2 });
      const march = await store().listEventsByDate({ from: "2032-03-01", to: "2032-03-31" }, { limit: 100 });
      expect(march.items.map((e) => e.eventId)).toEqual([early.eventId]);
      const january = await store().listEventsByDate({ from: "2033-01-01", to: "2033-01-31" }, { limit: 100 });
      expect(january.items).toEqual([moved]);
      const organized = await store().listEventsByOrganizer(organizer.userId, { limit: 100 });
      expect(organized.items.map((e) => e.eventId)).toEqual([early.eventId, moving.eventId]);
      expect(organized.items[1]).toEqual(moved);
    });
  });

  describe("AP11 deleteEvent", () => {
    it("removes the event and every registration: no list shows it, no item is left behind", async () => {
      const organizer = await makeUser(store());
      const attendees = await makeUsers(store(), 30);
      const keep = await makeEvent(store(), organizer.userId, { date: "2034-05-02", capacity: 50 });
      await store().register(keep.eventId, attendees[0].userId);
      const before = await countItems(db());
      const doomed = await makeEvent(store(), organizer.userId, { date: "2034-05-01", capacity: 50 });
      await Promise.all(attendees.map((user) => store().register(doomed.eventId, user.userId)));
      expect((await store().getEvent(doomed.eventId)).registeredCount).toBe(30);

      await store().deleteEvent(doomed.eventId, organizer.userId);

      expect(await rejection(store().getEvent(doomed.eventId))).toBeInstanceOf(NotFoundError);
      expect(await rejection(store().listRegistrations(doomed.eventId, { limit: 10 }))).toBeInstanceOf(NotFoundError);
      expect(await rejection(store().getEventWithAttendees(doomed.eventId, { limit: 10 }))).toBeInstanceOf(
        NotFoundError,
      );
      const mine = await store().listUserRegistrations(attendees[0].userId, { limit: 100 });
      expect(mine.items.map((r) => r.eventId)).toEqual([keep.eventId]);
      const byDate = await store().listEventsByDate({ from: "2034-05-01", to: "2034-05-31" }, { limit: 100 });
      expect(byDate.items.map((e) => e.eventId)).toEqual([keep.eventId]);
      const organized = await store().listEventsByOrganizer(organizer.userId, { limit: 100 });
      expect(organized.items.map((e) => e.eventId)).toEqual([keep.eventId]);
      expect(await countItems(db())).toBe(before);

      // Its registrations are gone, not just hidden: nothing to cancel, nothing to register for.
      const error = await rejection(store().cancelRegistration(doomed.eventId, attendees[1].userId, organizer.userId));
      expect(error).toBeInstanceOf(NotFoundError);
      const again = await rejection(store().register(doomed.eventId, attendees[1].userId));
      expect(again).toMatchObject({ code: "not_found", resource: "event" });
      // Other events keep their own count.
      expect((await store().getEvent(keep.eventId)).registeredCount).toBe(1);
    });

    it("organizer only: an attendee or stranger is forbidden, and the event and its registrations stay", async () => {
      const organizer = await makeUser(store());
      const attendee = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId);
      const registration = await store().register(event.eventId, attendee.userId);
      const before = await countItems(db());
      const stranger = await makeUser(store());
      const afterStranger = await countItems(db());
      for (const actor of [attendee, stranger]) {
        expect(await rejection(store().deleteEvent(event.eventId, actor.userId))).toBeInstanceOf(ForbiddenError);
      }
      expect(await countItems(db())).toBe(afterStranger);
      expect(afterStranger).toBeGreaterThan(before);
      expect(await store().getEvent(event.eventId)).toEqual({ ...event, registeredCount: 1 });
      expect((await store().listRegistrations(event.eventId, { limit: 10 })).items).toEqual([registration]);
    });

    it("an unknown (or already deleted) event is not_found", async () => {
      const organizer = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId);
      await store().deleteEvent(event.eventId, organizer.userId);
      for (const eventId of [event.eventId, MISSING_ID]) {
        const error = await rejection(store().deleteEvent(eventId, organizer.userId));
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error).toMatchObject({ resource: "event" });
      }
    });
  });
});
