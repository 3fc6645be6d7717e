import { GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  applyCopyChange,
  COPY_STRATEGIES,
  type CopyStrategy,
  createStore,
  type Event,
  type Meter,
  MultiTableStore,
  measure,
  type Store,
  type StoredUser,
  TooManyCopiesError,
  UpdateEventInput,
  UpdateUserInput,
} from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { TEST_CURSOR_SECRET } from "../support/database.js";
import { collectPages, makeEvent, makeUser, makeUsers, rejection, useDatabase } from "../support/fixtures.js";

/**
 * The per-entity design under each copy strategy (issue 12): what a registration stores, when its copies change,
 * what the lists show, and the bound on a request's fan-out. The stream consumer itself is tested elsewhere;
 * here it is stood in for by the keeper's own `changeFromRecord` + `applyCopyChange`.
 */

const NAME_COPIES = ["userName", "userRevision", "eventName", "eventDate", "eventVenue"] as const;

/** The commands a measured operation sent, sorted (parallel requests finish in any order). */
const commands = (meter: Meter) =>
  meter.calls.map((call) => (call.index ? `${call.command}:${call.index}` : call.command)).sort();

describe.each(COPY_STRATEGIES)("multi-table store with COPIES=%s", (copies: CopyStrategy) => {
  // The stream cell without its consumer: these tests see what the request alone writes, and drive the
  // consumer's steps (changeFromRecord, applyCopyChange) themselves.
  const db = useDatabase("multi", "copies-multi", copies, { consumer: false });
  const store = () => db().store;
  /** The store as its class (the Store port gains `copies` and `copyKeeper` in another branch). */
  const multiStore = (): MultiTableStore => {
    const current = store();
    if (!(current instanceof MultiTableStore)) throw new Error("not the multi-table store");
    return current;
  };
  const copiesNames = copies !== "none";

  async function stored(table: "Users" | "Events" | "Registrations", key: Record<string, string>) {
    const { Item } = await db().clients.document.send(
      new GetCommand({ TableName: db().tableNames[table], Key: key, ConsistentRead: true }),
    );
    return Item;
  }
  const registrationItem = (eventId: string, userId: string) => stored("Registrations", { eventId, userId });

  /** An organizer, an attendee and two events (one with a venue) the attendee is registered for. */
  async function scene(attendeeName = "Ada") {
    const organizer = await makeUser(store(), { name: "Olga" });
    const attendee = await makeUser(store(), { name: attendeeName });
    const gala = await makeEvent(store(), organizer.userId, { name: "Gala", venue: "Hall", date: "2027-05-04" });
    const talk = await makeEvent(store(), organizer.userId, { name: "Talk", date: "2027-06-01" });
    await store().register(gala.eventId, attendee.userId);
    await store().register(talk.eventId, attendee.userId);
    return { organizer, attendee, gala, talk };
  }

  const rename = (user: StoredUser, name: string) =>
    store().updateUser(user.userId, user.userId, UpdateUserInput.parse({ name }));
  const change = (event: Event, fields: Record<string, unknown>) =>
    store().updateEvent(event.eventId, event.organizerId, UpdateEventInput.parse(fields));

  /** The names the lists show: AP14 of the gala, AP16 of the attendee. */
  async function listed(gala: Event, attendee: StoredUser) {
    const attendees = await collectPages((page) => store().listRegistrations(gala.eventId, page));
    const registrations = await collectPages((page) => store().listUserRegistrations(attendee.userId, page));
    return {
      attendeeNames: attendees.items.map((item) => item.user.name),
      events: registrations.items.map((item) => item.event),
    };
  }

  it("exposes its strategy and a copy keeper", () => {
    expect(multiStore().copies).toBe(copies);
    expect(multiStore().copyKeeper).toBeDefined();
  });

  it("stores a user revision (1, then +1 per update) and the registration shape the strategy agrees on", async () => {
    const { attendee, gala, talk } = await scene();
    expect((await stored("Users", { userId: attendee.userId }))?.revision).toBe(1);
    await store().updateUser(attendee.userId, attendee.userId, UpdateUserInput.parse({ email: "ada-new@example.com" }));
    expect((await stored("Users", { userId: attendee.userId }))?.revision).toBe(2);

    const withVenue = await registrationItem(gala.eventId, attendee.userId);
    const withoutVenue = await registrationItem(talk.eventId, attendee.userId);
    expect(withVenue).toMatchObject({ dateEventId: `2027-05-04#${gala.eventId}`, eventVersion: 1 });
    expect(withoutVenue).toMatchObject({ dateEventId: `2027-06-01#${talk.eventId}`, eventVersion: 1 });
    if (copiesNames) {
      expect(withVenue).toMatchObject({
        userName: "Ada",
        userRevision: 1,
        eventName: "Gala",
        eventDate: "2027-05-04",
        eventVenue: "Hall",
      });
      expect(withoutVenue).toMatchObject({ userName: "Ada", eventName: "Talk", eventDate: "2027-06-01" });
      expect(withoutVenue).not.toHaveProperty("eventVenue");
    } else {
      for (const copy of NAME_COPIES) expect(withVenue).not.toHaveProperty(copy);
    }
  });

  it("renames: sync rewrites the copies before answering, stream leaves them to the consumer, none joins", async () => {
    const { attendee, gala, talk } = await scene();
    await rename(attendee, "Ada Byron");
    await change(gala, { name: "Grand Gala", venue: "" });

    const item = await registrationItem(gala.eventId, attendee.userId);
    const lists = await listed(gala, attendee);
    if (copies === "sync") {
      expect(item).toMatchObject({ userName: "Ada Byron", userRevision: 2, eventName: "Grand Gala", eventVersion: 2 });
      expect(item).not.toHaveProperty("eventVenue");
      expect(lists.attendeeNames).toEqual(["Ada Byron"]);
      expect(lists.events).toEqual([
        { name: "Grand Gala", date: "2027-05-04" },
        { name: "Talk", date: "2027-06-01" },
      ]);
    } else if (copies === "stream") {
      expect(item).toMatchObject({ userName: "Ada", userRevision: 1, eventName: "Gala", eventVenue: "Hall" });
      expect(lists.attendeeNames).toEqual(["Ada"]);
      expect(lists.events[0]).toEqual({ name: "Gala", date: "2027-05-04", venue: "Hall" });
    } else {
      for (const copy of NAME_COPIES) expect(item).not.toHaveProperty(copy);
      expect(lists.attendeeNames).toEqual(["Ada Byron"]);
      expect(lists.events).toEqual([
        { name: "Grand Gala", date: "2027-05-04" },
        { name: "Talk", date: "2027-06-01" },
      ]);
    }
    // The talk's registration was not touched by the gala's change.
    expect(await registrationItem(talk.eventId, attendee.userId)).toMatchObject({ eventVersion: 1 });
  });

  it("a date change moves the date key in the request (none, sync) or leaves it to the consumer (stream)", async () => {
    const { attendee, gala } = await scene();
    await change(gala, { date: "2027-07-01" });
    const item = await registrationItem(gala.eventId, attendee.userId);
    const expected = copies === "stream" ? "2027-05-04" : "2027-07-01";
    expect(item?.dateEventId).toBe(`${expected}#${gala.eventId}`);
    expect(item?.eventVersion).toBe(copies === "stream" ? 1 : 2);
    if (copies === "sync") expect(item?.eventDate).toBe("2027-07-01");
  });

  it("a stream record of a rename, applied through the keeper, brings every copy up to date", async () => {
    const { attendee, gala } = await scene();
    const keeper = multiStore().copyKeeper;
    const oldUser = await stored("Users", { userId: attendee.userId });
    await rename(attendee, "Ada Byron");
    const newUser = await stored("Users", { userId: attendee.userId });
    const oldEvent = await stored("Events", { eventId: gala.eventId });
    await change(gala, { venue: "Annex", date: "2027-05-05" });
    const newEvent = await stored("Events", { eventId: gala.eventId });

    const userChange = keeper.changeFromRecord(db().tableNames.Users as string, oldUser, newUser);
    const eventChange = keeper.changeFromRecord(db().tableNames.Events as string, oldEvent, newEvent);
    // Under none only the date is copied (as a key): a rename changes nothing registrations hold.
    expect(userChange).toEqual(
      copiesNames ? { kind: "user", source: { userId: attendee.userId, name: "Ada Byron", revision: 2 } } : null,
    );
    expect(eventChange).toEqual({
      kind: "event",
      source: { eventId: gala.eventId, name: "Gala", date: "2027-05-05", venue: "Annex", version: 2 },
    });
    if (userChange) await applyCopyChange(keeper, userChange);
    if (eventChange) expect(await applyCopyChange(keeper, eventChange)).toBe(1);

    const item = await registrationItem(gala.eventId, attendee.userId);
    expect(item).toMatchObject({ dateEventId: `2027-05-05#${gala.eventId}`, eventVersion: 2 });
    if (copiesNames) {
      expect(item).toMatchObject({ userName: "Ada Byron", userRevision: 2, eventVenue: "Annex" });
      expect((await listed(gala, attendee)).attendeeNames).toEqual(["Ada Byron"]);
    } else {
      for (const copy of NAME_COPIES) expect(item).not.toHaveProperty(copy);
    }
    // Records that change nothing copied, inserts, and other tables' records are no change.
    expect(keeper.changeFromRecord(db().tableNames.Users as string, newUser, { ...newUser, email: "x@y.z" })).toBe(
      null,
    );
    expect(keeper.changeFromRecord(db().tableNames.Events as string, undefined, newEvent)).toBe(null);
    expect(keeper.changeFromRecord(db().tableNames.Emails as string, oldUser, newUser)).toBe(null);
  });

  it("an older revision's copy never overwrites a newer one", async () => {
    const { attendee, gala } = await scene();
    const keeper = multiStore().copyKeeper;
    const user = (name: string, revision: number) =>
      ({ kind: "user", source: { userId: attendee.userId, name, revision } }) as const;
    const event = (date: string, version: number) =>
      ({ kind: "event", source: { eventId: gala.eventId, name: `Gala ${version}`, date, version } }) as const;
    await applyCopyChange(keeper, user("Newer", 7));
    await applyCopyChange(keeper, user("Older", 6));
    await applyCopyChange(keeper, event("2027-09-09", 9));
    await applyCopyChange(keeper, event("2027-08-08", 8));

    const item = await registrationItem(gala.eventId, attendee.userId);
    expect(item).toMatchObject({ dateEventId: `2027-09-09#${gala.eventId}`, eventVersion: 9 });
    if (copiesNames) expect(item).toMatchObject({ userName: "Newer", userRevision: 7, eventName: "Gala 9" });
    else expect(item).not.toHaveProperty("userName");
  });

  it("lists from the copies (sync, stream) or with one BatchGetItem join per page (none)", async () => {
    const { attendee, gala } = await scene();
    const attendees = await measure(() => store().listRegistrations(gala.eventId, { limit: 10 }));
    const registrations = await measure(() => store().listUserRegistrations(attendee.userId, { limit: 10 }));
    const withAttendees = await measure(() => store().getEventWithAttendees(gala.eventId, { limit: 10 }));
    if (copiesNames) {
      // The first page reads the event with its seats (one BatchGetItem across Events and EventSeats) ‖ the Query.
      expect(commands(attendees.meter)).toEqual(["BatchGetItem", "Query"]);
      expect(commands(withAttendees.meter)).toEqual(["BatchGetItem", "Query"]);
      expect(commands(registrations.meter)).toEqual(["GetItem", "Query:UserIndex"]);
    } else {
      expect(commands(attendees.meter)).toEqual(["BatchGetItem", "Query"]);
      expect(commands(withAttendees.meter)).toEqual(["BatchGetItem", "Query"]);
      expect(commands(registrations.meter)).toEqual(["BatchGetItem", "Query:UserIndex"]);
    }
    expect(attendees.result.items.map((item) => item.user.name)).toEqual(["Ada"]);
    expect(withAttendees.result.event.name).toBe("Gala");
    expect(registrations.result.items.map((item) => item.event.name)).toEqual(["Gala", "Talk"]);
  });

  describe("the bound on one request's copies (maxSyncCopies = 2)", () => {
    const bounded = (): Store =>
      createStore({
        design: "multi",
        copies,
        maxSyncCopies: 2,
        document: db().clients.document,
        tableNames: db().tableNames,
        cursorSecret: TEST_CURSOR_SECRET,
      });

    /** An event with three registrations, and an attendee registered for three events. */
    async function crowd() {
      const organizer = await makeUser(store());
      const attendees = await makeUsers(store(), 3, (i) => `Guest ${i}`);
      const party = await makeEvent(store(), organizer.userId, { name: "Party", venue: "Roof" });
      for (const attendee of attendees) await store().register(party.eventId, attendee.userId);
      const [busy] = attendees;
      for (const name of ["Second", "Third"]) {
        const event = await makeEvent(store(), organizer.userId, { name });
        await store().register(event.eventId, busy.userId);
      }
      return { party, busy };
    }

    it("an event change with more copies than the bound: refused under sync (and none's date keys), nothing written", async () => {
      const { party, busy } = await crowd();
      const before = await stored("Events", { eventId: party.eventId });
      const copyBefore = await registrationItem(party.eventId, busy.userId);
      const update = (fields: Record<string, unknown>) =>
        bounded().updateEvent(party.eventId, party.organizerId, UpdateEventInput.parse(fields));
      const rename = update({ name: "Bash" });
      if (copies === "sync") {
        const error = await rejection(rename);
        expect(error).toBeInstanceOf(TooManyCopiesError);
        expect(error).toMatchObject({ code: "too_many_copies", copies: 3, limit: 2 });
      } else {
        // Nothing copied in the request: a rename is one write.
        expect((await rename).name).toBe("Bash");
      }
      const move = update({ date: "2027-01-01" });
      if (copies === "stream") expect((await move).date).toBe("2027-01-01");
      else expect(await rejection(move)).toBeInstanceOf(TooManyCopiesError);

      const after = await stored("Events", { eventId: party.eventId });
      if (copies === "sync") expect(after).toEqual(before);
      if (copies === "none") expect(after).toMatchObject({ name: "Bash", date: before?.date, version: 2 });
      expect(await registrationItem(party.eventId, busy.userId)).toEqual(copyBefore);
    });

    it("a capacity below the registrations is still capacity_conflict, even when the copies are too many", async () => {
      const { party } = await crowd();
      const error = await rejection(
        bounded().updateEvent(party.eventId, party.organizerId, UpdateEventInput.parse({ name: "X", capacity: 1 })),
      );
      expect(error).toMatchObject({ code: "capacity_conflict" });
    });

    it("a user rename with more copies than the bound: refused under sync before anything is written", async () => {
      const { busy } = await crowd();
      const before = await stored("Users", { userId: busy.userId });
      const result = bounded().updateUser(busy.userId, busy.userId, UpdateUserInput.parse({ name: "Renamed" }));
      if (copies === "sync") {
        const error = await rejection(result);
        expect(error).toBeInstanceOf(TooManyCopiesError);
        expect(error).toMatchObject({ copies: 3, limit: 2 });
        expect(await stored("Users", { userId: busy.userId })).toEqual(before);
      } else {
        expect((await result).name).toBe("Renamed");
      }
    });

    it("a change within the bound fans out in full", async () => {
      const organizer = await makeUser(store());
      const [first, second] = await makeUsers(store(), 2);
      const small = await makeEvent(store(), organizer.userId, { name: "Small" });
      await store().register(small.eventId, first.userId);
      await store().register(small.eventId, second.userId);
      await bounded().updateEvent(small.eventId, organizer.userId, UpdateEventInput.parse({ name: "Tiny" }));
      const names = await Promise.all(
        [first, second].map(async (user) => (await registrationItem(small.eventId, user.userId))?.eventName),
      );
      expect(names).toEqual(
        copies === "sync" ? ["Tiny", "Tiny"] : copies === "stream" ? ["Small", "Small"] : [undefined, undefined],
      );
    });
  });
});
