import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { LIMITS } from "@tablelab/core";
import type { AppEnv } from "../http/env.js";
import { ApiError } from "../http/errors.js";
import { TOKEN_OPTIONAL, TOKEN_REQUIRED } from "../http/openapi.js";
import { errorResponses, userView } from "../http/responses.js";
import {
  CreateUserBody,
  EventPage,
  IDEMPOTENCY_KEY_PARAMETER,
  IDEMPOTENT_REPLAYED_HEADER,
  PageQuery,
  RegistrationPage,
  SignUpResponse,
  UpdateUserBody,
  UserIdParam,
  UserQuery,
  UserSchema,
  UserWithEvents,
} from "../http/schemas.js";
import { validationHook } from "../http/validation.js";
import { authenticate, mintToken } from "../middleware/auth.js";
import { limitBody, requireJson } from "../middleware/body.js";
import { idempotent } from "../middleware/idempotency.js";
import { validatePathIds } from "../middleware/path-ids.js";
import { noQuery } from "../middleware/query.js";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } }, required: true });

const signUp = createRoute({
  method: "post",
  path: "/users",
  operationId: "signUp",
  tags: ["users"],
  summary: "Sign up (AP3)",
  description: "Creates a user and returns a token for it. Accepts an `Idempotency-Key` header.",
  // No token is needed, but one that is sent must be valid (api.md: a 401 on any route).
  security: TOKEN_OPTIONAL,
  middleware: [authenticate({ required: false }), limitBody, requireJson(), noQuery, idempotent] as const,
  parameters: [IDEMPOTENCY_KEY_PARAMETER],
  request: { body: json(CreateUserBody) },
  responses: {
    201: {
      description: "the new user and a bearer token",
      headers: IDEMPOTENT_REPLAYED_HEADER,
      content: { "application/json": { schema: SignUpResponse } },
    },
    ...errorResponses(
      "invalid_json",
      "unauthorized",
      "email_taken",
      "payload_too_large",
      "unsupported_media_type",
      "request_in_progress",
      "idempotency_mismatch",
    ),
  },
});

const getUser = createRoute({
  method: "get",
  path: "/users/{userId}",
  operationId: "getUser",
  tags: ["users"],
  summary: "Get a user (AP1), optionally with the first page of the events they organize (AP9)",
  description: "`email` is included only when the caller's token is this user's: a token changes the answer.",
  security: TOKEN_OPTIONAL,
  middleware: [validatePathIds, authenticate({ required: false })] as const,
  request: { params: UserIdParam, query: UserQuery },
  responses: {
    200: { description: "the user", content: { "application/json": { schema: UserWithEvents } } },
    ...errorResponses("unauthorized", "not_found"),
  },
});

const updateUser = createRoute({
  method: "patch",
  path: "/users/{userId}",
  operationId: "updateUser",
  tags: ["users"],
  summary: "Change your name or email (AP4)",
  security: TOKEN_REQUIRED,
  middleware: [
    validatePathIds,
    authenticate({ required: true, userMustExist: true }),
    limitBody,
    requireJson(),
    noQuery,
  ] as const,
  request: { params: UserIdParam, body: json(UpdateUserBody) },
  responses: {
    200: { description: "the updated user", content: { "application/json": { schema: UserSchema } } },
    ...errorResponses(
      "invalid_json",
      "unauthorized",
      "forbidden",
      "not_found",
      "email_taken",
      "too_many_copies",
      "payload_too_large",
      "unsupported_media_type",
    ),
  },
});

const listOrganized = createRoute({
  method: "get",
  path: "/users/{userId}/events",
  operationId: "listUserEvents",
  tags: ["users"],
  security: TOKEN_OPTIONAL,
  summary: "Events the user organizes, by date (AP8)",
  middleware: [validatePathIds, authenticate({ required: false })] as const,
  request: { params: UserIdParam, query: PageQuery },
  responses: {
    200: { description: "a page of events", content: { "application/json": { schema: EventPage } } },
    ...errorResponses("unauthorized", "not_found", "invalid_cursor"),
  },
});

const listUserRegistrations = createRoute({
  method: "get",
  path: "/users/{userId}/registrations",
  operationId: "listUserRegistrations",
  tags: ["users"],
  summary: "Events you are registered for, by date (AP16; self only)",
  security: TOKEN_REQUIRED,
  middleware: [validatePathIds, authenticate({ required: true })] as const,
  request: { params: UserIdParam, query: PageQuery },
  responses: {
    200: { description: "a page of registrations", content: { "application/json": { schema: RegistrationPage } } },
    ...errorResponses("unauthorized", "forbidden", "not_found", "invalid_cursor"),
  },
});

export const userRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(signUp, async (c) => {
    const { store, jwtSecret } = c.var.deps;
    const user = await store.createUser(c.req.valid("json"));
    return c.json({ user, token: await mintToken(user.userId, jwtSecret) }, 201);
  })
  .openapi(getUser, async (c) => {
    const { store } = c.var.deps;
    const { userId } = c.req.valid("param");
    const { include, limit } = c.req.valid("query");
    if (include === "events") {
      const { user, events } = await store.getUserWithEvents(userId, { limit: limit ?? LIMITS.defaultPageSize });
      return c.json({ ...userView(user, c.var.callerId), events }, 200);
    }
    if (limit !== undefined) throw new ApiError("validation_failed", "`limit` applies only with include=events");
    return c.json(userView(await store.getUser(userId), c.var.callerId), 200);
  })
  .openapi(updateUser, async (c) => {
    const { store } = c.var.deps;
    const { userId } = c.req.valid("param");
    const user = await store.updateUser(userId, c.var.callerId as string, c.req.valid("json"));
    return c.json(user, 200);
  })
  .openapi(listOrganized, async (c) => {
    const { userId } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const page = await c.var.deps.store.listEventsByOrganizer(userId, {
      limit: limit ?? LIMITS.defaultPageSize,
      cursor,
    });
    return c.json(page, 200);
  })
  .openapi(listUserRegistrations, async (c) => {
    const { store } = c.var.deps;
    const { userId } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    if (c.var.callerId !== userId) {
      // Check order: a cursor not issued for this list (400) answers before existence (404) and permission
      // (403). Only the store can judge a cursor; the page it reads for that is discarded.
      if (cursor !== undefined) await store.listUserRegistrations(userId, { limit: 1, cursor });
      await store.getUser(userId);
      throw new ApiError("forbidden", "you can only list your own registrations");
    }
    const page = await store.listUserRegistrations(userId, { limit: limit ?? LIMITS.defaultPageSize, cursor });
    return c.json(page, 200);
  });
