import { InvalidCursorError, itemKeys, measure, type Page, type PageRequest } from "@tablelab/core";
import { beforeAll, describe, expect, it } from "vitest";
import { GRID } from "../support/database.js";
import { collectPages, makeEvent, makeUsers, useDatabase } from "../support/fixtures.js";

/**
 * A cursor is valid only for the list (route, path ids, from/to) it was issued for. Anything else — another
 * list, another user's or event's list, another range, an edited, cut or made-up string, another deployment's
 * secret — is invalid_cursor, found out before any DynamoDB call.
 */
type Lister = (page: PageRequest) => Promise<Page<unknown>>;

describe.each(GRID)("cursors — %s", ({ design, copies }) => {
  const db = useDatabase(design, "cursors", copies);
  const store = () => db().store;

  /** Lists with more than one page, and a real second-page cursor from each. */
  const lists: Record<string, Lister> = {};
  const cursors: Record<string, string> = {};

  beforeAll(async () => {
    const [alice, bob] = await makeUsers(store(), 2);
    const a = alice.userId;
    const b = bob.userId;
    const events = [];
    for (const date of ["2026-11-28", "2026-12-03", "2027-01-02"]) {
      const event = await makeEvent(store(), a, { date, capacity: 5 });
      await makeEvent(store(), b, { date, capacity: 5 });
      for (const user of [a, b]) await store().register(event.eventId, user);
      events.push(event);
    }
    const [e1, e2] = events.map((event) => event.eventId) as [string, string];
    Object.assign(lists, {
      "AP7 2026-11-01..2027-01-31": (page) => store().listEventsByDate({ from: "2026-11-01", to: "2027-01-31" }, page),
      "AP7 2026-11-01..2027-01-30": (page) => store().listEventsByDate({ from: "2026-11-01", to: "2027-01-30" }, page),
      "AP7 2026-11-02..2027-01-31": (page) => store().listEventsByDate({ from: "2026-11-02", to: "2027-01-31" }, page),
      "AP8 alice": (page) => store().listEventsByOrganizer(a, page),
      "AP8 bob": (page) => store().listEventsByOrganizer(b, page),
      "AP14 event 1": (page) => store().listRegistrations(e1, page),
      "AP14 event 2": (page) => store().listRegistrations(e2, page),
      "AP16 alice": (page) => store().listUserRegistrations(a, page),
      "AP16 bob": (page) => store().listUserRegistrations(b, page),
    } satisfies Record<string, Lister>);
    for (const [name, list] of Object.entries(lists)) {
      const first = await list({ limit: 1 });
      expect(first.cursor, `${name} has a second page`).toEqual(expect.any(String));
      cursors[name] = first.cursor as string;
    }
    cursors["AP9 alice"] = (await store().getUserWithEvents(a, { limit: 1 })).events.cursor as string;
    cursors["AP15 event 1"] = (await store().getEventWithAttendees(e1, { limit: 1 })).attendees.cursor as string;
  });

  /** Rejects with InvalidCursorError, having made no DynamoDB call at all. */
  async function expectRefused(list: Lister, cursor: string) {
    const { result, meter } = await measure(() =>
      list({ limit: 5, cursor }).then(
        (page) => page,
        (error: unknown) => error,
      ),
    );
    expect(result).toBeInstanceOf(InvalidCursorError);
    expect(result).toMatchObject({ code: "invalid_cursor" });
    expect(meter.requests).toBe(0);
  }

  it("a cursor continues the list that issued it (an include's cursor continues its list)", async () => {
    const continues: Array<[string, string]> = [
      ...Object.keys(lists).map((name) => [name, name] as [string, string]),
      ["AP9 alice", "AP8 alice"],
      ["AP15 event 1", "AP14 event 1"],
    ];
    for (const [source, target] of continues) {
      const list = lists[target] as Lister;
      const { items: all } = await collectPages(list, [100]);
      const { items: rest } = await collectPages(
        (page) => list({ ...page, cursor: page.cursor ?? cursors[source] }),
        [2],
      );
      expect(all.length, target).toBeGreaterThan(1);
      expect(rest, `${source} → ${target}`).toEqual(all.slice(1));
    }
  });

  it("a cursor from any other list, user, event or date range is refused with zero DynamoDB calls", async () => {
    const names = Object.keys(lists);
    let checked = 0;
    for (const target of names) {
      for (const source of [...names, "AP9 alice", "AP15 event 1"]) {
        if (source === target) continue;
        // An include's cursor belongs to the matching list: AP9 → AP8 of the same user, AP15 → AP14 of its event.
        if (
          (source === "AP9 alice" && target === "AP8 alice") ||
          (source === "AP15 event 1" && target === "AP14 event 1")
        )
          continue;
        await expectRefused(lists[target] as Lister, cursors[source] as string);
        checked++;
      }
    }
    expect(checked).toBe(9 * 10 - 2);
  });

  it("a tampered, truncated, garbage or oversized cursor is refused with zero DynamoDB calls", async () => {
    for (const [name, list] of Object.entries(lists)) {
      const good = cursors[name] as string;
      const [body, signature] = good.split(".") as [string, string];
      const flip = (text: string, at: number) =>
        text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
      const bad = [
        flip(good, 0),
        flip(good, Math.floor(body.length / 2)),
        flip(good, good.length - 1),
        `${Buffer.from(JSON.stringify({ month: "2026-11", inner: null })).toString("base64url")}.${signature}`,
        good.slice(0, -1),
        good.slice(0, good.length / 2),
        body,
        `${body}.`,
        `.${signature}`,
        `${good}.${signature}`,
        `${good}x`,
        ` ${good}`,
        "garbage",
        "....",
        "%00%ff",
        "🎟️.🎟️",
        "a".repeat(5000),
        `${good}${"A".repeat(5000 - good.length)}`,
        Buffer.from(JSON.stringify(itemKeys.event("x"))).toString("base64"),
      ];
      for (const cursor of bad) await expectRefused(list, cursor);
    }
  });

  it("a cursor signed with another secret (another deployment) is refused with zero DynamoDB calls", async () => {
    const other = db().storeWith({ cursorSecret: "another-secret" });
    const first = await other.listEventsByDate({ from: "2026-11-01", to: "2027-01-31" }, { limit: 1 });
    expect(first.cursor).toEqual(expect.any(String));
    await expectRefused(lists["AP7 2026-11-01..2027-01-31"] as Lister, first.cursor as string);
  });
});
