import * as z from "zod";
import type { AppEnv } from "../http/env.js";
import { createRoute, OpenAPIHono } from "../http/openapi.js";

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["system"],
  summary: "Liveness; makes no database call",
  responses: {
    200: {
      description: "the service is up",
      content: {
        "application/json": {
          schema: z.object({ status: z.literal("ok"), design: z.enum(["single", "multi"]) }).meta({ id: "Health" }),
        },
      },
    },
  },
});

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(health, (c) =>
  c.json({ status: "ok" as const, design: c.var.deps.store.design }, 200),
);
