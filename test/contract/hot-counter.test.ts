import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { eventsTable, itemKeys, type Meter, measure, singleTable, UpdateEventInput } from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { GRID } from "../support/database.js";
import { makeEvent, makeUser, makeUsers, useDatabase } from "../support/fixtures.js";

/**
 * Issue 12 §3, "hot counter": a registration or a cancellation must not rewrite the event item, whose copies
 * the date and organizer indexes hold — the seat count lives in a seats record no index copies. Prints what a
 * registration, a cancellation and the event reads cost, for docs/comparison.md's "Hot counter" section.
 */
describe.each(GRID)("hot counter — %s", ({ design, copies }) => {
  const db = useDatabase(design, "hot-counter", copies);
  const store = () => db().store;

  /** The event item as stored (keys and index keys included), read past the store. */
  async function storedEvent(eventId: string) {
    const { Item } = await db().clients.document.send(
      design === "single"
        ? new GetCommand({
            TableName: db().tableNames[singleTable.id],
            Key: itemKeys.event(eventId),
            ConsistentRead: true,
          })
        : new GetCommand({ TableName: db().tableNames[eventsTable.id], Key: { eventId }, ConsistentRead: true }),
    );
    return Item;
  }

  const figures = (meter: Meter) => ({
    requests: meter.requests,
    readUnits: meter.readUnits,
    writeUnits: meter.writeUnits,
    transactionItems: meter.calls.reduce((sum, call) => sum + call.transactionItems, 0),
  });

  it("registering and cancelling leave the event item untouched, and the event still counts its seats", async () => {
    const organizer = await makeUser(store());
    const [first, second] = await makeUsers(store(), 2);
    const created = await measure(() => makeEvent(store(), organizer.userId, { capacity: 2, date: "2026-08-14" }));
    const event = created.result;
    const before = await storedEvent(event.eventId);

    const register = await measure(() => store().register(event.eventId, first.userId));
    await store().register(event.eventId, second.userId);
    const cancel = await measure(() => store().cancelRegistration(event.eventId, second.userId, second.userId));

    expect(await storedEvent(event.eventId)).toEqual(before);
    expect(await store().getEvent(event.eventId)).toMatchObject({ capacity: 2, registeredCount: 1, version: 1 });

    const reads = {
      AP6: figures((await measure(() => store().getEvent(event.eventId))).meter),
      AP7: figures(
        (await measure(() => store().listEventsByDate({ from: "2026-08-14", to: "2026-08-14" }, { limit: 10 }))).meter,
      ),
      AP8: figures((await measure(() => store().listEventsByOrganizer(organizer.userId, { limit: 10 }))).meter),
      AP9: figures((await measure(() => store().getUserWithEvents(organizer.userId, { limit: 10 }))).meter),
      AP15: figures((await measure(() => store().getEventWithAttendees(event.eventId, { limit: 10 }))).meter),
    };
    const capacity = await measure(() =>
      store().updateEvent(event.eventId, organizer.userId, UpdateEventInput.parse({ capacity: 3 }), 1),
    );
    console.log(
      `hot-counter figures ${design}+${copies}: ${JSON.stringify({
        AP5: figures(created.meter),
        AP12: figures(register.meter),
        AP13: figures(cancel.meter),
        AP10capacity: figures(capacity.meter),
        ...reads,
      })}`,
    );
  });
});
