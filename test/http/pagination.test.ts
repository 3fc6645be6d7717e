import type { Event } from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { DESIGNS } from "../support/database.js";
import { expectError, followPages, type Reply, type SignedUp, useTestApp } from "../support/http.js";

/** "Today" for this file's app: the default range of GET /events is 2034-05-20 … 2034-06-19. */
const NOW = new Date("2034-05-20T15:30:00.000Z");
const MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

const byDateThenId = (a: Event, b: Event) => a.date.localeCompare(b.date) || a.eventId.localeCompare(b.eventId);
const ids = (items: Array<{ eventId: string }>) => items.map((item) => item.eventId);

function tamper(cursor: string): string {
  const index = Math.floor(cursor.length / 3);
  const replacement = cursor[index] === "A" ? "B" : "A";
  return `${cursor.slice(0, index)}${replacement}${cursor.slice(index + 1)}`;
}

describe.each(DESIGNS)("pagination over HTTP (%s design)", (design) => {
  const t = useTestApp(design, "http-pages", { now: () => NOW });
  let organizer: SignedUp;
  let events: Event[];

  it("setup: events spread over months, some outside the default range", async () => {
    organizer = await t().signUp({ name: "Pager" });
    const dates = [
      "2034-05-19", // yesterday: outside the default range
      "2034-05-20", // today
      "2034-05-20",
      "2034-05-31",
      "2034-06-01",
      "2034-06-01",
      "2034-06-19", // today + 30: the last day of the default range
      "2034-06-20", // outside
      "2034-08-15", // after an empty July
      "2034-08-31",
    ];
    events = [];
    for (let i = 0; i < dates.length; i += 5) {
      const batch = dates.slice(i, i + 5);
      events.push(
        ...(await Promise.all(batch.map((date, j) => t().createEvent(organizer.token, { date, name: `P${i + j}` })))),
      );
    }
    events.sort(byDateThenId);
  });

  describe("GET /events", () => {
    it("defaults to today … today + 30 days (UTC); every item exactly once, in order, at any limit", async () => {
      const expected = events.filter((event) => event.date >= "2034-05-20" && event.date <= "2034-06-19");
      expect(expected).toHaveLength(6);
      for (const limit of [1, 2, 5, 100]) {
        const { items } = await followPages<Event>(t(), `/events?limit=${limit}`);
        expect(items, `limit=${limit}`).toEqual(expected);
      }
      // A page fills across the month's end: only the last page holds fewer than `limit` items.
      const first = await t().get("/events?limit=5");
      expect(first.status).toBe(200);
      expect(first.body.items).toEqual(expected.slice(0, 5));
    });

    it("explicit from/to (inclusive), across an empty month; from alone means from … from + 30", async () => {
      const all = await followPages<Event>(t(), "/events?from=2034-05-01&to=2034-08-31&limit=3");
      expect(all.items).toEqual(events);
      const tail = await followPages<Event>(t(), "/events?from=2034-06-20&to=2034-08-15&limit=1");
      expect(ids(tail.items)).toEqual(ids(events.filter((e) => e.date >= "2034-06-20" && e.date <= "2034-08-15")));
      const fromOnly = await followPages<Event>(t(), "/events?from=2034-05-19");
      expect(ids(fromOnly.items)).toEqual(ids(events.filter((e) => e.date >= "2034-05-19" && e.date <= "2034-06-18")));
      const empty = await followPages<Event>(t(), "/events?from=2034-07-01&to=2034-07-31");
      expect(empty.items).toEqual([]);
    });

    it("a sparse range: one event in a six-month range is on the first page, cursor null; X-Db-Requests per bucket", async () => {
      const lone = await t().createEvent(organizer.token, { date: "2037-03-17" });
      const reply = await t().get("/events?from=2037-01-01&to=2037-06-30");
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toEqual({ items: [lone], cursor: null });
      // One query per month bucket the page touched (README, AP7): January to June; + 1 for the page's seats.
      expect(reply.headers.get("x-db-requests")).toBe("7");
      const empty = await t().get("/events?from=2037-07-01&to=2037-12-31&limit=1");
      expect(empty.body).toEqual({ items: [], cursor: null });
      expect(empty.headers.get("x-db-requests")).toBe("6");
      await t().del(`/events/${lone.eventId}`, { token: organizer.token });
    });

    it("a range of exactly 365 days is fine; 366 days, to < from, or to before today without from → 400", async () => {
      expect((await t().get("/events?from=2034-01-01&to=2035-01-01")).status).toBe(200);
      expectError(await t().get("/events?from=2034-01-01&to=2035-01-02"), 400, "validation_failed");
      expectError(await t().get("/events?from=2034-05-02&to=2034-05-01"), 400, "validation_failed");
      expectError(await t().get("/events?to=2034-05-19"), 400, "validation_failed");
      expect((await t().get("/events?to=2034-05-20")).status).toBe(200);
    });

    it("the last dates of the calendar work (from 9999-12-31, default to)", async () => {
      const last = await t().createEvent(organizer.token, { date: "9999-12-31" });
      const first = await t().createEvent(organizer.token, { date: "1970-01-01" });
      const reply = await t().get("/events?from=9999-12-31");
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toEqual({ items: [last], cursor: null });
      expect((await followPages(t(), "/events?from=9999-01-01&to=9999-12-31")).items).toEqual([last]);
      expect((await followPages(t(), "/events?from=1970-01-01&to=1970-01-01")).items).toEqual([first]);
      await t().del(`/events/${last.eventId}`, { token: organizer.token });
      await t().del(`/events/${first.eventId}`, { token: organizer.token });
    });

    it.each([
      "from=2034-02-30",
      "from=2034-5-1",
      "from=20340501",
      "from=1969-12-31",
      "to=10000-01-01",
      "from=2034-05-20T00:00:00Z",
      "from=",
      "from=2034-05-20&from=2034-05-21",
    ])("invalid date parameter %s → 400 validation_failed", async (query) => {
      expectError(await t().get(`/events?${query}`), 400, "validation_failed");
    });

    it("a cursor keeps working while other events are written; old items appear exactly once", async () => {
      const range = "from=2034-10-01&to=2034-10-31";
      const base = await Promise.all(
        ["2034-10-05", "2034-10-10", "2034-10-15", "2034-10-20"].map((date) =>
          t().createEvent(organizer.token, { date }),
        ),
      );
      const seen: Event[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Reply = await t().get(`/events?${range}&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.items);
        cursor = page.body.cursor;
        // Between pages, write one event before and one after the current position.
        if (pages++ < 3) {
          await t().createEvent(organizer.token, { date: "2034-10-01" });
          await t().createEvent(organizer.token, { date: "2034-10-30" });
        }
      } while (cursor);
      const seenIds = ids(seen);
      expect(new Set(seenIds).size).toBe(seenIds.length);
      for (const event of base) expect(seenIds.filter((id) => id === event.eventId)).toHaveLength(1);
      expect([...seen].sort(byDateThenId)).toEqual(seen);
    });
  });

  describe("per-user and per-event lists", () => {
    it("GET /users/{id}/events: the organizer's events by date then id, exactly once", async () => {
      const created = await followPages<Event>(t(), `/users/${organizer.user.userId}/events?limit=3`);
      const listed = ids(created.items);
      expect(new Set(listed).size).toBe(listed.length);
      expect(created.items).toEqual([...created.items].sort(byDateThenId));
      for (const event of events) expect(listed).toContain(event.eventId);
    });

    it("registrations lists: an event's by userId, a user's own by event date then eventId", async () => {
      const owner = await t().signUp();
      const mine = await Promise.all(
        ["2034-03-03", "2034-01-01", "2034-02-02", "2034-01-01"].map((date) =>
          t().createEvent(owner.token, { date, capacity: 10 }),
        ),
      );
      const attendees = await Promise.all(Array.from({ length: 5 }, (_, i) => t().signUp({ name: `A${i}` })));
      const focus = attendees[0] as SignedUp;
      for (const event of mine) await t().register(focus.token, event.eventId);
      const event = mine[0] as Event;
      await Promise.all(attendees.slice(1).map((attendee) => t().register(attendee.token, event.eventId)));

      for (const limit of [1, 2, 100]) {
        const list = await followPages<{ userId: string }>(
          t(),
          `/events/${event.eventId}/registrations?limit=${limit}`,
        );
        expect(list.items.map((r) => r.userId)).toEqual(attendees.map((a) => a.user.userId).sort());
        const own = await followPages<{ eventId: string; event: { date: string } }>(
          t(),
          `/users/${focus.user.userId}/registrations?limit=${limit}`,
          { token: focus.token },
        );
        expect(ids(own.items)).toEqual(ids([...mine].sort(byDateThenId)));
      }
    });

    it("a list whose user or event does not exist is 404", async () => {
      const stranger = await t().token(MISSING);
      expectError(await t().get(`/users/${MISSING}/events`), 404, "not_found");
      expectError(await t().get(`/events/${MISSING}/registrations`), 404, "not_found");
      expectError(await t().get(`/users/${MISSING}/registrations`, { token: stranger }), 404, "not_found");
    });
  });

  describe("cursors", () => {
    it("are bound to their list, user, event and date range; tampered, long or garbage ones → 400 invalid_cursor", async () => {
      const other = await t().signUp();
      await t().createEvent(other.token, { date: "2034-05-25" });
      await t().createEvent(other.token, { date: "2034-05-26" });
      const event = events[1] as Event;
      const [x, y] = await Promise.all([t().signUp(), t().signUp()]);
      await t().register(x.token, event.eventId);
      await t().register(y.token, event.eventId);
      await t().register(x.token, (events[2] as Event).eventId);

      const cursorOf = async (path: string, token?: string) => {
        const reply = await t().get(path, { token });
        expect(reply.status, reply.text).toBe(200);
        expect(reply.body.cursor, path).toEqual(expect.any(String));
        return reply.body.cursor as string;
      };
      const byDate = await cursorOf("/events?from=2034-05-01&to=2034-08-31&limit=1");
      const byDefault = await cursorOf("/events?limit=1");
      const organized = await cursorOf(`/users/${organizer.user.userId}/events?limit=1`);
      const attendees = await cursorOf(`/events/${event.eventId}/registrations?limit=1`);
      const own = await cursorOf(`/users/${x.user.userId}/registrations?limit=1`, x.token);

      // `limit` may change between pages.
      expect((await t().get(`/events?from=2034-05-01&to=2034-08-31&limit=7&cursor=${byDate}`)).status).toBe(200);
      expect((await t().get(`/events?limit=3&cursor=${byDefault}`)).status).toBe(200);

      const invalid: Array<[string, string | undefined]> = [
        [`/events?from=2034-05-01&to=2034-08-30&cursor=${byDate}`, undefined],
        [`/events?from=2034-05-02&to=2034-08-31&cursor=${byDate}`, undefined],
        [`/events?cursor=${byDate}`, undefined],
        [`/events?from=2034-05-01&to=2034-08-31&cursor=${byDefault}`, undefined],
        [`/events?from=2034-05-01&to=2034-08-31&cursor=${organized}`, undefined],
        [`/users/${other.user.userId}/events?cursor=${organized}`, undefined],
        [`/users/${organizer.user.userId}/events?cursor=${byDate}`, undefined],
        [`/users/${organizer.user.userId}/events?cursor=${attendees}`, undefined],
        [`/events/${(events[2] as Event).eventId}/registrations?cursor=${attendees}`, undefined],
        [`/events/${event.eventId}/registrations?cursor=${organized}`, undefined],
        [`/users/${y.user.userId}/registrations?cursor=${own}`, y.token],
        [`/users/${x.user.userId}/registrations?cursor=${attendees}`, x.token],
        [`/users/${x.user.userId}/registrations?cursor=${tamper(own)}`, x.token],
        [`/events/${event.eventId}/registrations?cursor=${tamper(attendees)}`, undefined],
        [`/users/${organizer.user.userId}/events?cursor=${tamper(organized)}`, undefined],
        [`/events?from=2034-05-01&to=2034-08-31&cursor=${tamper(byDate)}`, undefined],
        [`/events?from=2034-05-01&to=2034-08-31&cursor=${byDate.slice(0, -3)}`, undefined],
        [`/events?cursor=${"A".repeat(5000)}`, undefined],
        [`/events/${event.eventId}/registrations?cursor=${"x".repeat(5000)}`, undefined],
        ["/events?cursor=garbage", undefined],
        ["/events?cursor=", undefined],
        [`/users/${organizer.user.userId}/events?cursor=e30.e30`, undefined],
        [`/events/${event.eventId}/registrations?cursor=${encodeURIComponent("{}")}`, undefined],
        [`/users/${x.user.userId}/registrations?cursor=%00%01`, x.token],
      ];
      const replies = await Promise.all(invalid.map(([path, token]) => t().get(path, { token })));
      for (const [i, reply] of replies.entries()) {
        expect(reply.status, invalid[i]?.[0]).toBe(400);
        expectError(reply, 400, "invalid_cursor");
      }
    });

    it.each(["0", "101", "abc", "1e1", "-1", "5.0", " 5", "", "0x10"])(
      "limit=%j → 400 validation_failed on every list",
      async (limit) => {
        const q = `limit=${encodeURIComponent(limit)}`;
        const event = events[0] as Event;
        const token = organizer.token;
        for (const path of [
          `/events?${q}`,
          `/users/${organizer.user.userId}/events?${q}`,
          `/users/${organizer.user.userId}/registrations?${q}`,
          `/events/${event.eventId}/registrations?${q}`,
          `/users/${organizer.user.userId}?include=events&${q}`,
          `/events/${event.eventId}?include=attendees&${q}`,
        ]) {
          expectError(await t().get(path, { token }), 400, "validation_failed");
        }
      },
    );

    it("unknown query parameters → 400 validation_failed on every list", async () => {
      const event = events[0] as Event;
      for (const path of [
        "/events?page=2",
        "/events?limit=5&offset=5",
        `/users/${organizer.user.userId}/events?sort=desc`,
        `/users/${organizer.user.userId}/registrations?include=events`,
        `/events/${event.eventId}/registrations?from=2034-01-01`,
      ]) {
        expectError(await t().get(path, { token: organizer.token }), 400, "validation_failed");
      }
    });
  });
});
