import { DeleteCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  applyCopyChange,
  COPY_STRATEGIES,
  type CopyChange,
  conditionFailure,
  createEntities,
  createStore,
  type Event,
  KEYS,
  type Store,
  singleTable,
  TooManyCopiesError,
  UpdateEventInput,
  UpdateUserInput,
} from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { TEST_CURSOR_SECRET } from "../support/database.js";
import { collectPages, makeEvent, makeUser, makeUsers, rejection, useDatabase } from "../support/fixtures.js";
import { countItems } from "../support/items.js";

/**
 * The single table under each copy strategy (data-model.md, "Copies: a second axis"): what a registration
 * stores, what a rename or an event change rewrites before it answers, the bound on that work, and the order
 * rule of copy writes. Items are read with the document client, as stored.
 */
describe.each(COPY_STRATEGIES)("single table, COPIES=%s", (copies) => {
  // The stream cell without its consumer: these tests see what the request alone writes, and drive the
  // consumer's steps (changeFromRecord, applyCopyChange) themselves.
  const db = useDatabase("single", "copies-single", copies, { consumer: false });
  const store = () => db().store;
  const table = () => db().tableNames[singleTable.id] as string;
  const model = () => createEntities(db().clients.document, table());

  async function stored(key: Record<string, unknown> | undefined): Promise<Record<string, unknown> | undefined> {
    const { Item } = await db().clients.document.send(
      new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }),
    );
    return Item;
  }
  const storedRegistration = (eventId: string, userId: string) =>
    stored(model().registration.get({ eventId, userId }).params().Key);
  const storedUser = (userId: string) => stored(model().user.get({ userId }).params().Key);
  const storedEvent = (eventId: string) => stored(model().event.get({ eventId }).params().Key);

  /** A store on the same table that may rewrite at most `maxSyncCopies` copies per request. */
  const boundedStore = (maxSyncCopies: number): Store =>
    createStore({
      design: "single",
      copies,
      maxSyncCopies,
      document: db().clients.document,
      tableNames: db().tableNames,
      cursorSecret: TEST_CURSOR_SECRET,
    });

  /** The copy-relevant attributes of a stored registration. */
  function copiesOf(item: Record<string, unknown> | undefined) {
    const { userName, userRevision, eventName, eventDate, eventVenue, eventVersion, organizerId } = item ?? {};
    return { userName, userRevision, eventName, eventDate, eventVenue, eventVersion, organizerId };
  }

  it("reports its strategy", () => {
    expect(store().copies).toBe(copies);
  });

  it("stores the copies the strategy keeps; the event date (AP16's sort key) in every strategy", async () => {
    const organizer = await makeUser(store());
    const attendee = await makeUser(store(), { name: "Grace" });
    const event = await makeEvent(store(), organizer.userId, { name: "Gala", venue: "Hall", date: "2030-01-02" });
    const registration = await store().register(event.eventId, attendee.userId);
    expect(registration.user).toEqual({ name: "Grace" });
    expect(registration.event).toEqual({ name: "Gala", date: "2030-01-02", venue: "Hall" });

    expect((await storedUser(attendee.userId))?.revision).toBe(1);
    const item = await storedRegistration(event.eventId, attendee.userId);
    expect(item?.gsi1sk).toBe(`${KEYS.attended}2030-01-02#${event.eventId}`);
    expect(copiesOf(item)).toEqual(
      copies === "none"
        ? { eventDate: "2030-01-02", eventVersion: 1 }
        : {
            userName: "Grace",
            userRevision: 1,
            eventName: "Gala",
            eventDate: "2030-01-02",
            eventVenue: "Hall",
            eventVersion: 1,
          },
    );
  });

  it("a rename bumps the user's revision and rewrites copies only under sync, before it answers", async () => {
    const organizer = await makeUser(store());
    const attendee = await makeUser(store(), { name: "Before" });
    const events = await Promise.all([1, 2, 3].map(() => makeEvent(store(), organizer.userId)));
    for (const event of events) await store().register(event.eventId, attendee.userId);
    const oldUser = await storedUser(attendee.userId);

    await store().updateUser(attendee.userId, attendee.userId, UpdateUserInput.parse({ name: "After" }));
    const newUser = await storedUser(attendee.userId);
    expect(newUser?.revision).toBe(2);
    const stored = await Promise.all(events.map((event) => storedRegistration(event.eventId, attendee.userId)));
    const names = stored.map((item) => [item?.userName, item?.userRevision]);
    if (copies === "sync") expect(names).toEqual(events.map(() => ["After", 2]));
    // The stream consumer (not running here) brings them up to date later.
    if (copies === "stream") expect(names).toEqual(events.map(() => ["Before", 1]));
    if (copies === "none") expect(names).toEqual(events.map(() => [undefined, undefined]));

    // What the stream consumer does with the record of that write: every copy current afterwards.
    const change = store().copyKeeper.changeFromRecord(table(), oldUser, newUser);
    if (copies === "none") expect(change).toBeNull();
    else {
      expect(change).toEqual({ kind: "user", source: { userId: attendee.userId, name: "After", revision: 2 } });
      await applyCopyChange(store().copyKeeper, change as CopyChange);
    }
    // Reads show the current name in every strategy once the copies are current (none: joined at read time).
    const theirs = await collectPages((page) => store().listUserRegistrations(attendee.userId, page), [2]);
    expect(theirs.items.map((registration) => registration.user.name)).toEqual(["After", "After", "After"]);
    for (const event of events) {
      const { items } = await collectPages((page) => store().listRegistrations(event.eventId, page));
      expect(items.map((registration) => registration.user.name)).toEqual(["After"]);
    }
  });

  it("an event change rewrites the copies under sync, only the date key under none, nothing under stream", async () => {
    const organizer = await makeUser(store());
    const attendees = await makeUsers(store(), 3);
    const event = await makeEvent(store(), organizer.userId, { name: "Old", venue: "Hall", date: "2030-02-02" });
    for (const user of attendees) await store().register(event.eventId, user.userId);
    const oldEvent = await storedEvent(event.eventId);

    const changes = UpdateEventInput.parse({ name: "New", date: "2030-03-03", venue: "" });
    const updated = await store().updateEvent(event.eventId, organizer.userId, changes);
    const stored = await Promise.all(attendees.map((user) => storedRegistration(event.eventId, user.userId)));
    const expected = {
      none: { eventDate: "2030-03-03", eventVersion: 2, gsi1sk: `${KEYS.attended}2030-03-03#${event.eventId}` },
      sync: {
        eventName: "New",
        eventDate: "2030-03-03",
        eventVersion: 2,
        gsi1sk: `${KEYS.attended}2030-03-03#${event.eventId}`,
      },
      stream: {
        eventName: "Old",
        eventDate: "2030-02-02",
        eventVersion: 1,
        gsi1sk: `${KEYS.attended}2030-02-02#${event.eventId}`,
      },
    }[copies];
    for (const item of stored) {
      const { eventName, eventDate, eventVersion, gsi1sk, eventVenue } = item ?? {};
      expect({ eventName, eventDate, eventVersion, gsi1sk }).toEqual(expected);
      expect(eventVenue).toBe(copies === "stream" ? "Hall" : undefined);
    }

    const change = store().copyKeeper.changeFromRecord(table(), oldEvent, await storedEvent(event.eventId));
    expect(change).toEqual({
      kind: "event",
      source: { eventId: event.eventId, name: "New", date: "2030-03-03", version: 2 },
    });
    await applyCopyChange(store().copyKeeper, change as CopyChange);
    const shown = { name: "New", date: "2030-03-03" };
    const { items } = await collectPages((page) => store().listRegistrations(event.eventId, page), [2]);
    expect(items.map((registration) => registration.event)).toEqual(attendees.map(() => shown));
    const theirs = await store().listUserRegistrations(attendees[0].userId, { limit: 10 });
    expect(theirs.items.map((registration) => registration.event)).toEqual([shown]);
    expect(updated.version).toBe(2);
  });

  it("changes that copy nothing make no change record", async () => {
    const organizer = await makeUser(store());
    const event = await makeEvent(store(), organizer.userId);
    const oldUser = await storedUser(organizer.userId);
    const oldEvent = await storedEvent(event.eventId);
    await store().updateUser(organizer.userId, organizer.userId, UpdateUserInput.parse({ email: "x@example.com" }));
    await store().updateEvent(event.eventId, organizer.userId, UpdateEventInput.parse({ capacity: 99 }));
    const keeper = store().copyKeeper;
    expect(keeper.changeFromRecord(table(), oldUser, await storedUser(organizer.userId))).toBeNull();
    expect(keeper.changeFromRecord(table(), oldEvent, await storedEvent(event.eventId))).toBeNull();
    expect(keeper.changeFromRecord(table(), undefined, oldEvent)).toBeNull();
    expect(keeper.changeFromRecord(table(), oldEvent, undefined)).toBeNull();
    expect(keeper.changeFromRecord("another-table", oldEvent, { ...oldEvent, name: "Renamed" })).toBeNull();
    const renamed = keeper.changeFromRecord(table(), oldEvent, { ...oldEvent, name: "Renamed" });
    if (copies === "none") expect(renamed).toBeNull();
    else expect(renamed).toMatchObject({ kind: "event", source: { name: "Renamed" } });
  });

  describe("the bound on a request's copy writes (maxSyncCopies = 2)", () => {
    it("an event change past the bound is refused before anything is written, where the request would fan out", async () => {
      const bounded = boundedStore(2);
      const organizer = await makeUser(store());
      const attendees = await makeUsers(store(), 3);
      const event = await makeEvent(store(), organizer.userId, { name: "Big", date: "2030-04-04" });
      for (const user of attendees) await store().register(event.eventId, user.userId);
      const before = await Promise.all(attendees.map((user) => storedRegistration(event.eventId, user.userId)));

      const dateChange = bounded.updateEvent(
        event.eventId,
        organizer.userId,
        UpdateEventInput.parse({ date: "2030-05-05" }),
      );
      const nameChange = () =>
        bounded.updateEvent(event.eventId, organizer.userId, UpdateEventInput.parse({ name: "Bigger" }));
      if (copies === "stream") {
        // The consumer rewrites the copies after the response: nothing bounds the request.
        expect((await dateChange).date).toBe("2030-05-05");
        expect((await nameChange()).name).toBe("Bigger");
        return;
      }
      const refused = await rejection(dateChange);
      expect(refused).toBeInstanceOf(TooManyCopiesError);
      expect(refused).toMatchObject({ code: "too_many_copies", copies: 3, limit: 2 });
      if (copies === "sync") expect(await rejection(nameChange())).toBeInstanceOf(TooManyCopiesError);
      // Under none a name is not copied: nothing to fan out, nothing to refuse.
      else expect((await nameChange()).name).toBe("Bigger");

      const now = await store().getEvent(event.eventId);
      expect(now).toMatchObject({ date: "2030-04-04", version: copies === "none" ? 2 : 1 });
      const after = await Promise.all(attendees.map((user) => storedRegistration(event.eventId, user.userId)));
      expect(after).toEqual(before);
      // Other refusals keep their own errors: a stale If-Match is still precondition_failed.
      await expect(
        bounded.updateEvent(event.eventId, organizer.userId, UpdateEventInput.parse({ date: "2030-05-05" }), 99),
      ).rejects.toMatchObject({ code: "precondition_failed" });
    });

    it("up to the bound, the change fans out", async () => {
      const bounded = boundedStore(2);
      const organizer = await makeUser(store());
      const attendees = await makeUsers(store(), 2);
      const event = await makeEvent(store(), organizer.userId, { date: "2030-06-06" });
      for (const user of attendees) await store().register(event.eventId, user.userId);
      await bounded.updateEvent(event.eventId, organizer.userId, UpdateEventInput.parse({ date: "2030-07-07" }));
      const after = await Promise.all(attendees.map((user) => storedRegistration(event.eventId, user.userId)));
      expect(after.map((item) => item?.eventDate)).toEqual(
        attendees.map(() => (copies === "stream" ? "2030-06-06" : "2030-07-07")),
      );
    });

    it("a rename past the bound is refused under sync before anything is written", async () => {
      const bounded = boundedStore(2);
      const organizer = await makeUser(store());
      const attendee = await makeUser(store(), { name: "Popular" });
      const events = await Promise.all([1, 2, 3].map(() => makeEvent(store(), organizer.userId)));
      for (const event of events) await store().register(event.eventId, attendee.userId);
      const userBefore = await storedUser(attendee.userId);
      const rename = bounded.updateUser(attendee.userId, attendee.userId, UpdateUserInput.parse({ name: "Renamed" }));
      if (copies !== "sync") {
        expect((await rename).name).toBe("Renamed");
        return;
      }
      expect(await rejection(rename)).toMatchObject({ code: "too_many_copies", copies: 3, limit: 2 });
      expect(await storedUser(attendee.userId)).toEqual(userBefore);
      const names = await Promise.all(events.map((event) => storedRegistration(event.eventId, attendee.userId)));
      expect(names.map((item) => item?.userName)).toEqual(["Popular", "Popular", "Popular"]);
      // An email change rewrites no copy: not refused.
      await bounded.updateUser(
        attendee.userId,
        attendee.userId,
        UpdateUserInput.parse({ email: `p-${Date.now()}@example.com` }),
      );
    });
  });

  describe("copy writes arriving out of order", () => {
    async function registered(): Promise<{ event: Event; userId: string }> {
      const organizer = await makeUser(store());
      const attendee = await makeUser(store(), { name: "Current" });
      const event = await makeEvent(store(), organizer.userId, { name: "Now", date: "2030-08-08" });
      await store().register(event.eventId, attendee.userId);
      return { event, userId: attendee.userId };
    }

    it("an older user revision never replaces a newer copy", async () => {
      const { event, userId } = await registered();
      const keeper = store().copyKeeper;
      const key = { eventId: event.eventId, userId };
      await applyCopyChange(keeper, { kind: "user", source: { userId, name: "Third", revision: 3 } });
      const late = keeper.writeUserCopy(key, { userId, name: "Second", revision: 2 });
      if (copies === "none") await late;
      else expect(conditionFailure(await rejection(late))).toBeDefined();
      await applyCopyChange(keeper, { kind: "user", source: { userId, name: "Second", revision: 2 } });
      const item = await storedRegistration(event.eventId, userId);
      expect([item?.userName, item?.userRevision]).toEqual(copies === "none" ? [undefined, undefined] : ["Third", 3]);
    });

    it("an older event version never replaces a newer copy", async () => {
      const { event, userId } = await registered();
      const keeper = store().copyKeeper;
      const newer = { eventId: event.eventId, name: "V5", date: "2030-09-09", version: 5 };
      const older = { eventId: event.eventId, name: "V4", date: "2030-10-10", venue: "Old hall", version: 4 };
      await applyCopyChange(keeper, { kind: "event", source: newer });
      await applyCopyChange(keeper, { kind: "event", source: older });
      const item = await storedRegistration(event.eventId, userId);
      expect(copiesOf(item)).toMatchObject({ eventDate: "2030-09-09", eventVersion: 5, eventVenue: undefined });
      expect(item?.eventName).toBe(copies === "none" ? undefined : "V5");
    });

    it("a copy write for a cancelled registration creates nothing", async () => {
      const { event, userId } = await registered();
      await store().cancelRegistration(event.eventId, userId, userId);
      const before = await countItems(db());
      const written = await applyCopyChange(store().copyKeeper, {
        kind: "event",
        source: { eventId: event.eventId, name: "Late", date: "2030-11-11", version: 9 },
      });
      expect(written).toBe(0);
      const direct = store().copyKeeper.writeEventCopy(
        { eventId: event.eventId, userId },
        { eventId: event.eventId, name: "Late", date: "2030-11-11", version: 9 },
      );
      expect(conditionFailure(await rejection(direct))).toEqual({ item: undefined });
      expect(await storedRegistration(event.eventId, userId)).toBeUndefined();
      expect(await countItems(db())).toBe(before);
    });
  });

  it("the organizer, and no one else but the attendee, cancels (the registration holds no organizer copy)", async () => {
    const organizer = await makeUser(store());
    const [attendee, stranger] = await makeUsers(store(), 2);
    const event = await makeEvent(store(), organizer.userId);
    await store().register(event.eventId, attendee.userId);
    expect(copiesOf(await storedRegistration(event.eventId, attendee.userId)).organizerId).toBeUndefined();
    await expect(store().cancelRegistration(event.eventId, attendee.userId, stranger.userId)).rejects.toMatchObject({
      code: "forbidden",
    });
    await store().cancelRegistration(event.eventId, attendee.userId, organizer.userId);
    expect(await storedRegistration(event.eventId, attendee.userId)).toBeUndefined();
    expect((await store().getEvent(event.eventId)).registeredCount).toBe(0);
  });

  it.runIf(copies === "none")("AP16 leaves out registrations whose event is gone (a delete in progress)", async () => {
    const organizer = await makeUser(store());
    const attendee = await makeUser(store(), { name: "Stays" });
    const [kept, gone] = await Promise.all([
      makeEvent(store(), organizer.userId, { name: "Kept", date: "2031-01-01" }),
      makeEvent(store(), organizer.userId, { name: "Gone", date: "2031-01-02" }),
    ]);
    await store().register(kept.eventId, attendee.userId);
    await store().register(gone.eventId, attendee.userId);
    // The event item removed, its registration not yet: what a reader sees in the middle of AP11.
    await db().clients.document.send(
      new DeleteCommand({ TableName: table(), Key: model().event.get({ eventId: gone.eventId }).params().Key }),
    );
    const { items } = await collectPages((page) => store().listUserRegistrations(attendee.userId, page), [1]);
    expect(items.map((registration) => [registration.event.name, registration.user.name])).toEqual([["Kept", "Stays"]]);
  });
});
