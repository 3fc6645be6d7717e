import { CreateUserInput, type StoredUser, UpdateEventInput, UpdateUserInput } from "@tablelab/core";
import { beforeAll, describe, expect, it } from "vitest";
import { converged, eventually } from "../support/convergence.js";
import { GRID } from "../support/database.js";
import {
  collectPages,
  makeEvent,
  makeUser,
  makeUsers,
  rejection,
  tally,
  uniqueEmail,
  useDatabase,
} from "../support/fixtures.js";
import { countItems } from "../support/items.js";

/** Invariants that must hold under any concurrency: many store calls at once, then exact outcome counts. */
describe.each(GRID)("invariants under concurrency — %s", ({ design, copies }) => {
  const db = useDatabase(design, "concurrency", copies);
  const store = () => db().store;

  let users: StoredUser[] = [];
  beforeAll(async () => {
    users = await makeUsers(store(), 300);
  });

  it("300 distinct users race for 30 seats: exactly 30 get one, the rest hear event_full", async () => {
    const organizer = await makeUser(store());
    const event = await makeEvent(store(), organizer.userId, { capacity: 30 });
    const results = await Promise.allSettled(users.map((user) => store().register(event.eventId, user.userId)));
    expect(tally(results)).toEqual({ fulfilled: 30, rejected: { EventFullError: 270 } });
    expect((await store().getEvent(event.eventId)).registeredCount).toBe(30);
    const { items } = await collectPages((page) => store().listRegistrations(event.eventId, page), [7]);
    const winners = results.flatMap((result, i) => (result.status === "fulfilled" ? [users[i]?.userId] : []));
    expect(items.map((registration) => registration.userId).sort()).toEqual(winners.sort());
  });

  it("one user registers 50 times at once: exactly one registration, 49 already_registered", async () => {
    const organizer = await makeUser(store());
    const attendee = await makeUser(store());
    const event = await makeEvent(store(), organizer.userId, { capacity: 100 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => store().register(event.eventId, attendee.userId)),
    );
    expect(tally(results)).toEqual({ fulfilled: 1, rejected: { AlreadyRegisteredError: 49 } });
    expect((await store().getEvent(event.eventId)).registeredCount).toBe(1);
    expect((await store().listRegistrations(event.eventId, { limit: 10 })).items).toHaveLength(1);
    expect((await store().listUserRegistrations(attendee.userId, { limit: 10 })).items).toHaveLength(1);
  });

  it("100 sign-ups with one email in different spellings: one user, 99 email_taken, no orphan items", async () => {
    // What one successful sign-up stores, in this design.
    const baseline = await countItems(db());
    await makeUser(store());
    const perUser = (await countItems(db())) - baseline;
    expect(perUser).toBeGreaterThan(0);

    const email = uniqueEmail("zoë.ångström"); // NFC, lower case
    const spellings = [
      email,
      email.toUpperCase(),
      email.normalize("NFD"),
      email.normalize("NFD").toUpperCase(),
      `  ${email.replace("zoë", "ZOË")} `,
    ];
    const before = await countItems(db());
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        store().createUser(CreateUserInput.parse({ email: spellings[i % spellings.length], name: `Racer ${i}` })),
      ),
    );
    expect(tally(results)).toEqual({ fulfilled: 1, rejected: { EmailTakenError: 99 } });
    expect((await countItems(db())) - before).toBe(perUser);
    const winner = results.find((result) => result.status === "fulfilled");
    const found = await store().findUserByEmail(email.normalize("NFD"));
    expect(found).toEqual((winner as PromiseFulfilledResult<unknown>).value);
    expect(found.email).toBe(email);
  });

  it("50 updates with the same If-Match: exactly one wins, 49 precondition_failed, version + 1", async () => {
    const organizer = await makeUser(store());
    const event = await makeEvent(store(), organizer.userId);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        store().updateEvent(event.eventId, organizer.userId, UpdateEventInput.parse({ name: `Edit ${i}` }), 1),
      ),
    );
    expect(tally(results)).toEqual({ fulfilled: 1, rejected: { PreconditionFailedError: 49 } });
    const winner = (results.find((result) => result.status === "fulfilled") as PromiseFulfilledResult<{ name: string }>)
      .value;
    const current = await store().getEvent(event.eventId);
    expect(current).toMatchObject({ version: 2, name: winner.name });
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toMatchObject({ currentVersion: 2 });
    }
  });

  it("fan-outs past one page: 120 attendees keep current copies, and a delete leaves no item behind", async () => {
    const organizer = await makeUser(store());
    const before = await countItems(db());
    const event = await makeEvent(store(), organizer.userId, { capacity: 200, date: "2037-05-05" });
    const attendees = users.slice(0, 120);
    const results = await Promise.allSettled(attendees.map((user) => store().register(event.eventId, user.userId)));
    expect(tally(results)).toEqual({ fulfilled: 120, rejected: {} });

    await store().updateEvent(
      event.eventId,
      organizer.userId,
      UpdateEventInput.parse({ name: "Moved", date: "2037-06-06", venue: "Annex" }),
    );
    await converged(db()); // stream: the copies follow the response
    const { items } = await collectPages((page) => store().listRegistrations(event.eventId, page), [100]);
    expect(items).toHaveLength(120);
    for (const registration of items) {
      expect(registration.event).toEqual({ name: "Moved", date: "2037-06-06", venue: "Annex" });
    }
    const last = attendees
      .map((user) => user.userId)
      .sort()
      .at(-1) as string;
    const theirs = await store().listUserRegistrations(last, { limit: 10 });
    expect(theirs.items.map((registration) => registration.event)).toEqual([
      { name: "Moved", date: "2037-06-06", venue: "Annex" },
    ]);

    await store().deleteEvent(event.eventId, organizer.userId);
    expect(await countItems(db())).toBe(before);
  });

  it("concurrent event edits: after all respond, every copy shows the event as it finally is", async () => {
    const organizer = await makeUser(store());
    const event = await makeEvent(store(), organizer.userId, { capacity: 50, date: "2038-01-01" });
    await Promise.all(users.slice(200, 220).map((user) => store().register(event.eventId, user.userId)));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        store().updateEvent(
          event.eventId,
          organizer.userId,
          UpdateEventInput.parse({ name: `Edit ${i}`, date: `2038-0${1 + (i % 3)}-1${i}`, venue: `Room ${i}` }),
        ),
      ),
    );
    expect(tally(results)).toEqual({ fulfilled: 8, rejected: {} });
    const final = await store().getEvent(event.eventId);
    expect(final.version).toBe(9);
    await converged(db()); // stream: the copies follow the response
    const { items } = await collectPages((page) => store().listRegistrations(event.eventId, page), [100]);
    expect(items).toHaveLength(20);
    for (const registration of items) {
      expect(registration.event).toEqual({ name: final.name, date: final.date, venue: final.venue });
    }
  });

  it("concurrent renames of one attendee: after all respond (stream: once converged), every copy shows the final name", async () => {
    const organizer = await makeUser(store());
    const attendee = users[250] as StoredUser;
    for (const date of ["2039-01-01", "2039-02-02", "2039-03-03", "2039-04-04", "2039-05-05", "2039-06-06"]) {
      const event = await makeEvent(store(), organizer.userId, { date });
      await store().register(event.eventId, attendee.userId);
    }
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        store().updateUser(attendee.userId, attendee.userId, UpdateUserInput.parse({ name: `Name ${i}` })),
      ),
    );
    expect(tally(results).rejected).toEqual({});
    const final = await store().getUser(attendee.userId);
    expect(await store().findUserByEmail(attendee.email)).toEqual(final);
    await eventually(db(), async () => {
      const { items } = await collectPages((page) => store().listUserRegistrations(attendee.userId, page), [100]);
      expect(items).toHaveLength(6);
      for (const registration of items) expect(registration.user).toEqual({ name: final.name });
    });
  });

  it("registrations racing a capacity cut: never above capacity, and the count matches the list", async () => {
    const organizer = await makeUser(store());
    const event = await makeEvent(store(), organizer.userId, { capacity: 20 });
    const [first, rest] = [users.slice(100, 110), users.slice(110, 140)];
    await Promise.all(first.map((user) => store().register(event.eventId, user.userId)));
    const cut = store().updateEvent(event.eventId, organizer.userId, UpdateEventInput.parse({ capacity: 12 }));
    const results = await Promise.allSettled([
      cut,
      ...rest.map((user) => store().register(event.eventId, user.userId)),
    ]);
    const final = await store().getEvent(event.eventId);
    const { items } = await collectPages((page) => store().listRegistrations(event.eventId, page), [100]);
    expect(items).toHaveLength(final.registeredCount);
    expect(final.registeredCount).toBeLessThanOrEqual(final.capacity);
    const registered = results.slice(1).filter((result) => result.status === "fulfilled").length;
    expect(final.registeredCount).toBe(10 + registered);
    if (results[0]?.status === "fulfilled") expect(final.capacity).toBe(12);
    else expect(results[0]?.reason).toMatchObject({ code: "capacity_conflict" });
    expect(Object.keys(tally(results.slice(1)).rejected).filter((name) => name !== "EventFullError")).toEqual([]);
  });

  it("a delete racing registrations and cancellations leaves no registration behind", async () => {
    const organizer = await makeUser(store());
    const before = await countItems(db());
    const event = await makeEvent(store(), organizer.userId, { capacity: 100 });
    const early = users.slice(140, 160);
    await Promise.all(early.map((user) => store().register(event.eventId, user.userId)));
    const results = await Promise.allSettled([
      ...users.slice(160, 200).map((user) => store().register(event.eventId, user.userId)),
      ...early.slice(0, 10).map((user) => store().cancelRegistration(event.eventId, user.userId, user.userId)),
      store().deleteEvent(event.eventId, organizer.userId),
    ]);
    expect(results.at(-1)?.status).toBe("fulfilled");
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "not_found" });
    }
    expect(await countItems(db())).toBe(before);
    expect(await rejection(store().listRegistrations(event.eventId, { limit: 10 }))).toMatchObject({
      code: "not_found",
    });
  });
});
