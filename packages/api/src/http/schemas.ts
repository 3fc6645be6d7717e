import { z } from "@hono/zod-openapi";
import {
  CreateEventInput,
  CreateUserInput,
  DATE_FORMAT,
  Event,
  isCalendarDate,
  LIMITS,
  Registration,
  ULID_PATTERN,
  UpdateEventInput,
  UpdateUserInput,
  User,
} from "@tablelab/core";
import { ERROR_STATUS } from "./errors.js";

/**
 * HTTP-facing schemas: the core's zod schemas (the one source of truth for field rules) registered under
 * OpenAPI component names, plus what only HTTP has (path params, query strings, pages, errors).
 */
export const UserSchema = User.meta({ id: "User" });
export const EventSchema = Event.meta({ id: "Event" });
export const RegistrationSchema = Registration.meta({ id: "Registration" });
export const CreateUserBody = CreateUserInput.meta({ id: "CreateUserInput" });
export const UpdateUserBody = UpdateUserInput.meta({ id: "UpdateUserInput" });
export const CreateEventBody = CreateEventInput.meta({ id: "CreateEventInput" });
export const UpdateEventBody = UpdateEventInput.meta({ id: "UpdateEventInput" });
/** Registering and deleting take no fields (the caller and the path say it all). An empty body or `{}` is accepted. */
export const NoFieldsBody = z.strictObject({});
export const NO_FIELDS_DESCRIPTION =
  "Takes no fields: send no body, or `{}` as JSON (tolerated for clients that always send one). Any field is a " +
  "400 `validation_failed`, malformed JSON a 400 `invalid_json`, another content type a 415.";
/**
 * NoFieldsBody as the routes document it: an optional JSON body with no properties. A plain JSON schema, so
 * @hono/zod-openapi adds no validator of its own: the `noFields` middleware parses the body, because the
 * validator for an optional body would skip a body sent without a content type instead of answering 415.
 */
export const NO_FIELDS_REQUEST_BODY = {
  required: false,
  content: { "application/json": { schema: { type: "object", properties: {}, additionalProperties: false } } },
} as const;

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...Array<keyof typeof ERROR_STATUS>]),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: "Error" });

// zod 4 attaches methods per instance, so only schemas made with the extended `z` below have `.openapi()`;
// they reuse the core's rules (ULID_PATTERN, isCalendarDate) rather than restating them.
const pathId = (name: string) =>
  z
    .string()
    .regex(ULID_PATTERN, "must be a ULID (26 upper-case Crockford base32 characters)")
    .openapi({ param: { name, in: "path" }, example: "01JD5Z7Q8X3M4N5P6R7S8T9V0W" });
const queryDate = (name: string, description: string) =>
  z
    .string()
    .refine(isCalendarDate, "must be a real calendar date YYYY-MM-DD between 1970 and 9999")
    .optional()
    .openapi({ param: { name, in: "query" }, description, example: "2026-06-15", ...DATE_FORMAT });

export const UserIdParam = z.object({ userId: pathId("userId") });
export const EventIdParam = z.object({ eventId: pathId("eventId") });
export const RegistrationParams = z.object({ eventId: pathId("eventId"), userId: pathId("userId") });

/** Query strings are strings: `limit` is parsed strictly (digits only), never coerced from "1e2" or " 5". */
export const Limit = z
  .string()
  .regex(/^\d{1,3}$/, "must be an integer from 1 to 100")
  .transform(Number)
  .pipe(z.number().int().min(1).max(LIMITS.pageSize))
  .optional()
  .openapi({ param: { name: "limit", in: "query" }, type: "integer", minimum: 1, maximum: 100, default: 20 });

/**
 * Any non-empty string: whether it is a cursor this API issued for this list (and its length) is the store's
 * cursor codec to judge, so a 5,000-character or empty cursor is `invalid_cursor` like any other forged one
 * (the validation hook maps a failure of this schema to that code).
 */
export const Cursor = z
  .string()
  .min(1)
  .optional()
  .openapi({ param: { name: "cursor", in: "query" }, description: "opaque cursor from the previous page" });

export const PageQuery = z.strictObject({ limit: Limit, cursor: Cursor });

export const EventsQuery = z.strictObject({
  from: queryDate("from", "first date, inclusive; default: today (UTC)"),
  to: queryDate("to", "last date, inclusive; default: from + 30 days; at most 365 days after from"),
  limit: Limit,
  cursor: Cursor,
});

export const UserQuery = z.strictObject({
  include: z
    .enum(["events"])
    .optional()
    .openapi({ param: { name: "include", in: "query" } }),
  limit: Limit,
});
export const EventQuery = z.strictObject({
  include: z
    .enum(["attendees"])
    .optional()
    .openapi({ param: { name: "include", in: "query" } }),
  limit: Limit,
});

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), cursor: z.string().nullable() }).meta({ id });
}
export const EventPage = pageOf(EventSchema, "EventPage");
export const RegistrationPage = pageOf(RegistrationSchema, "RegistrationPage");
export const UserWithEvents = UserSchema.extend({ events: EventPage.optional() }).meta({ id: "UserWithEvents" });
export const EventWithAttendees = EventSchema.extend({ attendees: RegistrationPage.optional() }).meta({
  id: "EventWithAttendees",
});
/** The 200 of `GET /openapi.json`: an object (an OpenAPI 3.1 document), not a string. */
export const OpenApiDocument = z
  .looseObject({
    openapi: z.string().regex(/^3\.1\.\d+$/),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.looseObject({})),
  })
  .meta({ id: "OpenApiDocument", description: "an OpenAPI 3.1 document" });
export const SignUpResponse = z.object({ user: UserSchema, token: z.string() }).meta({ id: "SignUpResponse" });

/**
 * Header parameters, documented on the operation rather than declared as `request.headers`: a zod header schema
 * would make `header` a required argument of every call of the typed client (`hc<AppType>`), breaking
 * `api.users.$post({ json })`. Their middleware (idempotency) or handler (If-Match) reads and checks them.
 */
export const IF_MATCH_PARAMETER = {
  name: "If-Match",
  in: "header",
  required: false,
  schema: { type: "string" },
  description: 'the event\'s ETag (`"<version>"`) or `*`; a PATCH with another version is a 412',
  example: '"3"',
} as const;

export const IDEMPOTENCY_KEY_PARAMETER = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  schema: { type: "string", pattern: "^[A-Za-z0-9_-]{1,36}$" },
  description:
    "1–36 characters of [A-Za-z0-9_-]. A retry with the same key, caller and body within 10 minutes returns the " +
    "first response without writing; while the first is in flight: 409 request_in_progress; another body or " +
    "caller: 422 idempotency_mismatch.",
} as const;

export const IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
/** On the success response of the idempotent POSTs: marks a replay of the first response. */
export const IDEMPOTENT_REPLAYED_HEADER = {
  [IDEMPOTENT_REPLAYED]: {
    required: false,
    schema: { type: "string" as const, enum: ["true"] },
    description: "`true` when this is the stored response of an earlier request with the same Idempotency-Key",
  },
};
