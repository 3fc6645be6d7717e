import { z } from "zod";
import { CalendarDate, Ulid } from "../domain/schemas.js";

/**
 * The shapes items must have to be readable, for both designs: what the stores write and the mappers assume.
 * Extra attributes are allowed (DynamoDB is schemaless and a model may add some); missing or mistyped ones are not.
 */
const Timestamp = z.iso.datetime({ precision: 3 });
const Text = z.string();
const Count = z.number().int();

/** A copy's source revision or version; absent on items written before copies carried one (read as 0). */
const Revision = Count.min(0).optional();

export const UserShape = z.object({
  userId: Ulid,
  name: Text.min(1),
  email: Text.min(1),
  revision: Revision,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const EventShape = z.object({
  eventId: Ulid,
  organizerId: Ulid,
  name: Text.min(1),
  description: Text.optional(),
  venue: Text.optional(),
  date: CalendarDate,
  // Absent on an event written before the capacity moved onto it: its seats' is the only one (event-snapshot.ts).
  capacity: Count.min(1).optional(),
  version: Count.min(1),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** An event's seats, in both designs (a `seats` item of the single table, an `EventSeats` row). */
export const SeatsShape = z.object({
  eventId: Ulid,
  organizerId: Ulid,
  capacity: Count.min(1),
  registeredCount: Count,
});

/** Single table: the email marker with its copy of the user. */
export const MarkerShape = z.object({
  email: Text.min(1),
  userId: Ulid,
  name: Text.min(1),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/**
 * The copies a registration may carry, in both designs: absent under COPIES=none, present under sync and stream
 * (whether they are current is checked with the relations, where the strategy is known).
 */
const RegistrationCopies = {
  userName: Text.min(1).optional(),
  userRevision: Revision,
  eventName: Text.min(1).optional(),
  eventVenue: Text.optional(),
  eventVersion: Revision,
};

/**
 * Single table: a registration. `eventDate` is always there: gsi1sk sorts on it (a key, not a display copy).
 * `organizerId` is optional: nothing needs it when the organizer check reads the event.
 */
export const SingleRegistrationShape = z.object({
  eventId: Ulid,
  userId: Ulid,
  registeredAt: Timestamp,
  organizerId: Ulid.optional(),
  eventDate: CalendarDate,
  ...RegistrationCopies,
});

/** Multi-table: the `Emails` row. */
export const EmailRowShape = z.object({ email: Text.min(1), userId: Ulid });

/** Multi-table: an `Events` row carries its index keys. */
export const EventRowShape = EventShape.extend({ month: Text, dateEventId: Text });

/** Multi-table: a `Registrations` row; the event date is always in its `dateEventId` sort key, copies or not. */
export const RegistrationRowShape = z.object({
  eventId: Ulid,
  userId: Ulid,
  registeredAt: Timestamp,
  dateEventId: Text,
  eventDate: CalendarDate.optional(),
  ...RegistrationCopies,
});

/**
 * An AWS Lambda Powertools idempotency record (`status`, `expiration` in epoch seconds, the stored response in
 * `data`, the payload hash in `validation`, the in-flight lock in `in_progress_expiration`).
 */
export const IdempotencyRecordShape = z.object({
  status: z.enum(["INPROGRESS", "COMPLETED", "EXPIRED"]),
  expiration: Count,
  in_progress_expiration: z.number().optional(),
  // The stored response: whatever JSON the idempotent function returned (ours: status, headers, body).
  data: z.unknown().optional(),
  validation: Text.optional(),
});

/** One line per issue: `path: message`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "item"}: ${issue.message}`).join("; ");
}
