import * as z from "zod";
import { TEXT_PROBLEM_MESSAGES, textProblem } from "./text.js";

/** Crockford base32, upper case, 26 characters; the first character ≤ 7 keeps the timestamp within 48 bits. */
export const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** RFC 6531 allows Unicode on both sides of the @; we require a dotted domain and no whitespace or quotes. */
const EMAIL_PATTERN = /^[^\s@"]{1,64}@[^\s@".]+(\.[^\s@".]+)+$/u;

export const LIMITS = {
  userName: 100,
  email: 254,
  eventName: 200,
  description: 2000,
  venue: 200,
  capacity: 100_000,
  pageSize: 100,
  defaultPageSize: 20,
  maxRangeDays: 365,
  defaultRangeDays: 30,
} as const;

/** A trimmed string of min..max characters that passes the shared text rules. */
export function text(min: number, max: number, options: { allowLineBreaks?: boolean } = {}) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .superRefine((value, ctx) => {
      const problem = textProblem(value, options);
      if (problem) ctx.addIssue({ code: "custom", message: TEXT_PROBLEM_MESSAGES[problem] });
    });
}

export const Ulid = z.string().regex(ULID_PATTERN, "must be a ULID (26 upper-case Crockford base32 characters)");

/** Email addresses are stored and compared NFC-normalized and lower-cased: two spellings are one address. */
export function normalizeEmail(raw: string): string {
  return raw.trim().normalize("NFC").toLowerCase();
}

/**
 * JSON Schema's name for an RFC 6531 address (Unicode allowed): what documents (OpenAPI) say the server accepts.
 * Plain `email` (RFC 5321, ASCII) would tell a validating client to refuse addresses the server takes.
 */
export const EMAIL_FORMAT = { format: "idn-email" } as const;

export const Email = text(3, LIMITS.email)
  .transform(normalizeEmail)
  .pipe(z.string().max(LIMITS.email).regex(EMAIL_PATTERN, "must be a valid email address"))
  .meta(EMAIL_FORMAT);

export function isCalendarDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const [year, month, day] = value.split("-").map(Number) as [number, number, number];
  if (year < 1970 || year > 9999) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** JSON Schema's `date` (RFC 3339 full-date) is what `isCalendarDate` checks, within 1970–9999. */
export const DATE_FORMAT = { format: "date" } as const;

export const CalendarDate = z
  .string()
  .refine(isCalendarDate, "must be a real calendar date YYYY-MM-DD between 1970 and 9999")
  .meta(DATE_FORMAT);

export const Capacity = z.number().int().min(1).max(LIMITS.capacity);

export const UserName = text(1, LIMITS.userName);
export const EventName = text(1, LIMITS.eventName);
export const Description = text(0, LIMITS.description, { allowLineBreaks: true });
export const Venue = text(0, LIMITS.venue);
const Timestamp = z.iso.datetime({ precision: 3 });

// ---- Resources (what the store returns and the API serialises) ----

export const User = z.object({
  userId: Ulid,
  name: z.string(),
  email: z.string().meta(EMAIL_FORMAT).optional(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type User = z.infer<typeof User>;
/** Inside the domain a user always has an email; the API hides it from everyone but its owner. */
export type StoredUser = User & { email: string };

export const Event = z.object({
  eventId: Ulid,
  organizerId: Ulid,
  name: z.string(),
  description: z.string().optional(),
  venue: z.string().optional(),
  date: z.string().meta(DATE_FORMAT),
  capacity: z.number().int(),
  registeredCount: z.number().int(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Event = z.infer<typeof Event>;

export const Registration = z.object({
  eventId: Ulid,
  userId: Ulid,
  registeredAt: Timestamp,
  user: z.object({ name: z.string() }),
  event: z.object({ name: z.string(), date: z.string().meta(DATE_FORMAT), venue: z.string().optional() }),
});
export type Registration = z.infer<typeof Registration>;

// ---- Inputs (strict: unknown and server-owned fields are rejected) ----

export const CreateUserInput = z.strictObject({ email: Email, name: UserName });
export type CreateUserInput = z.infer<typeof CreateUserInput>;

const atLeastOneField = (value: object) => Object.keys(value).length > 0;
const NON_EMPTY_PATCH = "the body must change at least one field";
/** What `atLeastOneField` checks, as JSON Schema states it (a refinement alone would not show in a document). */
const NON_EMPTY = { minProperties: 1 } as const;

export const UpdateUserInput = z
  .strictObject({ email: Email.optional(), name: UserName.optional() })
  .refine(atLeastOneField, NON_EMPTY_PATCH)
  .meta(NON_EMPTY);
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

export const CreateEventInput = z.strictObject({
  name: EventName,
  date: CalendarDate,
  capacity: Capacity,
  description: Description.optional(),
  venue: Venue.optional(),
});
export type CreateEventInput = z.infer<typeof CreateEventInput>;

export const UpdateEventInput = z
  .strictObject({
    name: EventName.optional(),
    description: Description.optional(),
    venue: Venue.optional(),
    date: CalendarDate.optional(),
    capacity: Capacity.optional(),
  })
  .refine(atLeastOneField, NON_EMPTY_PATCH)
  .meta(NON_EMPTY);
export type UpdateEventInput = z.infer<typeof UpdateEventInput>;

/** Server-owned attributes: a body naming any of them is refused, so a client can never set them. */
export const SERVER_OWNED_FIELDS = [
  "userId",
  "eventId",
  "organizerId",
  "registeredCount",
  "version",
  "createdAt",
  "updatedAt",
] as const;
