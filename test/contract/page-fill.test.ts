import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  type BucketQueries,
  createStore,
  type Event,
  IDENTIFIERS,
  KEYS,
  measure,
  type Page,
  type PageRequest,
  type Store,
} from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { GRID, TEST_CURSOR_SECRET } from "../support/database.js";
import { byDateThenId, collectPages, makeEvent, makeUser, makeUsers, useDatabase } from "../support/fixtures.js";

/**
 * api.md, Pagination: "A page holds at most `limit` items and is empty only when it is the last (`cursor`
 * `null`): a client may stop at the first empty page. `cursor` is `null` only after the last item."
 * data-model.md: AP7 fills a page across month buckets, one query per bucket it touches.
 */
const STRATEGIES: readonly BucketQueries[] = ["sequential", "parallel"];
const ids = (items: Array<{ eventId: string }>) => items.map((item) => item.eventId);

/** Every page but the last holds exactly `limit` items (the limits cycling as in collectPages). */
function expectFullPagesBeforeTheLast<T>(pages: Page<T>[], limits: readonly number[]) {
  for (const [i, page] of pages.slice(0, -1).entries()) {
    expect(page.items.length, `page ${i + 1} of ${pages.length}`).toBe(limits[i % limits.length]);
  }
  expect(pages.at(-1)?.cursor).toBeNull();
}

