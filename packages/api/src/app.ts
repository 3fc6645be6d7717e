import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { AppDeps, AppEnv } from "./http/env.js";
import { errorResponse, toErrorResponse } from "./http/errors.js";
import { OpenAPIHono } from "./http/openapi.js";
import { validationHook } from "./http/validation.js";
import { logRequests } from "./middleware/log.js";
import { meterRequests } from "./middleware/metrics.js";
import { docsRoutes } from "./routes/docs.js";
import { eventRoutes } from "./routes/events.js";
import { healthRoutes } from "./routes/health.js";
import { registrationRoutes } from "./routes/registrations.js";
import { userRoutes } from "./routes/users.js";

export type { AppDeps } from "./http/env.js";

const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: {
    title: "tablelab API",
    version: "1.0.0",
    description:
      "Users, events and registrations over DynamoDB — the same contract on the single-table and the " +
      "one-table-per-entity design. Errors are `{ error: { code, message, details? } }`.",
  },
};

/**
 * Builds the whole HTTP API around injected dependencies. No environment reads and no module-level state:
 * the Node server, the Lambda handler and the tests all call this the same way.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "HS256 token from POST /users (or `pnpm token <userId>` locally); `exp` required",
  });

  app.use("*", async (c, next) => {
    c.set("deps", deps);
    return next();
  });
  app.use("*", requestId({ headerName: "X-Request-Id" }));
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
          "X-Request-Id",
          "X-Db-Requests",
          "X-Db-Read-Units",
          "X-Db-Write-Units",
        ],
        maxAge: 600,
      }),
    );
  }

  const routes = app
    .route("/", healthRoutes)
    .route("/", userRoutes)
    .route("/", eventRoutes)
    .route("/", registrationRoutes)
    .route("/", docsRoutes);

  let document: unknown;
  app.get("/openapi.json", (c) => {
    // Built on first request, not at start-up: a cold start that never serves the docs never pays for them.
    document ??= app.getOpenAPI31Document(OPENAPI_INFO);
    return c.json(document);
  });

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
