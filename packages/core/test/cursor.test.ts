import { describe, expect, it } from "vitest";
import { CursorCodec } from "../src/cursor.js";
import { InvalidCursorError } from "../src/domain/errors.js";
import { KEYS } from "../src/single-table/layout.js";
import { lists } from "../src/store.js";

const codec = new CursorCodec("secret");
const LIST = lists.eventsByDate({ from: "2026-11-20", to: "2027-02-10" });

function refused(decode: () => unknown) {
  expect(decode).toThrow(InvalidCursorError);
}

describe("CursorCodec", () => {
  it("round-trips any JSON position", () => {
    for (const position of [
      "eyJwayI6IkVWRU5UIzAxIn0=",
      { month: "2026-12", inner: null },
      { month: "2027-01", inner: "abc" },
      [1, "two", { three: 3 }],
      "ünïcødé 🎟 #$",
      0,
    ]) {
      const cursor = codec.encode(LIST, position);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(codec.decode(LIST, cursor)).toEqual(position);
    }
  });

  it("is opaque: the position is not readable as the key layout", () => {
    const cursor = codec.encode(LIST, { pk: `${KEYS.event}01ARZ3NDEKTSV4RRFFQ69G5FAV` });
    expect(cursor).not.toContain(KEYS.event);
    expect(cursor).not.toContain("01ARZ3NDEKTSV4RRFFQ69G5FAV");
  });

  it("is bound to the list it was issued for", () => {
    const cursor = codec.encode(LIST, { month: "2026-12", inner: null });
    for (const other of [
      lists.eventsByDate({ from: "2026-11-20", to: "2027-02-11" }),
      lists.eventsByDate({ from: "2026-11-21", to: "2027-02-10" }),
      lists.eventsByOrganizer("01ARZ3NDEKTSV4RRFFQ69G5FAV"),
      lists.registrationsOfUser("01ARZ3NDEKTSV4RRFFQ69G5FAV"),
      lists.registrationsOfEvent("01ARZ3NDEKTSV4RRFFQ69G5FAV"),
      `${LIST} `,
      "",
    ]) {
      refused(() => codec.decode(other, cursor));
    }
    // The same user id on another route is another list.
    const id = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
    refused(() => codec.decode(lists.registrationsOfUser(id), codec.encode(lists.eventsByOrganizer(id), "x")));
  });

  it("refuses a cursor from a codec with another secret", () => {
    const cursor = new CursorCodec("other secret").encode(LIST, { month: "2026-12", inner: null });
    refused(() => codec.decode(LIST, cursor));
    expect(new CursorCodec("secret").decode(LIST, codec.encode(LIST, 1))).toBe(1);
    expect(new CursorCodec(Buffer.from("secret")).decode(LIST, codec.encode(LIST, 1))).toBe(1);
  });

  it("refuses any edit to the body or the signature", () => {
    const cursor = codec.encode(LIST, { month: "2026-12", inner: "some-inner-cursor" });
    for (let i = 0; i < cursor.length; i++) {
      if (cursor[i] === ".") continue;
      const replacement = cursor[i] === "A" ? "B" : "A";
      refused(() => codec.decode(LIST, cursor.slice(0, i) + replacement + cursor.slice(i + 1)));
    }
    const [, signature] = cursor.split(".");
    const forged = `${Buffer.from(JSON.stringify({ month: "2027-01", inner: null })).toString("base64url")}.${signature}`;
    refused(() => codec.decode(LIST, forged));
  });

  it("refuses truncated cursors of every length", () => {
    const cursor = codec.encode(LIST, { month: "2026-12", inner: "x" });
    for (let length = 0; length < cursor.length; length++) {
      refused(() => codec.decode(LIST, cursor.slice(0, length)));
      refused(() => codec.decode(LIST, cursor.slice(cursor.length - length)));
    }
  });

  it("refuses garbage and extra segments", () => {
    const cursor = codec.encode(LIST, 1);
    for (const garbage of [
      "",
      ".",
      "..",
      "abc",
      "abc.def",
      `${cursor}.`,
      `${cursor}.${cursor}`,
      `.${cursor}`,
      `${cursor} `,
      "🎟.🎟",
      "\u0000.\u0000",
      "eyJhIjoxfQ",
    ]) {
      refused(() => codec.decode(LIST, garbage));
    }
  });

  it("refuses anything longer than the cap, even when genuinely signed", () => {
    refused(() => codec.decode(LIST, "a".repeat(5000)));
    const long = codec.encode(LIST, "x".repeat(2000));
    expect(long.length).toBeGreaterThan(2048);
    refused(() => codec.decode(LIST, long));
    const justUnder = codec.encode(LIST, "x".repeat(1400));
    expect(justUnder.length).toBeLessThanOrEqual(2048);
    expect(codec.decode(LIST, justUnder)).toBe("x".repeat(1400));
  });
});
