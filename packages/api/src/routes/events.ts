import { addDays, daysBetween, LIMITS, today } from "@tablelab/core";
import type { AppEnv } from "../http/env.js";
import { ApiError } from "../http/errors.js";
import { createRoute, OpenAPIHono } from "../http/openapi.js";
import { errorResponses, etag, expectedVersion } from "../http/responses.js";
import {
  CreateEventBody,
  EventIdParam,
  EventPage,
  EventQuery,
  EventSchema,
  EventsQuery,
  EventWithAttendees,
  IdempotencyKeyHeader,
  UpdateEventBody,
} from "../http/schemas.js";
import { validationHook } from "../http/validation.js";
import { authenticate } from "../middleware/auth.js";
import { limitBody, requireJson } from "../middleware/body.js";
import { idempotent } from "../middleware/idempotency.js";
import { validatePathIds } from "../middleware/path-ids.js";

const bearer = [{ bearerAuth: [] }];
const json = <T>(schema: T) => ({ content: { "application/json": { schema } }, required: true });
const etagHeader = { ETag: { schema: { type: "string" as const }, description: "the event's version, quoted" } };

const createEvent = createRoute({
  method: "post",
  path: "/events",
  tags: ["events"],
  summary: "Create an event (AP5); the caller becomes its organizer",
  description: "Accepts an `Idempotency-Key` header.",
  security: bearer,
  middleware: [authenticate({ required: true, userMustExist: true }), limitBody, requireJson(), idempotent] as const,
  request: { body: json(CreateEventBody), headers: IdempotencyKeyHeader },
  responses: {
    201: {
      description: "the event",
      headers: { ...etagHeader, Location: { schema: { type: "string" } } },
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
  tags: ["events"],
  summary: "Events between two dates, by date then eventId (AP7)",
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
  tags: ["events"],
  summary: "Get an event (AP6), optionally with the first page of its registrations (AP15)",
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
  tags: ["events"],
  summary: "Change an event (AP10; organizer only; honours If-Match)",
  security: bearer,
  middleware: [
    validatePathIds,
    authenticate({ required: true, userMustExist: true }),
    limitBody,
    requireJson(),
  ] as const,
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
      "precondition_failed",
      "payload_too_large",
      "unsupported_media_type",
    ),
  },
});

const deleteEvent = createRoute({
  method: "delete",
  path: "/events/{eventId}",
  tags: ["events"],
  summary: "Delete an event and all its registrations (AP11; organizer only)",
  security: bearer,
  middleware: [validatePathIds, authenticate({ required: true, userMustExist: true })] as const,
  request: { params: EventIdParam },
  responses: {
    204: { description: "deleted" },
    ...errorResponses("unauthorized", "forbidden", "not_found"),
  },
});

/** `from` defaults to today (UTC), `to` to from + 30 days; the range is at most 365 days. */
function dateRange(query: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const from = query.from ?? today(now);
  const to = query.to ?? addDays(from, LIMITS.defaultRangeDays);
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
