import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { LIMITS } from "@tablelab/core";
import type { AppEnv } from "../http/env.js";
import { TOKEN_OPTIONAL, TOKEN_REQUIRED } from "../http/openapi.js";
import { errorResponses } from "../http/responses.js";
import {
  EventIdParam,
  IDEMPOTENCY_KEY_PARAMETER,
  IDEMPOTENT_REPLAYED_HEADER,
  NO_FIELDS_DESCRIPTION,
  NO_FIELDS_REQUEST_BODY,
  PageQuery,
  RegistrationPage,
  RegistrationParams,
  RegistrationSchema,
} from "../http/schemas.js";
import { validationHook } from "../http/validation.js";
import { authenticate } from "../middleware/auth.js";
import { limitBody, noFields, requireJson } from "../middleware/body.js";
import { idempotent } from "../middleware/idempotency.js";
import { validatePathIds } from "../middleware/path-ids.js";
import { noQuery } from "../middleware/query.js";

const register = createRoute({
  method: "post",
  path: "/events/{eventId}/registrations",
  operationId: "register",
  tags: ["registrations"],
  summary: "Register yourself for an event (AP12); never oversells",
  description: `${NO_FIELDS_DESCRIPTION} Accepts an \`Idempotency-Key\` header.`,
  security: TOKEN_REQUIRED,
  middleware: [
    validatePathIds,
    authenticate({ required: true, userMustExist: true }),
    limitBody,
    requireJson({ optional: true }),
    noFields,
    noQuery,
    idempotent,
  ] as const,
  parameters: [IDEMPOTENCY_KEY_PARAMETER],
  request: { params: EventIdParam, body: NO_FIELDS_REQUEST_BODY },
  responses: {
    201: {
      description: "the registration",
      headers: { Location: { schema: { type: "string" } }, ...IDEMPOTENT_REPLAYED_HEADER },
      content: { "application/json": { schema: RegistrationSchema } },
    },
    ...errorResponses(
      "invalid_json",
      "unauthorized",
      "not_found",
      "already_registered",
      "event_full",
      "payload_too_large",
      "unsupported_media_type",
      "request_in_progress",
      "idempotency_mismatch",
    ),
  },
});

const listRegistrations = createRoute({
  method: "get",
  path: "/events/{eventId}/registrations",
  operationId: "listRegistrations",
  tags: ["registrations"],
  summary: "An event's registrations with attendee names, by userId (AP14)",
  security: TOKEN_OPTIONAL,
  middleware: [validatePathIds, authenticate({ required: false })] as const,
  request: { params: EventIdParam, query: PageQuery },
  responses: {
    200: { description: "a page of registrations", content: { "application/json": { schema: RegistrationPage } } },
    ...errorResponses("unauthorized", "not_found", "invalid_cursor"),
  },
});

const cancel = createRoute({
  method: "delete",
  path: "/events/{eventId}/registrations/{userId}",
  operationId: "cancelRegistration",
  tags: ["registrations"],
  summary: "Cancel a registration (AP13; the attendee or the organizer); frees the seat",
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
  request: { params: RegistrationParams, body: NO_FIELDS_REQUEST_BODY },
  responses: {
    204: { description: "cancelled" },
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

export const registrationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(register, async (c) => {
    const { eventId } = c.req.valid("param");
    const userId = c.var.callerId as string;
    const registration = await c.var.deps.store.register(eventId, userId);
    c.header("Location", `/events/${eventId}/registrations/${userId}`);
    return c.json(registration, 201);
  })
  .openapi(listRegistrations, async (c) => {
    const { eventId } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const page = await c.var.deps.store.listRegistrations(eventId, { limit: limit ?? LIMITS.defaultPageSize, cursor });
    return c.json(page, 200);
  })
  .openapi(cancel, async (c) => {
    const { eventId, userId } = c.req.valid("param");
    await c.var.deps.store.cancelRegistration(eventId, userId, c.var.callerId as string);
    return c.body(null, 204);
  });
