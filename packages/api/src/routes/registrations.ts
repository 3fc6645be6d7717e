import { LIMITS } from "@tablelab/core";
import type { AppEnv } from "../http/env.js";
import { ApiError } from "../http/errors.js";
import { createRoute, OpenAPIHono } from "../http/openapi.js";
import { errorResponses } from "../http/responses.js";
import {
  EventIdParam,
  IdempotencyKeyHeader,
  PageQuery,
  RegisterBody,
  RegistrationPage,
  RegistrationParams,
  RegistrationSchema,
} from "../http/schemas.js";
import { invalidInput, validationHook } from "../http/validation.js";
import { authenticate } from "../middleware/auth.js";
import { limitBody, requireJson } from "../middleware/body.js";
import { idempotent } from "../middleware/idempotency.js";
import { validatePathIds } from "../middleware/path-ids.js";

const bearer = [{ bearerAuth: [] }];

const register = createRoute({
  method: "post",
  path: "/events/{eventId}/registrations",
  tags: ["registrations"],
  summary: "Register yourself for an event (AP12); never oversells",
  description: "No body is needed (an empty body or `{}`). Accepts an `Idempotency-Key` header.",
  security: bearer,
  middleware: [
    validatePathIds,
    authenticate({ required: true, userMustExist: true }),
    limitBody,
    requireJson({ optional: true }),
    idempotent,
  ] as const,
  request: { params: EventIdParam, headers: IdempotencyKeyHeader },
  responses: {
    201: {
      description: "the registration",
      headers: { Location: { schema: { type: "string" } } },
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
  tags: ["registrations"],
  summary: "An event's registrations with attendee names, by userId (AP14)",
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
  tags: ["registrations"],
  summary: "Cancel a registration (AP13; the attendee or the organizer); frees the seat",
  security: bearer,
  middleware: [validatePathIds, authenticate({ required: true, userMustExist: true })] as const,
  request: { params: RegistrationParams },
  responses: {
    204: { description: "cancelled" },
    ...errorResponses("unauthorized", "forbidden", "not_found"),
  },
});

/** The register body is optional, so it is parsed here rather than by a `json` validator that would demand one. */
async function readOptionalBody(text: string): Promise<unknown> {
  if (text.length === 0) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "the request body is not valid JSON");
  }
}

export const registrationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(register, async (c) => {
    const body = RegisterBody.safeParse(await readOptionalBody(await c.req.text()));
    if (!body.success) throw invalidInput(body.error.issues, "body");
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
