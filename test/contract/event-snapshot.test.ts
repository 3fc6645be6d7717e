import { UpdateEventInput } from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { DESIGNS } from "../support/database.js";
import { makeEvent, makeUser, useDatabase } from "../support/fixtures.js";

/**
 * An event and its seats are two items (the counter no index copies); a capacity change writes both in one
 * transaction. Reads of the pair must never show a state that never existed: the name and capacity of one
 * version side by side. Each change below sets the name to `cap-<capacity>`, so a torn answer is visible.
 */
describe.each(DESIGNS)("event snapshots under capacity changes — %s", (design) => {
  const db = useDatabase(design, "event-snapshot");
  const store = () => db().store;

  it("no read pairs one version's name with another version's capacity", async () => {
    const organizer = await makeUser(store());
    const date = "2026-09-09";
    const event = await makeEvent(store(), organizer.userId, { name: "cap-10", capacity: 10, date });
    let writing = true;
    const seen: Array<{ name: string; capacity: number; via: string }> = [];
    const reader = async () => {
      while (writing) {
        const [one, page, attended] = await Promise.all([
          store().getEvent(event.eventId),
          store().listEventsByDate({ from: date, to: date }, { limit: 10 }),
          store().getEventWithAttendees(event.eventId, { limit: 10 }),
        ]);
        seen.push({ name: one.name, capacity: one.capacity, via: "AP6" });
        for (const listed of page.items) seen.push({ name: listed.name, capacity: listed.capacity, via: "AP7" });
        if (attended.event) seen.push({ name: attended.event.name, capacity: attended.event.capacity, via: "AP15" });
      }
    };
    const writer = async () => {
      for (let i = 1; i <= 30; i++) {
        const capacity = i % 2 === 0 ? 10 : 20;
        const answer = await store().updateEvent(
          event.eventId,
          organizer.userId,
          UpdateEventInput.parse({ name: `cap-${capacity}`, capacity }),
        );
        seen.push({ name: answer.name, capacity: answer.capacity, via: "AP10" });
      }
      writing = false;
    };
    // A PATCH without capacity writes the event item alone and reads the seats beside it for its answer.
    const describer = async () => {
      for (let i = 0; writing; i++) {
        const answer = await store().updateEvent(
          event.eventId,
          organizer.userId,
          UpdateEventInput.parse({ description: `edit ${i}` }),
        );
        seen.push({ name: answer.name, capacity: answer.capacity, via: "AP10 without capacity" });
      }
    };
    await Promise.all([writer(), describer(), reader(), reader(), reader()]);
    const torn = seen.filter(({ name, capacity }) => name !== `cap-${capacity}`);
    expect(seen.length).toBeGreaterThan(60);
    expect(torn).toEqual([]);
  });
});
