import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../http/env.js";
import { TOKEN_OPTIONAL } from "../http/openapi.js";
import { errorResponses } from "../http/responses.js";
import { authenticate } from "../middleware/auth.js";
import { noQuery } from "../middleware/query.js";

const health = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["system"],
  summary: "Liveness; makes no database call",
  security: TOKEN_OPTIONAL,
  middleware: [authenticate({ required: false }), noQuery] as const,
  responses: {
    200: {
      description: "the service is up",
      content: {
        "application/json": {
          schema: z.object({ status: z.literal("ok"), design: z.enum(["single", "multi"]) }).meta({ id: "Health" }),
        },
      },
    },
    ...errorResponses("unauthorized"),
  },
});

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(health, (c) =>
  c.json({ status: "ok" as const, design: c.var.deps.store.design }, 200),
);
