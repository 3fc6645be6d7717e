import { describe, expect, it } from "vitest";
import {
  CalendarDate,
  Capacity,
  CreateEventInput,
  CreateUserInput,
  Description,
  Email,
  EventName,
  LIMITS,
  normalizeEmail,
  SERVER_OWNED_FIELDS,
  Ulid,
  UpdateEventInput,
  UpdateUserInput,
  UserName,
  Venue,
} from "../src/domain/schemas.js";
import { textProblem } from "../src/domain/text.js";

const accepts = (schema: { safeParse(value: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

/** Every code point in [from, to] as a one-character string. */
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
const CONTROL = [...range(0x00, 0x1f), ...range(0x7f, 0x9f)];
const BIDI = [...range(0x202a, 0x202e), ...range(0x2066, 0x2069)];
const LONE_SURROGATES = ["\uD800", "\uDBFF", "\uDC00", "\uDFFF", "a\uD83Db", "\uDE00\uD83D"];

describe("text fields (api.md: trimmed, then no control, bidi or ill-formed characters)", () => {
  const fields = { UserName, EventName, Description, Venue };

  it.each(Object.entries(fields))("%s is trimmed before its length is checked", (_, schema) => {
    expect(schema.parse("  Lovelace \t")).toBe("Lovelace");
    expect(schema.parse("\n inner  spaces stay \r\n")).toBe("inner  spaces stay");
  });

  it.each([
    ["UserName", UserName, 1, LIMITS.userName],
    ["EventName", EventName, 1, LIMITS.eventName],
    ["Description", Description, 0, LIMITS.description],
    ["Venue", Venue, 0, LIMITS.venue],
  ] as const)("%s is %i–%i characters after trimming", (_, schema, min, max) => {
    expect(LIMITS).toMatchObject({ userName: 100, eventName: 200, description: 2000, venue: 200 });
    expect(accepts(schema, "x".repeat(max))).toBe(true);
    expect(accepts(schema, ` ${"x".repeat(max)}  `)).toBe(true);
    expect(accepts(schema, "x".repeat(max + 1))).toBe(false);
    if (min === 0) {
      expect(schema.parse("   ")).toBe("");
    } else {
      expect(accepts(schema, "x")).toBe(true);
      expect(accepts(schema, "")).toBe(false);
      expect(accepts(schema, " \t\n ")).toBe(false);
    }
  });

  it.each(Object.entries(fields))(
    "%s rejects every control character U+0000–U+001F and U+007F–U+009F",
    (name, schema) => {
      expect(CONTROL).toHaveLength(32 + 33);
      for (const character of CONTROL) {
        const allowed = name === "Description" && character === "\n";
        expect(accepts(schema, `a${character}b`), `U+${character.codePointAt(0)?.toString(16)}`).toBe(allowed);
      }
    },
  );

  it("only description may contain line breaks, and only \\n", () => {
    expect(Description.parse("first\nsecond\n\nthird")).toBe("first\nsecond\n\nthird");
    expect(accepts(Description, "first\r\nsecond")).toBe(false);
    for (const schema of [UserName, EventName, Venue]) expect(accepts(schema, "first\nsecond")).toBe(false);
  });

  it.each(Object.entries(fields))("%s rejects bidirectional overrides U+202A–U+202E and U+2066–U+2069", (_, schema) => {
    for (const character of BIDI) expect(accepts(schema, `abc${character}def`)).toBe(false);
    // Neighbours of those ranges are ordinary text.
    for (const character of ["\u202F", "\u2065", "\u206A", "\u200F"]) {
      expect(accepts(schema, `abc${character}def`)).toBe(true);
    }
  });

  it.each(Object.entries(fields))("%s rejects lone surrogates but accepts surrogate pairs", (_, schema) => {
    for (const text of LONE_SURROGATES) expect(accepts(schema, text)).toBe(false);
    expect(accepts(schema, "party 🎉 時間 é")).toBe(true);
  });

  it("textProblem names the first problem found", () => {
    expect(textProblem("ok")).toBeUndefined();
    expect(textProblem("\uD800")).toBe("ill_formed");
    expect(textProblem("a\u0000")).toBe("control_character");
    expect(textProblem("a\nb")).toBe("line_break");
    expect(textProblem("a\nb", { allowLineBreaks: true })).toBeUndefined();
    expect(textProblem("a\u202Eb")).toBe("bidi_override");
  });

  it("rejects non-strings", () => {
    for (const schema of Object.values(fields)) {
      for (const value of [null, undefined, 5, true, ["a"], { a: 1 }]) expect(accepts(schema, value)).toBe(false);
    }
  });
});

describe("calendar dates", () => {
  it.each(["2024-02-29", "2000-02-29", "2026-12-31", "2027-01-01", "1970-01-01", "9999-12-31", "2031-04-30"])(
    "accepts %s",
    (date) => {
      expect(CalendarDate.parse(date)).toBe(date);
    },
  );

  it.each([
    "2031-02-30",
    "2023-02-29",
    "2100-02-29",
    "1900-02-29",
    "2031-04-31",
    "2026-13-01",
    "2026-00-10",
    "2026-01-00",
    "2026-01-32",
    "1969-12-31",
    "0000-01-01",
    "10000-01-01",
    "2026-1-1",
    "26-01-01",
    "2026/01/01",
    "2026-01-01T00:00:00Z",
    " 2026-01-01",
    "2026-01-01 ",
    "２０２６-01-01",
    "",
  ])("rejects %j", (date) => {
    expect(accepts(CalendarDate, date)).toBe(false);
  });

  it("rejects non-strings", () => {
    for (const value of [20260101, new Date("2026-01-01"), null]) expect(accepts(CalendarDate, value)).toBe(false);
  });
});

describe("capacity", () => {
  it("accepts integers 1–100000", () => {
    for (const value of [1, 2, 99_999, 100_000]) expect(Capacity.parse(value)).toBe(value);
  });

  it.each([
    0,
    -1,
    -100,
    100_001,
    1.5,
    0.5,
    1e308,
    -1e308,
    2 ** 53 + 1,
    2 ** 53,
    Number.NaN,
    Infinity,
    -Infinity,
    "5",
    "1",
    null,
    true,
    [5],
  ])("rejects %j", (value) => {
    expect(accepts(Capacity, value)).toBe(false);
  });
});

describe("email", () => {
  it("is trimmed, lower-cased and NFC-normalized, so two spellings are one address", () => {
    expect(Email.parse("  Ada.Lovelace@Example.COM ")).toBe("ada.lovelace@example.com");
    const nfd = "rene\u0301@exa\u0301mple.com";
    const nfc = "ren\u00e9@ex\u00e1mple.com";
    expect(Email.parse(nfd)).toBe(nfc);
    expect(Email.parse(nfc.toUpperCase())).toBe(nfc);
    expect(normalizeEmail(` ${nfd.toUpperCase()} `)).toBe(nfc);
  });

  it.each([
    "用户@例子.广告",
    "δοκιμή@παράδειγμα.δοκιμή",
    "अजय@डाटा.भारत",
    "zoë+tag@exämple.co.uk",
    "a#b$c@ex$ample.com",
    "x@y.z",
  ])("accepts the Unicode or unusual address %s", (email) => {
    expect(Email.parse(email)).toBe(email.normalize("NFC").toLowerCase());
  });

  it("is at most 254 characters", () => {
    const at254 = `${"a".repeat(64)}@${"b".repeat(185)}.com`;
    expect(at254).toHaveLength(254);
    expect(Email.parse(at254)).toBe(at254);
    expect(Email.parse(`  ${at254.toUpperCase()}  `)).toBe(at254);
    expect(accepts(Email, `${"a".repeat(64)}@${"b".repeat(186)}.com`)).toBe(false);
    expect(accepts(Email, `${"a".repeat(65)}@example.com`)).toBe(false);
  });

  it.each([
    "",
    "plain",
    "@example.com",
    "ada@",
    "ada@example",
    "ada@@example.com",
    "ada lovelace@example.com",
    'ada"@example.com',
    "ada@exa mple.com",
    "ada@example..com",
    "ada@.example.com",
    "ada@example.com.",
    "ada\u0000@example.com",
    "ada@example.com\u202E",
    "ada\uD800@example.com",
    "ada\n@example.com",
  ])("rejects %j", (email) => {
    expect(accepts(Email, email)).toBe(false);
  });
});

describe("ULIDs", () => {
  it("accepts 26 upper-case Crockford base32 characters starting 0–7", () => {
    expect(Ulid.parse("01ARZ3NDEKTSV4RRFFQ69G5FAV")).toBe("01ARZ3NDEKTSV4RRFFQ69G5FAV");
    expect(Ulid.parse("7ZZZZZZZZZZZZZZZZZZZZZZZZZ")).toBe("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
  });

  it.each([
    "01arz3ndektsv4rrffq69g5fav",
    "01ARZ3NDEKTSV4RRFFQ69G5FA",
    "01ARZ3NDEKTSV4RRFFQ69G5FAVX",
    "81ARZ3NDEKTSV4RRFFQ69G5FAV",
    "01ARZ3NDEKTSV4RRFFQ69G5FAI",
    "01ARZ3NDEKTSV4RRFFQ69G5FAL",
    "01ARZ3NDEKTSV4RRFFQ69G5FAO",
    "01ARZ3NDEKTSV4RRFFQ69G5FAU",
    "01ARZ3NDEKTSV4RRFFQ69G5#$V",
    " 01ARZ3NDEKTSV4RRFFQ69G5FAV",
  ])("rejects %j", (id) => {
    expect(accepts(Ulid, id)).toBe(false);
  });
});

describe("request bodies", () => {
  const validBodies = {
    CreateUserInput: { email: "ada@example.com", name: "Ada" },
    UpdateUserInput: { name: "Ada" },
    CreateEventInput: { name: "Launch", date: "2026-06-15", capacity: 10 },
    UpdateEventInput: { capacity: 10 },
  };
  const schemas = { CreateUserInput, UpdateUserInput, CreateEventInput, UpdateEventInput };

  it("parse the documented fields", () => {
    expect(CreateUserInput.parse({ email: " Ada@Example.com", name: " Ada " })).toEqual({
      email: "ada@example.com",
      name: "Ada",
    });
    expect(
      CreateEventInput.parse({
        name: " Launch ",
        date: "2026-06-15",
        capacity: 10,
        description: " a\nb ",
        venue: " Hall ",
      }),
    ).toEqual({ name: "Launch", date: "2026-06-15", capacity: 10, description: "a\nb", venue: "Hall" });
    expect(UpdateEventInput.parse({ venue: "" })).toEqual({ venue: "" });
    expect(UpdateUserInput.parse({ email: "NEW@example.com" })).toEqual({ email: "new@example.com" });
  });

  it.each(Object.entries(schemas))("%s rejects unknown fields", (name, schema) => {
    const valid = validBodies[name as keyof typeof validBodies];
    expect(accepts(schema, valid)).toBe(true);
    for (const extra of ["extra", "Name", "email ", "admin", "constructor", "toString"]) {
      expect(accepts(schema, { ...valid, [extra]: "x" }), extra).toBe(false);
    }
  });

  it.each(Object.entries(schemas))("%s rejects every server-owned field", (name, schema) => {
    const valid = validBodies[name as keyof typeof validBodies];
    for (const field of SERVER_OWNED_FIELDS) {
      expect(accepts(schema, { ...valid, [field]: field.endsWith("Id") ? "01ARZ3NDEKTSV4RRFFQ69G5FAV" : 1 })).toBe(
        false,
      );
    }
  });

  it.each(Object.entries(schemas))("%s rejects __proto__ as JSON.parse makes it (an own property)", (name, schema) => {
    const valid = validBodies[name as keyof typeof validBodies];
    const body = JSON.parse(`{"__proto__": {"registeredCount": 5}, ${JSON.stringify(valid).slice(1)}`);
    expect(Object.keys(body)).toContain("__proto__");
    expect(accepts(schema, body)).toBe(false);
    const onlyProto = JSON.parse('{"__proto__": {"name": "x"}}');
    expect(accepts(schema, onlyProto)).toBe(false);
  });

  it.each(Object.entries(schemas))("%s rejects non-object bodies", (_, schema) => {
    for (const body of [null, [], "", "{}", 0, true, [{ name: "Ada" }]]) expect(accepts(schema, body)).toBe(false);
  });

  it("a PATCH must change at least one field", () => {
    expect(accepts(UpdateUserInput, {})).toBe(false);
    expect(accepts(UpdateEventInput, {})).toBe(false);
    expect(accepts(UpdateEventInput, JSON.parse("{}"))).toBe(false);
  });

  it("creation requires every mandatory field", () => {
    expect(accepts(CreateUserInput, { email: "ada@example.com" })).toBe(false);
    expect(accepts(CreateUserInput, { name: "Ada" })).toBe(false);
    for (const missing of ["name", "date", "capacity"]) {
      const body: Record<string, unknown> = { ...validBodies.CreateEventInput };
      delete body[missing];
      expect(accepts(CreateEventInput, body), missing).toBe(false);
    }
  });

  it("field rules apply inside bodies too", () => {
    expect(accepts(CreateEventInput, { ...validBodies.CreateEventInput, capacity: "5" })).toBe(false);
    expect(accepts(CreateEventInput, { ...validBodies.CreateEventInput, date: "2031-02-30" })).toBe(false);
    expect(accepts(UpdateEventInput, { name: "a\u202Eb" })).toBe(false);
    expect(accepts(UpdateEventInput, { description: "a\u0000b" })).toBe(false);
    expect(accepts(UpdateUserInput, { name: "   " })).toBe(false);
    expect(accepts(UpdateUserInput, { email: "not an email" })).toBe(false);
  });
});
