import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { addDays, daysBetween, LIMITS, today } from "@tablelab/core";
import type { AppEnv } from "../http/env.js";
import { ApiError } from "../http/errors.js";
import { TOKEN_OPTIONAL, TOKEN_REQUIRED } from "../http/openapi.js";
import { errorResponses, etag, expectedVersion } from "../http/responses.js";
import {
  CreateEventBody,
  EventIdParam,
  EventPage,
  EventQuery,
  EventSchema,
  EventsQuery,
  EventWithAttendees,
  IDEMPOTENCY_KEY_PARAMETER,
  IDEMPOTENT_REPLAYED_HEADER,
  IF_MATCH_PARAMETER,
  NO_FIELDS_DESCRIPTION,
  NO_FIELDS_REQUEST_BODY,
  UpdateEventBody,
} from "../http/schemas.js";
import { validationHook } from "../http/validation.js";
import { authenticate } from "../middleware/auth.js";
import { limitBody, noFields, requireJson } from "../middleware/body.js";
import { idempotent } from "../middleware/idempotency.js";
import { validatePathIds } from "../middleware/path-ids.js";
import { noQuery } from "../middleware/query.js";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } }, required: true });
const etagHeader = { ETag: { schema: { type: "string" as const }, description: "the event's version, quoted" } };

const createEvent = createRoute({
  method: "post",
  path: "/events",
  operationId: "createEvent",
  tags: ["events"],
  summary: "Create an event (AP5); the caller becomes its organizer",
  description: "Accepts an `Idempotency-Key` header.",
  security: TOKEN_REQUIRED,
  middleware: [
    authenticate({ required: true, userMustExist: true }),
    limitBody,
    requireJson(),
    noQuery,
    idempotent,
  ] as const,
  parameters: [IDEMPOTENCY_KEY_PARAMETER],
  request: { body: json(CreateEventBody) },
  responses: {
    201: {
      description: "the event",
      headers: { ...etagHeader, Location: { schema: { type: "string" } }, ...IDEMPOTENT_REPLAYED_HEADER },
      content: { "application/json": { schema: EventSchema } },
    },
    ...errorResponses(
      "invalid_json",
      "unauthorized",
      "payload_too_large",
      "unsupported_media_type",
      "request_in_progress",
      "idempotency_mismatch",
    ),
  },
});

const listEvents = createRoute({
  method: "get",
  path: "/events",
  operationId: "listEvents",
  tags: ["events"],
  summary: "Events between two dates, by date then eventId (AP7)",
  security: TOKEN_OPTIONAL,
  middleware: [authenticate({ required: false })] as const,
  request: { query: EventsQuery },
  responses: {
    200: { description: "a page of events", content: { "application/json": { schema: EventPage } } },
    ...errorResponses("unauthorized", "invalid_cursor"),
  },
});

const getEvent = createRoute({
  method: "get",
  path: "/events/{eventId}",
  operationId: "getEvent",
  tags: ["events"],
  summary: "Get an event (AP6), optionally with the first page of its registrations (AP15)",
  security: TOKEN_OPTIONAL,
  middleware: [validatePathIds, authenticate({ required: false })] as const,
  request: { params: EventIdParam, query: EventQuery },
  responses: {
    200: {
      description: "the event",
      headers: etagHeader,
      content: { "application/json": { schema: EventWithAttendees } },
    },
    ...errorResponses("unauthorized", "not_found"),
  },
});

const updateEvent = createRoute({
  method: "patch",
  path: "/events/{eventId}",
  operationId: "updateEvent",
  tags: ["events"],
  summary: "Change an event (AP10; organizer only; honours If-Match)",
  security: TOKEN_REQUIRED,
  middleware: [
    validatePathIds,
    authenticate({ required: true, userMustExist: true }),
    limitBody,
    requireJson(),
    noQuery,
  ] as const,
  parameters: [IF_MATCH_PARAMETER],
  request: { params: EventIdParam, body: json(UpdateEventBody) },
  responses: {
    200: {
      description: "the updated event",
      headers: etagHeader,
      content: { "application/json": { schema: EventSchema } },
    },
    ...errorResponses(
      "invalid_json",
      "unauthorized",
      "forbidden",
      "not_found",
      "capacity_conflict",
      "too_many_copies",
      "precondition_failed",
      "payload_too_large",
      "unsupported_media_type",
    ),
  },
});

