import { type Event, KEYS, NotFoundError } from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { GRID } from "../support/database.js";
import {
  byDateThenId,
  collectPages,
  MISSING_ID,
  makeEvent,
  makeUser,
  rejection,
  useDatabase,
} from "../support/fixtures.js";

const LIMITS = [1, 4, 7, 2, 100, 3] as const;
const ids = (events: Array<{ eventId: string }>) => events.map((event) => event.eventId);

describe.each(GRID)("event lists (AP7–AP9) — %s", ({ design, copies }) => {
  const db = useDatabase(design, "listing", copies);
  const store = () => db().store;

  describe("AP7 listEventsByDate", () => {
    it("lists across month and year boundaries, inclusive of from and to, by date then eventId", async () => {
      const [alice, bob] = [await makeUser(store()), await makeUser(store())];
      const inside = [
        "2026-11-20",
        "2026-11-20",
        "2026-11-20",
        "2026-11-30",
        "2026-12-01",
        "2026-12-31",
        "2026-12-31",
        "2027-01-01",
        "2027-01-01",
        "2027-01-31",
        "2027-02-01",
        "2027-02-10",
        "2027-02-10",
      ];
      const outside = ["2026-10-31", "2026-11-19", "2027-02-11", "2027-03-01", "2025-12-31", "2027-11-20"];
      const created: Event[] = [];
      for (const [i, date] of [...inside, ...outside].entries()) {
        const organizer = i % 2 ? alice : bob;
        created.push(await makeEvent(store(), organizer.userId, { date, name: `#${i} ${KEYS.eventItem}` }));
      }
      const expected = created.filter((event) => inside.includes(event.date)).sort(byDateThenId);
      expect(expected).toHaveLength(inside.length);
      const range = { from: "2026-11-20", to: "2027-02-10" };
      for (const limits of [LIMITS, [1], [13], [100], [12, 1]]) {
        const { items } = await collectPages((page) => store().listEventsByDate(range, page), limits);
        expect(items).toEqual(expected);
      }

      const day = await collectPages((page) =>
        store().listEventsByDate({ from: "2026-12-31", to: "2026-12-31" }, page),
      );
      expect(ids(day.items)).toEqual(ids(expected.filter((event) => event.date === "2026-12-31")));
      const justOutside = await collectPages((page) =>
        store().listEventsByDate({ from: "2027-02-11", to: "2027-02-28" }, page),
      );
      expect(ids(justOutside.items)).toEqual(ids(created.filter((event) => event.date === "2027-02-11")));
    });

    it("lists the first and last listable days (1970-01-01, 9999-12-31)", async () => {
      const organizer = await makeUser(store());
      const created: Event[] = [];
      for (const date of ["1970-01-01", "1970-01-02", "9999-12-30", "9999-12-31", "9999-12-31"]) {
        created.push(await makeEvent(store(), organizer.userId, { date }));
      }
      const first = await collectPages((page) =>
        store().listEventsByDate({ from: "1970-01-01", to: "1970-01-01" }, page),
      );
      expect(ids(first.items)).toEqual(ids(created.slice(0, 1)));
      const last = await collectPages((page) =>
        store().listEventsByDate({ from: "9999-12-31", to: "9999-12-31" }, page),
      );
      expect(ids(last.items)).toEqual(ids(created.slice(3).sort(byDateThenId)));
      const lastYear = await collectPages(
        (page) => store().listEventsByDate({ from: "9999-01-01", to: "9999-12-31" }, page),
        [1, 2],
      );
      expect(ids(lastYear.items)).toEqual(ids(created.slice(2).sort(byDateThenId)));
      const organized = await collectPages((page) => store().listEventsByOrganizer(organizer.userId, page), [2]);
      expect(ids(organized.items)).toEqual(ids([...created].sort(byDateThenId)));
    });

    it("walks empty months without losing or repeating anything; an empty range ends with cursor null", async () => {
      const organizer = await makeUser(store());
      const created: Event[] = [];
      for (const date of ["2041-03-15", "2041-03-01", "2041-11-30", "2041-11-30", "2042-01-01"]) {
        created.push(await makeEvent(store(), organizer.userId, { date }));
      }
      const range = { from: "2041-01-01", to: "2041-12-31" };
      for (const limits of [[1], [2], [100]]) {
        const { items, pages } = await collectPages((page) => store().listEventsByDate(range, page), limits);
        expect(ids(items)).toEqual(ids(created.slice(0, 4).sort(byDateThenId)));
        expect(pages.at(-1)?.cursor).toBeNull();
      }
      const nothing = await collectPages((page) =>
        store().listEventsByDate({ from: "2043-01-01", to: "2043-12-31" }, page),
      );
      expect(nothing.items).toEqual([]);
      expect(nothing.pages.at(-1)).toEqual({ items: [], cursor: null });
    });

    it("returns every existing event exactly once even while events are written during the walk", async () => {
      const organizer = await makeUser(store());
      const existing: Event[] = [];
      for (let i = 0; i < 12; i++) {
        existing.push(await makeEvent(store(), organizer.userId, { date: `2044-0${1 + (i % 6)}-1${i % 3}` }));
      }
      const range = { from: "2044-01-01", to: "2044-06-30" };
      const dates = ["2044-01-01", "2044-06-30", "2044-03-11", "2044-02-10"];
      let written = 0;
      const { items } = await collectPages(
        async (page) => {
          const result = await store().listEventsByDate(range, page);
          if (written < dates.length) await makeEvent(store(), organizer.userId, { date: dates[written++] });
          return result;
        },
        [2],
      );
      const seen = ids(items);
      expect(new Set(seen).size).toBe(seen.length);
      for (const event of existing) expect(seen.filter((id) => id === event.eventId)).toHaveLength(1);
      expect([...items].sort(byDateThenId)).toEqual(items);
    });
  });

  describe("AP8 listEventsByOrganizer / AP9 getUserWithEvents", () => {
    it("pages through only this organizer's events, by date then eventId, whatever the page sizes", async () => {
      const organizer = await makeUser(store());
      const other = await makeUser(store());
      const mine: Event[] = [];
      const dates = ["2030-05-05", "2029-12-31", "2030-01-01", "2030-05-05", "2031-02-28"];
      for (let i = 0; i < 22; i++) {
        mine.push(await makeEvent(store(), organizer.userId, { date: dates[i % dates.length] }));
        if (i % 5 === 0) await makeEvent(store(), other.userId, { date: dates[i % dates.length] });
      }
      const expected = [...mine].sort(byDateThenId);
      for (const limits of [LIMITS, [22], [21, 1], [100]]) {
        const { items } = await collectPages((page) => store().listEventsByOrganizer(organizer.userId, page), limits);
        expect(items).toEqual(expected);
      }
    });

    it("AP9: the user and the first page of their events, whose cursor continues on AP8", async () => {
      const organizer = await makeUser(store());
      const events: Event[] = [];
      for (const date of ["2030-09-09", "2030-08-08", "2030-07-07", "2030-08-08", "2030-10-10"]) {
        events.push(await makeEvent(store(), organizer.userId, { date }));
      }
      const expected = [...events].sort(byDateThenId);
      const first = await store().getUserWithEvents(organizer.userId, { limit: 2 });
      expect(first.user).toEqual(organizer);
      expect(first.events.items).toEqual(expected.slice(0, 2));
      const items = [...first.events.items];
      let cursor = first.events.cursor;
      expect(cursor).toEqual(expect.any(String));
      while (cursor) {
        const page = await store().listEventsByOrganizer(organizer.userId, { limit: 2, cursor });
        items.push(...page.items);
        cursor = page.cursor;
      }
      expect(items).toEqual(expected);
      // A page that happens to hold the last item may still carry a cursor; following it finds nothing more.
      const all = await store().getUserWithEvents(organizer.userId, { limit: 5 });
      expect(all.events.items).toEqual(expected);
      if (all.events.cursor) {
        const cursor = all.events.cursor;
        expect(await store().listEventsByOrganizer(organizer.userId, { limit: 5, cursor })).toEqual({
          items: [],
          cursor: null,
        });
      }
    });

    it("a user with no events gets an empty last page; an unknown user is not_found", async () => {
      const user = await makeUser(store());
      expect(await store().listEventsByOrganizer(user.userId, { limit: 3 })).toEqual({ items: [], cursor: null });
      expect(await store().getUserWithEvents(user.userId, { limit: 3 })).toEqual({
        user,
        events: { items: [], cursor: null },
      });
      for (const read of [
        () => store().listEventsByOrganizer(MISSING_ID, { limit: 3 }),
        () => store().getUserWithEvents(MISSING_ID, { limit: 3 }),
      ]) {
        const error = await rejection(read());
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error).toMatchObject({ resource: "user" });
      }
    });
  });
});
