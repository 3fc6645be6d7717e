import { inspect } from "node:util";
import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { AppDeps, AppEnv } from "./http/env.js";
import { errorResponse, toErrorResponse } from "./http/errors.js";
import { BEARER_AUTH_SCHEME, buildDocument, REQUEST_ID_HEADER, TOKEN_OPTIONAL } from "./http/openapi.js";
import { errorResponses } from "./http/responses.js";
import { OpenApiDocument } from "./http/schemas.js";
import { validationHook } from "./http/validation.js";
import { authenticate } from "./middleware/auth.js";
import { logRequests } from "./middleware/log.js";
import { meterRequests } from "./middleware/metrics.js";
import { noQuery } from "./middleware/query.js";
import { docsRoutes, registerDocsPaths } from "./routes/docs.js";
import { eventRoutes } from "./routes/events.js";
import { healthRoutes } from "./routes/health.js";
import { registrationRoutes } from "./routes/registrations.js";
import { userRoutes } from "./routes/users.js";

export type { AppDeps } from "./http/env.js";

/**
 * Builds the whole HTTP API around injected dependencies. No environment reads and no module-level state:
 * the Node server, the Lambda handler and the tests all call this the same way.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", BEARER_AUTH_SCHEME);

  app.use("*", async (c, next) => {
    c.set("deps", deps);
    return next();
  });
  app.use("*", requestId({ headerName: REQUEST_ID_HEADER }));
  app.use("*", logRequests());
  app.use("*", meterRequests());
  app.use("*", secureHeaders());
  if (deps.corsOrigins.length > 0) {
    app.use(
      "*",
      cors({
        // "*" (any origin) suits a bearer-token API: no cookies, so no ambient credentials to protect.
        origin: deps.corsOrigins.includes("*") ? "*" : deps.corsOrigins,
        allowHeaders: ["Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Request-Id"],
        exposeHeaders: [
          "ETag",
          "Location",
          "Retry-After",
          REQUEST_ID_HEADER,
          "X-Db-Requests",
          "X-Db-Read-Units",
          "X-Db-Write-Units",
        ],
        maxAge: 600,
      }),
    );
  }

  // Hono hands only Error instances to onError; anything else thrown (a string, a plain object) would escape the
  // app as a rejected promise instead of the contract's 500. Innermost, so logging and metering still see it.
  app.use("*", async (_c, next) => {
    try {
      await next();
    } catch (error) {
      throw error instanceof Error ? error : new Error(`non-Error thrown: ${inspect(error)}`);
    }
  });

  const routes = app
    .route("/", healthRoutes)
    .route("/", userRoutes)
    .route("/", eventRoutes)
    .route("/", registrationRoutes)
    .route("/", docsRoutes);

  let document: unknown;
  app.get("/openapi.json", authenticate({ required: false }), noQuery, (c) => {
    // Built on first request, not at start-up: a cold start that never serves the docs never pays for them.
    document ??= buildDocument(app);
    return c.json(document);
  });
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApiDocument",
    tags: ["system"],
    summary: "This OpenAPI 3.1 document",
    security: TOKEN_OPTIONAL,
    responses: {
      200: {
        description: "this OpenAPI 3.1 document, as JSON",
        content: { "application/json": { schema: OpenApiDocument } },
      },
      ...errorResponses("unauthorized"),
    },
  });
  registerDocsPaths(app.openAPIRegistry);

  app.notFound((c) => errorResponse(c, "not_found", "no such route"));
  app.onError((error, c) =>
    toErrorResponse(c, error, (cause) =>
      deps.logger.error("request failed", {
        requestId: c.var.requestId,
        error:
          cause instanceof Error ? { name: cause.name, message: cause.message, stack: cause.stack } : String(cause),
      }),
    ),
  );
  return routes;
}

export type App = ReturnType<typeof createApp>;
/** For `hc<AppType>()` from `hono/client`: a typed client of every route. */
export type AppType = App;