const deleteEvent = createRoute({
  method: "delete",
  path: "/events/{eventId}",
  operationId: "deleteEvent",
  tags: ["events"],
  summary: "Delete an event and all its registrations (AP11; organizer only)",
  description: NO_FIELDS_DESCRIPTION,
  security: TOKEN_REQUIRED,
  middleware: [
    validatePathIds,
    authenticate({ required: true, userMustExist: true }),
    limitBody,
    requireJson({ optional: true }),
    noFields,
    noQuery,
  ] as const,
  request: { params: EventIdParam, body: NO_FIELDS_REQUEST_BODY },
  responses: {
    204: { description: "deleted" },
    ...errorResponses(
      "invalid_json",
      "unauthorized",
      "forbidden",
      "not_found",
      "payload_too_large",
      "unsupported_media_type",
    ),
  },
});

/** The last date an event can have (api.md: dates are in 1970–9999). */
const LAST_DATE = "9999-12-31";

/** `from` defaults to today (UTC), `to` to from + 30 days (at most the last date); the range is at most 365 days. */
function dateRange(query: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const from = query.from ?? today(now);
  const to =
    query.to ??
    (from > addDays(LAST_DATE, -LIMITS.defaultRangeDays) ? LAST_DATE : addDays(from, LIMITS.defaultRangeDays));
  if (to < from)
    throw new ApiError("validation_failed", "invalid query", [
      { path: "query.to", message: "must not be before `from`" },
    ]);
  if (daysBetween(from, to) > LIMITS.maxRangeDays) {
    throw new ApiError("validation_failed", "invalid query", [
      { path: "query.to", message: `must be at most ${LIMITS.maxRangeDays} days after \`from\`` },
    ]);
  }
  return { from, to };
}

export const eventRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createEvent, async (c) => {
    const event = await c.var.deps.store.createEvent(c.var.callerId as string, c.req.valid("json"));
    c.header("Location", `/events/${event.eventId}`);
    c.header("ETag", etag(event.version));
    return c.json(event, 201);
  })
  .openapi(listEvents, async (c) => {
    const query = c.req.valid("query");
    const range = dateRange({ from: query.from, to: query.to }, c.var.deps.now());
    const page = await c.var.deps.store.listEventsByDate(range, {
      limit: query.limit ?? LIMITS.defaultPageSize,
      cursor: query.cursor,
    });
    return c.json(page, 200);
  })
  .openapi(getEvent, async (c) => {
    const { store } = c.var.deps;
    const { eventId } = c.req.valid("param");
    const { include, limit } = c.req.valid("query");
    if (include === "attendees") {
      const { event, attendees } = await store.getEventWithAttendees(eventId, {
        limit: limit ?? LIMITS.defaultPageSize,
      });
      c.header("ETag", etag(event.version));
      return c.json({ ...event, attendees }, 200);
    }
    if (limit !== undefined) throw new ApiError("validation_failed", "`limit` applies only with include=attendees");
    const event = await store.getEvent(eventId);
    c.header("ETag", etag(event.version));
    return c.json(event, 200);
  })
  .openapi(updateEvent, async (c) => {
    const { eventId } = c.req.valid("param");
    const event = await c.var.deps.store.updateEvent(
      eventId,
      c.var.callerId as string,
      c.req.valid("json"),
      expectedVersion(c.req.header("if-match")),
    );
    c.header("ETag", etag(event.version));
    return c.json(event, 200);
  })
  .openapi(deleteEvent, async (c) => {
    const { eventId } = c.req.valid("param");
    await c.var.deps.store.deleteEvent(eventId, c.var.callerId as string);
    return c.body(null, 204);
  });