describe.each(GRID)("pages fill and are empty only when last — %s", ({ design, copies }) => {
  const db = useDatabase(design, "page-fill", copies);
  const store = () => db().store;
  const storeOf = (bucketQueries: BucketQueries): Store =>
    createStore({
      design,
      copies,
      document: db().clients.document,
      tableNames: db().tableNames,
      cursorSecret: TEST_CURSOR_SECRET,
      bucketQueries,
    });

  describe.each(STRATEGIES)("AP7 with %s bucket queries", (strategy) => {
    const list = (range: { from: string; to: string }) => (page: PageRequest) =>
      storeOf(strategy).listEventsByDate(range, page);

    it("sparse: one event in March of a six-month range is on the first page, whose cursor is null", async () => {
      const organizer = await makeUser(store());
      // A year of its own per strategy, so the two runs do not see each other's events.
      const year = strategy === "sequential" ? 2061 : 2062;
      const event = await makeEvent(store(), organizer.userId, { date: `${year}-03-17` });
      const range = { from: `${year}-01-01`, to: `${year}-06-30` };
      const { result, meter } = await measure(() => list(range)({ limit: 20 }));
      expect(result).toEqual({ items: [event], cursor: null });
      // One Query per month bucket of the range: the page touched all six; then one BatchGetItem joins the seats.
      expect(meter.calls.map((call) => call.command)).toEqual([...Array(6).fill("Query"), "BatchGetItem"]);
      // With limit 1 the page is full at March; what follows it is one empty last page.
      const { pages } = await collectPages(list(range), [1]);
      expect(pages[0]?.items).toEqual([event]);
      expect(pages.slice(1)).toEqual(pages[0]?.cursor ? [{ items: [], cursor: null }] : []);
    });

    it("empty range: one empty page, cursor null", async () => {
      const range = { from: "2063-01-01", to: "2063-12-31" };
      for (const limit of [1, 20, 100]) {
        expect(await list(range)({ limit })).toEqual({ items: [], cursor: null });
      }
    });

    it("dense across bucket boundaries: every item once, in order, full pages until the last", async () => {
      const [alice, bob] = [await makeUser(store()), await makeUser(store())];
      const year = strategy === "sequential" ? 2064 : 2065;
      // Months with 3, 0, 5, 1, 0 and 4 events, on month ends and starts, some sharing a date.
      const dates = [
        ["01-01", "01-31", "01-31"],
        [],
        ["03-01", "03-01", "03-15", "03-31", "03-31"],
        ["04-30"],
        [],
        ["06-01", "06-02", "06-30", "06-30"],
      ].flatMap((days) => days.map((day) => `${year}-${day}`));
      const created: Event[] = [];
      for (const [i, date] of dates.entries()) {
        created.push(await makeEvent(store(), (i % 2 ? alice : bob).userId, { date }));
      }
      const expected = created.sort(byDateThenId);
      const range = { from: `${year}-01-01`, to: `${year}-06-30` };
      for (const limits of [[1], [2], [3], [4], [5], [7], [13], [100], [2, 5, 1], [6, 1, 3]]) {
        const { items, pages } = await collectPages(list(range), limits);
        expect(ids(items), `limits ${limits}`).toEqual(ids(expected));
        expectFullPagesBeforeTheLast(pages, limits);
      }
      // The strategies share one cursor format: a walk may switch between them mid-list.
      const mixed: Event[] = [];
      let cursor: string | undefined;
      for (let page = 0; page === 0 || cursor; page++) {
        const next = await storeOf(STRATEGIES[page % 2] as BucketQueries).listEventsByDate(range, { limit: 3, cursor });
        mixed.push(...next.items);
        cursor = next.cursor ?? undefined;
      }
      expect(ids(mixed)).toEqual(ids(expected));
    });

    it("every existing event exactly once, in order, while events are written and deleted concurrently", async () => {
      const organizer = await makeUser(store());
      const year = strategy === "sequential" ? 2066 : 2067;
      const existing: Event[] = [];
      for (let i = 0; i < 15; i++) {
        const month = String(1 + ((i * 5) % 6)).padStart(2, "0");
        existing.push(await makeEvent(store(), organizer.userId, { date: `${year}-${month}-1${i % 4}` }));
      }
      const range = { from: `${year}-01-01`, to: `${year}-06-30` };
      let paging = true;
      const writer = (async () => {
        for (let i = 0; paging && i < 200; i++) {
          const date = `${year}-0${1 + (i % 6)}-0${1 + (i % 9)}`;
          const written = await makeEvent(store(), organizer.userId, { date });
          if (i % 3 === 0) await store().deleteEvent(written.eventId, organizer.userId);
        }
      })();
      let result: Awaited<ReturnType<typeof collectPages<Event>>>;
      try {
        result = await collectPages(list(range), [2, 3]);
      } finally {
        paging = false;
        await writer;
      }
      const seen = ids(result.items);
      expect(new Set(seen).size).toBe(seen.length);
      for (const event of existing) expect(seen.filter((id) => id === event.eventId)).toHaveLength(1);
      expect([...result.items].sort(byDateThenId)).toEqual(result.items);
    });
  });

  it("AP7 costs one query per bucket the page touches (sequential 1, 3, 1; parallel 3, 3, 1) + 1 for the seats", async () => {
    const organizer = await makeUser(store());
    // November: 3 events, December: none, January: 2 — pages of 2 cross the empty month.
    for (const date of ["2068-11-20", "2068-11-21", "2068-11-30", "2069-01-02", "2069-01-03"]) {
      await makeEvent(store(), organizer.userId, { date });
    }
    const range = { from: "2068-11-20", to: "2069-01-31" };
    const requests: Record<string, number[]> = {};
    for (const strategy of STRATEGIES) {
      requests[strategy] = [];
      let cursor: string | undefined;
      do {
        const { result, meter } = await measure(() => storeOf(strategy).listEventsByDate(range, { limit: 2, cursor }));
        expect(result.items.length).toBeGreaterThan(0);
        requests[strategy]?.push(meter.calls.filter((call) => call.command === "Query").length);
        // The page's events' seats (capacity, registeredCount): one BatchGetItem (docs/comparison.md, "Hot counter").
        expect(meter.calls.filter((call) => call.command === "BatchGetItem")).toHaveLength(1);
        cursor = result.cursor ?? undefined;
      } while (cursor);
    }
    // Sequential: November fills page 1; page 2 ends November, crosses December, starts January; page 3 ends it.
    // Parallel: every remaining bucket each time, whether the page needs it or not.
    expect(requests).toEqual({ sequential: [1, 3, 1], parallel: [3, 3, 1] });
  });
});

/** Items ElectroDB's collection filter drops (an older model version), placed among a collection's children. */
async function putHiddenItems(
  db: ReturnType<ReturnType<typeof useDatabase>>,
  keys: Array<Record<string, string>>,
  entity: string,
) {
  for (const [i, key] of keys.entries()) {
    await db.clients.document.send(
      new PutCommand({
        TableName: db.tableNames.Table,
        Item: {
          pk: `LEGACY#${entity}#${i}#${Math.random()}`,
          sk: "LEGACY",
          ...key,
          [IDENTIFIERS.entity]: entity,
          [IDENTIFIERS.version]: "0",
        },
      }),
    );
  }
}

