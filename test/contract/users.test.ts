import { randomBytes } from "node:crypto";
import {
  CreateUserInput,
  EmailTakenError,
  type Event,
  ForbiddenError,
  KEYS,
  NotFoundError,
  ULID_PATTERN,
  UpdateUserInput,
} from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { eventually } from "../support/convergence.js";
import { GRID } from "../support/database.js";
import { ISO_MS, MISSING_ID, makeEvent, makeUser, rejection, uniqueEmail, useDatabase } from "../support/fixtures.js";
import { countItems } from "../support/items.js";

describe.each(GRID)("users (AP1–AP4) — %s", ({ design, copies }) => {
  const db = useDatabase(design, "users", copies);
  const store = () => db().store;

  describe("AP3 createUser / AP1 getUser", () => {
    it("creates a user with a server-made ULID and timestamps, and reads it back by id", async () => {
      const email = uniqueEmail("ap3");
      const user = await store().createUser(CreateUserInput.parse({ email, name: "  Grace Hopper  " }));
      expect(user).toEqual({
        userId: expect.stringMatching(ULID_PATTERN),
        name: "Grace Hopper",
        email,
        createdAt: expect.stringMatching(ISO_MS),
        updatedAt: user.createdAt,
      });
      expect(await store().getUser(user.userId)).toEqual(user);
    });

    it("AP1: an unknown user id is not_found", async () => {
      const error = await rejection(store().getUser(MISSING_ID));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ code: "not_found", resource: "user" });
    });

    it("refuses an email another user has, in any case or Unicode spelling, and writes nothing", async () => {
      const base = `${uniqueEmail("zoë")}`; // NFC, lower case
      const owner = await makeUser(store(), { email: base, name: "Owner" });
      const variants = [base.toUpperCase(), ` ${base} `, base.normalize("NFD"), base.replace("zoë", "ZOË")];
      const before = await countItems(db());
      for (const email of variants) {
        const error = await rejection(store().createUser(CreateUserInput.parse({ email, name: "Intruder" })));
        expect(error).toBeInstanceOf(EmailTakenError);
        expect(error).toMatchObject({ code: "email_taken" });
      }
      expect(await countItems(db())).toBe(before);
      expect(await store().findUserByEmail(base)).toEqual(owner);
    });

    it("stores the largest valid name and email (multi-byte characters included)", async () => {
      const email = `${"é".repeat(64)}@${"例".repeat(180)}.${randomBytes(4).toString("hex")}`;
      expect(email.length).toBeLessThanOrEqual(254);
      const name = "🎟".repeat(50); // 100 UTF-16 code units, 200 bytes
      const user = await makeUser(store(), { email: email.toUpperCase(), name });
      expect(user).toMatchObject({ email, name });
      expect(await store().getUser(user.userId)).toEqual(user);
      expect(await store().findUserByEmail(email.normalize("NFD"))).toEqual(user);
    });

    it("keeps '#' and '$' in names and emails as plain data", async () => {
      const email = `a#b$c-${Date.now()}@ex$ample.com`;
      const user = await makeUser(store(), { email, name: `${KEYS.user}${KEYS.eventItem} ${KEYS.userInCollection}` });
      expect(user.email).toBe(email.toLowerCase());
      expect(await store().getUser(user.userId)).toEqual(user);
      expect(await store().findUserByEmail(email.toUpperCase())).toEqual(user);
      // A similar-looking address is a different one, not a prefix match.
      expect(await rejection(store().findUserByEmail(email.replace("#", "")))).toBeInstanceOf(NotFoundError);
    });
  });

  describe("AP2 findUserByEmail", () => {
    it("normalizes the address: case, surrounding spaces and NFD spellings find the same user", async () => {
      const email = uniqueEmail("rené");
      const user = await makeUser(store(), { email });
      for (const spelling of [email, email.toUpperCase(), `  ${email}\t`, email.normalize("NFD")]) {
        expect(await store().findUserByEmail(spelling)).toEqual(user);
      }
    });

    it("an unknown address is not_found, however long or odd the input", async () => {
      for (const email of [
        uniqueEmail("nobody"),
        "",
        "   ",
        "not an email",
        "#$",
        "x".repeat(5000),
        "é".repeat(3000),
      ]) {
        const error = await rejection(store().findUserByEmail(email));
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error).toMatchObject({ resource: "user" });
      }
    });
  });

  describe("AP4 updateUser", () => {
    it("renames: AP1 and AP2 show the new name, updatedAt moves, createdAt stays", async () => {
      const user = await makeUser(store(), { name: "Old Name" });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const updated = await store().updateUser(user.userId, user.userId, UpdateUserInput.parse({ name: "New Name" }));
      expect(updated).toEqual({ ...user, name: "New Name", updatedAt: expect.stringMatching(ISO_MS) });
      expect(updated.updatedAt > user.updatedAt).toBe(true);
      expect(await store().getUser(user.userId)).toEqual(updated);
      expect(await store().findUserByEmail(user.email)).toEqual(updated);
    });

    it("changes the email: the new one finds the user, the old one is free for someone else", async () => {
      const user = await makeUser(store());
      const next = uniqueEmail("Moved");
      const updated = await store().updateUser(user.userId, user.userId, UpdateUserInput.parse({ email: next }));
      expect(updated.email).toBe(next.toLowerCase());
      expect(await store().getUser(user.userId)).toEqual(updated);
      expect(await store().findUserByEmail(next)).toEqual(updated);
      expect(await rejection(store().findUserByEmail(user.email))).toBeInstanceOf(NotFoundError);
      const other = await makeUser(store(), { email: user.email, name: "Second owner" });
      expect(await store().findUserByEmail(user.email)).toEqual(other);
    });

    it("changes name and email together, with no orphan email entry left behind", async () => {
      const user = await makeUser(store());
      const before = await countItems(db());
      const next = uniqueEmail("both");
      const updated = await store().updateUser(
        user.userId,
        user.userId,
        UpdateUserInput.parse({ email: next, name: "Both Changed" }),
      );
      expect(updated).toMatchObject({ name: "Both Changed", email: next });
      expect(await store().findUserByEmail(next)).toEqual(updated);
      expect(await countItems(db())).toBe(before);
    });

    it("re-sending the current email in another case changes nothing about uniqueness", async () => {
      const user = await makeUser(store());
      const updated = await store().updateUser(
        user.userId,
        user.userId,
        UpdateUserInput.parse({ email: user.email.toUpperCase() }),
      );
      expect(updated.email).toBe(user.email);
      expect(await store().findUserByEmail(user.email)).toEqual(updated);
    });

    it("refuses another user's email (any spelling) and changes nothing", async () => {
      const taken = await makeUser(store(), { name: "Taker" });
      const user = await makeUser(store(), { name: "Mover" });
      const before = await countItems(db());
      const error = await rejection(
        store().updateUser(
          user.userId,
          user.userId,
          UpdateUserInput.parse({ email: taken.email.toUpperCase(), name: "Renamed Too" }),
        ),
      );
      expect(error).toBeInstanceOf(EmailTakenError);
      expect(await store().getUser(user.userId)).toEqual(user);
      expect(await store().findUserByEmail(user.email)).toEqual(user);
      expect(await store().findUserByEmail(taken.email)).toEqual(taken);
      expect(await countItems(db())).toBe(before);
    });

    it("is self only: another user gets forbidden and nothing changes", async () => {
      const user = await makeUser(store(), { name: "Victim" });
      const other = await makeUser(store(), { name: "Other" });
      for (const changes of [{ name: "Hacked" }, { email: uniqueEmail("hacked") }]) {
        const error = await rejection(store().updateUser(user.userId, other.userId, UpdateUserInput.parse(changes)));
        expect(error).toBeInstanceOf(ForbiddenError);
        expect(error).toMatchObject({ code: "forbidden" });
      }
      expect(await store().getUser(user.userId)).toEqual(user);
      expect(await store().findUserByEmail(user.email)).toEqual(user);
    });

    it("an unknown user is not_found (before any permission check)", async () => {
      const actor = await makeUser(store());
      for (const actorId of [MISSING_ID, actor.userId]) {
        const error = await rejection(store().updateUser(MISSING_ID, actorId, UpdateUserInput.parse({ name: "X" })));
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error).toMatchObject({ resource: "user" });
      }
    });

    it("keeps every copy of the name current: AP14 and AP16 show the new name (stream: once converged)", async () => {
      const organizer = await makeUser(store());
      const attendee = await makeUser(store(), { name: "Before Rename" });
      const events: Event[] = [];
      for (const date of ["2031-01-05", "2031-03-07", "2031-02-01"]) {
        const event = await makeEvent(store(), organizer.userId, { date });
        await store().register(event.eventId, attendee.userId);
        events.push(event);
      }
      await store().updateUser(attendee.userId, attendee.userId, UpdateUserInput.parse({ name: "After Rename" }));
      await eventually(db(), async () => {
        for (const event of events) {
          const page = await store().listRegistrations(event.eventId, { limit: 10 });
          expect(page.items.map((r) => [r.userId, r.user.name])).toEqual([[attendee.userId, "After Rename"]]);
          const included = await store().getEventWithAttendees(event.eventId, { limit: 10 });
          expect(included.attendees.items.map((r) => r.user.name)).toEqual(["After Rename"]);
        }
        const mine = await store().listUserRegistrations(attendee.userId, { limit: 10 });
        expect(mine.items.map((r) => r.user.name)).toEqual(["After Rename", "After Rename", "After Rename"]);
      });
    });
  });
});
