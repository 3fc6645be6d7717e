import {
  AlreadyRegisteredError,
  type Event,
  EventFullError,
  ForbiddenError,
  KEYS,
  NotFoundError,
  type Registration,
  UpdateEventInput,
} from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { eventually } from "../support/convergence.js";
import { GRID } from "../support/database.js";
import {
  ascending,
  byDateThenId,
  collectPages,
  ISO_MS,
  MISSING_ID,
  makeEvent,
  makeUser,
  makeUsers,
  rejection,
  useDatabase,
} from "../support/fixtures.js";
import { countItems } from "../support/items.js";

const LIMITS = [1, 4, 7, 2, 100, 3] as const;

describe.each(GRID)("registrations (AP12–AP16) — %s", ({ design, copies }) => {
  const db = useDatabase(design, "registrations", copies);
  const store = () => db().store;

  /** The event, its registrations (AP14) and the user's registrations (AP16), as the store reports them. */
  async function snapshot(event: Event, userIds: string[]) {
    return {
      event: await store().getEvent(event.eventId),
      attendees: (await collectPages((page) => store().listRegistrations(event.eventId, page))).items,
      perUser: await Promise.all(
        userIds.map(
          async (userId) => (await collectPages((page) => store().listUserRegistrations(userId, page))).items,
        ),
      ),
      items: await countItems(db()),
    };
  }

  describe("AP12 register", () => {
    it("registers with the current names and event summary, and takes a seat", async () => {
      const organizer = await makeUser(store());
      const attendee = await makeUser(store(), { name: "Ada #1 $x" });
      const event = await makeEvent(store(), organizer.userId, {
        name: `Gala ${KEYS.eventItem}#`,
        venue: "Hall",
        date: "2027-05-04",
      });
      const registration = await store().register(event.eventId, attendee.userId);
      expect(registration).toEqual({
        eventId: event.eventId,
        userId: attendee.userId,
        registeredAt: expect.stringMatching(ISO_MS),
        user: { name: "Ada #1 $x" },
        event: { name: `Gala ${KEYS.eventItem}#`, date: "2027-05-04", venue: "Hall" },
      });
      expect(await store().getEvent(event.eventId)).toEqual({ ...event, registeredCount: 1 });
      expect((await store().listRegistrations(event.eventId, { limit: 10 })).items).toEqual([registration]);
      expect((await store().listUserRegistrations(attendee.userId, { limit: 10 })).items).toEqual([registration]);
    });

    it("an event without a venue gives a summary without one", async () => {
      const organizer = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId);
      const registration = await store().register(event.eventId, organizer.userId);
      expect(registration.event).toEqual({ name: event.name, date: event.date });
    });

    it("never twice: already_registered, and nothing changes", async () => {
      const organizer = await makeUser(store());
      const attendee = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId, { capacity: 3 });
      await store().register(event.eventId, attendee.userId);
      const before = await snapshot(event, [attendee.userId]);
      const error = await rejection(store().register(event.eventId, attendee.userId));
      expect(error).toBeInstanceOf(AlreadyRegisteredError);
      expect(error).toMatchObject({ code: "already_registered" });
      expect(await snapshot(event, [attendee.userId])).toEqual(before);
    });

    it("already_registered wins over event_full: the caller learns they hold a seat", async () => {
      const organizer = await makeUser(store());
      const attendee = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId, { capacity: 1 });
      await store().register(event.eventId, attendee.userId);
      expect(await rejection(store().register(event.eventId, attendee.userId))).toBeInstanceOf(AlreadyRegisteredError);
    });

    it("never past capacity: event_full, and nothing changes", async () => {
      const organizer = await makeUser(store());
      const [first, second, late] = await makeUsers(store(), 3);
      const event = await makeEvent(store(), organizer.userId, { capacity: 2 });
      await store().register(event.eventId, first.userId);
      await store().register(event.eventId, second.userId);
      const before = await snapshot(event, [late.userId]);
      const error = await rejection(store().register(event.eventId, late.userId));
      expect(error).toBeInstanceOf(EventFullError);
      expect(error).toMatchObject({ code: "event_full" });
      expect(await snapshot(event, [late.userId])).toEqual(before);
      expect(before.event.registeredCount).toBe(2);
    });

    it("an unknown event or user is not_found, and nothing is written", async () => {
      const organizer = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId);
      const before = await countItems(db());
      const noEvent = await rejection(store().register(MISSING_ID, organizer.userId));
      expect(noEvent).toBeInstanceOf(NotFoundError);
      expect(noEvent).toMatchObject({ resource: "event" });
      const noUser = await rejection(store().register(event.eventId, MISSING_ID));
      expect(noUser).toBeInstanceOf(NotFoundError);
      expect(noUser).toMatchObject({ resource: "user" });
      expect(await countItems(db())).toBe(before);
      expect((await store().getEvent(event.eventId)).registeredCount).toBe(0);
    });
  });

  describe("AP13 cancelRegistration", () => {
    it("the attendee cancels: the seat is freed, no list shows it, and they may register again", async () => {
      const organizer = await makeUser(store());
      const attendee = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId);
      const empty = await snapshot(event, [attendee.userId]);
      await store().register(event.eventId, attendee.userId);
      await store().cancelRegistration(event.eventId, attendee.userId, attendee.userId);
      expect(await snapshot(event, [attendee.userId])).toEqual(empty);
      await store().register(event.eventId, attendee.userId);
      expect((await store().getEvent(event.eventId)).registeredCount).toBe(1);
    });

    it("the organizer can cancel someone's registration", async () => {
      const organizer = await makeUser(store());
      const [a, b] = await makeUsers(store(), 2);
      const event = await makeEvent(store(), organizer.userId);
      await store().register(event.eventId, a.userId);
      const kept = await store().register(event.eventId, b.userId);
      await store().cancelRegistration(event.eventId, a.userId, organizer.userId);
      expect((await store().getEvent(event.eventId)).registeredCount).toBe(1);
      expect((await store().listRegistrations(event.eventId, { limit: 10 })).items).toEqual([kept]);
      expect((await store().listUserRegistrations(a.userId, { limit: 10 })).items).toEqual([]);
    });

    it("a third party (even another attendee) is forbidden, and nothing changes", async () => {
      const organizer = await makeUser(store());
      const [attendee, other, stranger] = await makeUsers(store(), 3);
      const event = await makeEvent(store(), organizer.userId);
      await store().register(event.eventId, attendee.userId);
      await store().register(event.eventId, other.userId);
      const before = await snapshot(event, [attendee.userId]);
      for (const actor of [other, stranger]) {
        const error = await rejection(store().cancelRegistration(event.eventId, attendee.userId, actor.userId));
        expect(error).toBeInstanceOf(ForbiddenError);
        expect(error).toMatchObject({ code: "forbidden" });
      }
      expect(await snapshot(event, [attendee.userId])).toEqual(before);
    });

    it("no such registration or event is not_found, and the count never goes down twice", async () => {
      const organizer = await makeUser(store());
      const [attendee, never] = await makeUsers(store(), 2);
      const event = await makeEvent(store(), organizer.userId);
      await store().register(event.eventId, organizer.userId);
      await store().register(event.eventId, attendee.userId);
      await store().cancelRegistration(event.eventId, attendee.userId, attendee.userId);
      const before = await snapshot(event, []);
      for (const [userId, actorId] of [
        [attendee.userId, attendee.userId],
        [never.userId, organizer.userId],
        [never.userId, never.userId],
      ]) {
        const error = await rejection(store().cancelRegistration(event.eventId, userId as string, actorId as string));
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error).toMatchObject({ resource: "registration" });
      }
      const noEvent = await rejection(store().cancelRegistration(MISSING_ID, organizer.userId, organizer.userId));
      expect(noEvent).toBeInstanceOf(NotFoundError);
      expect(await snapshot(event, [])).toEqual(before);
      expect(before.event.registeredCount).toBe(1);
    });

    it("cancelling frees the seat of a full event for someone else", async () => {
      const organizer = await makeUser(store());
      const [a, b, c] = await makeUsers(store(), 3);
      const event = await makeEvent(store(), organizer.userId, { capacity: 2 });
      await store().register(event.eventId, a.userId);
      await store().register(event.eventId, b.userId);
      expect(await rejection(store().register(event.eventId, c.userId))).toBeInstanceOf(EventFullError);
      await store().cancelRegistration(event.eventId, b.userId, b.userId);
      await store().register(event.eventId, c.userId);
      expect((await store().getEvent(event.eventId)).registeredCount).toBe(2);
      const listed = (await store().listRegistrations(event.eventId, { limit: 10 })).items.map((r) => r.userId);
      expect(listed).toEqual([a.userId, c.userId].sort(ascending));
      expect(await rejection(store().register(event.eventId, b.userId))).toBeInstanceOf(EventFullError);
    });
  });

  describe("AP14 listRegistrations / AP15 getEventWithAttendees", () => {
    it("pages through every registration exactly once, by userId, whatever the page sizes", async () => {
      const organizer = await makeUser(store());
      const users = await makeUsers(store(), 23);
      const event = await makeEvent(store(), organizer.userId, { capacity: 100 });
      await Promise.all(users.map((user) => store().register(event.eventId, user.userId)));
      const expected = users.map((user) => user.userId).sort(ascending);
      for (const limits of [LIMITS, [5], [23], [22, 1], [100]]) {
        const { items } = await collectPages((page) => store().listRegistrations(event.eventId, page), limits);
        expect(items.map((r) => r.userId)).toEqual(expected);
        expect(new Set(items.map((r) => r.user.name)).size).toBe(23);
        for (const item of items) expect(item.eventId).toBe(event.eventId);
      }
    });

    it("AP15: the event and the first page, whose cursor continues on AP14", async () => {
      const organizer = await makeUser(store());
      const users = await makeUsers(store(), 9);
      const event = await makeEvent(store(), organizer.userId, { capacity: 100 });
      for (const user of users) await store().register(event.eventId, user.userId);
      const expected = users.map((user) => user.userId).sort(ascending);

      const first = await store().getEventWithAttendees(event.eventId, { limit: 4 });
      expect(first.event).toEqual({ ...event, registeredCount: 9 });
      expect(first.attendees.items.map((r) => r.userId)).toEqual(expected.slice(0, 4));
      expect(first.attendees.cursor).toEqual(expect.any(String));
      const items = [...first.attendees.items];
      let cursor = first.attendees.cursor;
      while (cursor) {
        const page = await store().listRegistrations(event.eventId, { limit: 3, cursor });
        items.push(...page.items);
        cursor = page.cursor;
      }
      expect(items.map((r) => r.userId)).toEqual(expected);

      const all = await store().getEventWithAttendees(event.eventId, { limit: 100 });
      expect(all.attendees.items.map((r) => r.userId)).toEqual(expected);
      expect(all.attendees.cursor).toBeNull();
    });

    it("an event without registrations is one empty last page; an unknown event is not_found", async () => {
      const organizer = await makeUser(store());
      const event = await makeEvent(store(), organizer.userId);
      expect(await store().listRegistrations(event.eventId, { limit: 5 })).toEqual({ items: [], cursor: null });
      expect(await store().getEventWithAttendees(event.eventId, { limit: 5 })).toEqual({
        event,
        attendees: { items: [], cursor: null },
      });
      for (const read of [
        () => store().listRegistrations(MISSING_ID, { limit: 5 }),
        () => store().getEventWithAttendees(MISSING_ID, { limit: 5 }),
      ]) {
        const error = await rejection(read());
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error).toMatchObject({ resource: "event" });
      }
    });
  });

  describe("AP16 listUserRegistrations", () => {
    it("pages through every registration exactly once, by event date then eventId", async () => {
      const organizer = await makeUser(store());
      const attendee = await makeUser(store());
      const dates = ["2028-12-31", "2029-01-01", "2028-02-29", "2028-12-31", "2029-01-01", "2030-07-04"];
      const events: Event[] = [];
      for (let i = 0; i < 21; i++) {
        events.push(await makeEvent(store(), organizer.userId, { date: dates[i % dates.length], name: `E${i}` }));
      }
      await Promise.all(events.map((event) => store().register(event.eventId, attendee.userId)));
      const expected = [...events].sort(byDateThenId).map((event) => event.eventId);
      for (const limits of [LIMITS, [21], [20], [100]]) {
        const { items } = await collectPages((page) => store().listUserRegistrations(attendee.userId, page), limits);
        expect(items.map((r) => r.eventId)).toEqual(expected);
        for (const item of items) {
          const event = events.find((e) => e.eventId === item.eventId) as Event;
          expect(item).toMatchObject({ userId: attendee.userId, event: { name: event.name, date: event.date } });
        }
      }
    });

    it("returns every existing registration exactly once even while the user registers for more", async () => {
      const organizer = await makeUser(store());
      const attendee = await makeUser(store());
      const existing: Event[] = [];
      for (const date of ["2036-01-10", "2036-02-10", "2036-03-10", "2036-04-10", "2036-05-10", "2036-06-10"]) {
        existing.push(await makeEvent(store(), organizer.userId, { date }));
      }
      for (const event of existing) await store().register(event.eventId, attendee.userId);
      const later = ["2036-01-01", "2036-12-31", "2036-03-10", "2036-02-11"];
      let written = 0;
      const { items } = await collectPages(
        async (page) => {
          const result = await store().listUserRegistrations(attendee.userId, page);
          const date = later[written++];
          if (date) {
            const event = await makeEvent(store(), organizer.userId, { date });
            await store().register(event.eventId, attendee.userId);
          }
          return result;
        },
        [2],
      );
      const seen = items.map((registration) => registration.eventId);
      expect(new Set(seen).size).toBe(seen.length);
      for (const event of existing) expect(seen.filter((id) => id === event.eventId)).toHaveLength(1);
      const order = items.map((registration) => ({ date: registration.event.date, eventId: registration.eventId }));
      expect([...order].sort(byDateThenId)).toEqual(order);
    });

    it("a user without registrations gets one empty last page; an unknown user is not_found", async () => {
      const user = await makeUser(store());
      expect(await store().listUserRegistrations(user.userId, { limit: 5 })).toEqual({ items: [], cursor: null });
      const error = await rejection(store().listUserRegistrations(MISSING_ID, { limit: 5 }));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ resource: "user" });
    });

    it("keeps event copies current (stream: once converged): rename, venue and date changes show, and the order follows the new date", async () => {
      const organizer = await makeUser(store());
      const [attendee, other] = await makeUsers(store(), 2);
      const first = await makeEvent(store(), organizer.userId, { date: "2035-01-10", name: "First", venue: "Old" });
      const second = await makeEvent(store(), organizer.userId, { date: "2035-02-10", name: "Second" });
      for (const user of [attendee, other]) {
        await store().register(first.eventId, user.userId);
        await store().register(second.eventId, user.userId);
      }
      const order = async (userId: string) =>
        (await collectPages((page) => store().listUserRegistrations(userId, page), [1])).items;

      expect((await order(attendee.userId)).map((r) => r.event.name)).toEqual(["First", "Second"]);
      await store().updateEvent(
        first.eventId,
        organizer.userId,
        UpdateEventInput.parse({ name: "First, renamed", venue: "New $venue#", date: "2035-03-01" }),
      );
      await eventually(db(), async () => {
        for (const user of [attendee, other]) {
          const regs: Registration[] = await order(user.userId);
          expect(regs.map((r) => [r.eventId, r.event])).toEqual([
            [second.eventId, { name: "Second", date: "2035-02-10" }],
            [first.eventId, { name: "First, renamed", date: "2035-03-01", venue: "New $venue#" }],
          ]);
        }
        const attendees = await store().listRegistrations(first.eventId, { limit: 10 });
        for (const registration of attendees.items) {
          expect(registration.event).toEqual({ name: "First, renamed", date: "2035-03-01", venue: "New $venue#" });
        }
      });

      // Removing the venue removes it from the copies too; a capacity-only change leaves them alone.
      await store().updateEvent(first.eventId, organizer.userId, UpdateEventInput.parse({ venue: "" }));
      await store().updateEvent(first.eventId, organizer.userId, UpdateEventInput.parse({ capacity: 40 }));
      await eventually(db(), async () => {
        const after = await order(attendee.userId);
        expect(after[1]?.event).toEqual({ name: "First, renamed", date: "2035-03-01" });
      });

      // Moving it back before the other event moves it back in the list.
      await store().updateEvent(first.eventId, organizer.userId, UpdateEventInput.parse({ date: "2035-02-10" }));
      const expected = [first, second].map((e) => ({ ...e, date: "2035-02-10" })).sort(byDateThenId);
      await eventually(db(), async () => {
        expect((await order(attendee.userId)).map((r) => r.eventId)).toEqual(expected.map((e) => e.eventId));
      });
    });
  });
});