describe("single table: a collection page whose items ElectroDB filters out reads on", () => {
  const db = useDatabase("single", "page-fill-collections");
  const store = () => db().store;

  it("AP8/AP9, AP14/AP15, AP16: full pages until the last, none empty before it, with hidden items in between", async () => {
    const organizer = await makeUser(store());
    const attendees = await makeUsers(store(), 4);
    const events: Event[] = [];
    for (const date of ["2070-01-05", "2070-02-05", "2070-03-05", "2070-04-05"]) {
      events.push(await makeEvent(store(), organizer.userId, { date, capacity: 10 }));
    }
    const event = events[0] as Event;
    for (const attendee of attendees) await store().register(event.eventId, attendee.userId);
    const focus = attendees[0];
    for (const other of events.slice(1)) await store().register(other.eventId, focus.userId);

    // Six hidden items before, between and after the children of each collection.
    const organizerKeys = ["2070-01-01#", "2070-01-06#", "2070-01-07#", "2070-03-06#", "2070-05-01#", "2070-05-02#"];
    await putHiddenItems(
      db(),
      organizerKeys.map((dateKey) => ({
        gsi2pk: `${KEYS.organizer}${organizer.userId}`,
        gsi2sk: `${KEYS.organized}${dateKey}`,
      })),
      "event",
    );
    const sortedUsers = attendees.map((a) => a.userId).sort();
    await putHiddenItems(
      db(),
      ["0", `${sortedUsers[0]}A`, `${sortedUsers[0]}B`, `${sortedUsers[1]}A`, `${sortedUsers[3]}A`, "~"].map(
        (userPart) => ({ pk: `${KEYS.event}${event.eventId}`, sk: `${KEYS.registration}${userPart}` }),
      ),
      "registration",
    );
    await putHiddenItems(
      db(),
      // The last sorts after every registration's key.
      ["2070-01-01#", "2070-01-06#", "2070-01-07#", "2070-02-06#", "2071", "~"].map((dateKey) => ({
        gsi1pk: `${KEYS.attendee}${focus.userId}`,
        gsi1sk: dateKey === "~" ? "~" : `${KEYS.attended}${dateKey}`,
      })),
      "registration",
    );

    for (const limits of [[1], [2], [3], [2, 1]]) {
      const organized = await collectPages((page) => store().listEventsByOrganizer(organizer.userId, page), limits);
      expect(ids(organized.items)).toEqual(ids(events));
      expectFullPagesBeforeTheLast(organized.pages, limits);
      const registrations = await collectPages((page) => store().listRegistrations(event.eventId, page), limits);
      expect(registrations.items.map((r) => r.userId)).toEqual(sortedUsers);
      expectFullPagesBeforeTheLast(registrations.pages, limits);
      const own = await collectPages((page) => store().listUserRegistrations(focus.userId, page), limits);
      expect(ids(own.items)).toEqual(ids(events));
      expectFullPagesBeforeTheLast(own.pages, limits);
    }
    // The includes' first pages fill the same way.
    expect(ids((await store().getUserWithEvents(organizer.userId, { limit: 2 })).events.items)).toEqual(
      ids(events.slice(0, 2)),
    );
    const attendance = await store().getEventWithAttendees(event.eventId, { limit: 3 });
    expect(attendance.attendees.items.map((r) => r.userId)).toEqual(sortedUsers.slice(0, 3));
  });
});

describe("per entity: AP16 reads on past registrations whose event is gone", () => {
  const db = useDatabase("multi", "page-fill-orphans");
  const store = () => db().store;

  it("pages hold the registrations that remain; none is empty before the last", async () => {
    const organizer = await makeUser(store());
    const attendee = await makeUser(store());
    const events: Event[] = [];
    for (const date of ["2072-01-01", "2072-02-01", "2072-03-01", "2072-04-01", "2072-05-01", "2072-06-01"]) {
      const event = await makeEvent(store(), organizer.userId, { date });
      await store().register(event.eventId, attendee.userId);
      events.push(event);
    }
    // An event delete removes the event item first, its registrations after: catch that window.
    const gone = [events[0], events[1], events[3], events[5]] as Event[];
    for (const event of gone) {
      await db().clients.document.send(
        new DeleteCommand({ TableName: db().tableNames.Events, Key: { eventId: event.eventId } }),
      );
    }
    const remaining = events.filter((event) => !gone.includes(event));
    for (const limits of [[1], [2], [1, 3]]) {
      const { items, pages } = await collectPages(
        (page) => store().listUserRegistrations(attendee.userId, page),
        limits,
      );
      expect(ids(items)).toEqual(ids(remaining));
      expectFullPagesBeforeTheLast(pages, limits);
    }
  });
});
