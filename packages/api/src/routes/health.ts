import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { COPY_STRATEGIES, DEFAULT_COPIES, TABLE_DESIGNS } from "@tablelab/core";
import type { AppEnv } from "../http/env.js";
import { ApiError } from "../http/errors.js";
import { TOKEN_OPTIONAL } from "../http/openapi.js";
import { errorResponses } from "../http/responses.js";
import { authenticate } from "../middleware/auth.js";
import { noQuery } from "../middleware/query.js";

const health = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["system"],
  summary: "Liveness and the database's state as last seen; makes no database call",
  description:
    "200 while the last DynamoDB call the service made got an answer (or none was made yet: `database` is " +
    '"unknown"); 503 `service_unavailable` while the last one found the database unreachable, throttled or ' +
    "timed out — the state of the data routes, which answer 503 then too. It changes only with traffic.",
  security: TOKEN_OPTIONAL,
  middleware: [authenticate({ required: false }), noQuery] as const,
  responses: {
    200: {
      description: "the service is up",
      content: {
        "application/json": {
          schema: z
            .object({
              status: z.literal("ok"),
              design: z.enum(TABLE_DESIGNS),
              copies: z.enum(COPY_STRATEGIES).meta({
                description:
                  "how registrations keep copies of user and event names: none (joined at read time), sync (in " +
                  "the request) or stream (after the response, from the table's stream)",
              }),
              database: z.enum(["up", "unknown"]),
            })
            .meta({ id: "Health" }),
        },
      },
    },
    ...errorResponses("unauthorized", "service_unavailable"),
  },
});

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(health, (c) => {
  const database = c.var.deps.databaseHealth;
  const failure = database?.lastFailure();
  if (failure) {
    const seconds = Math.round((c.var.deps.now().getTime() - failure.at.getTime()) / 1000);
    throw new ApiError(
      "service_unavailable",
      `the database did not answer the last request (${failure.reason}, ${seconds} s ago)`,
    );
  }
  const state = database?.state() === "up" ? "up" : "unknown";
  const { store, copies = DEFAULT_COPIES[store.design] } = c.var.deps;
  return c.json({ status: "ok" as const, design: store.design, copies, database: state }, 200);
});
