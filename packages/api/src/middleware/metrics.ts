import { Meter, runMetered } from "@tablelab/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/env.js";

/** The response headers set below, as OpenAPI header objects (sent only when metrics are on, hence optional). */
export const DB_METRIC_HEADERS = {
  "X-Db-Requests": {
    required: false,
    description: "DynamoDB calls made for this request (when database metrics are on: DB_METRICS)",
    schema: { type: "integer", minimum: 0 },
  },
  "X-Db-Read-Units": {
    required: false,
    description: "read capacity units consumed, as DynamoDB reported them (when database metrics are on)",
    schema: { type: "number", minimum: 0 },
  },
  "X-Db-Write-Units": {
    required: false,
    description: "write capacity units consumed, as DynamoDB reported them (when database metrics are on)",
    schema: { type: "number", minimum: 0 },
  },
  "Server-Timing": {
    required: false,
    description: "includes `db;dur=<milliseconds>`, time spent in DynamoDB calls (when database metrics are on)",
    schema: { type: "string" },
  },
} as const;

/**
 * Meters every DynamoDB call made while handling the request (the core's meter sits on the client) and, when
 * metrics are on, reports them: X-Db-Requests, X-Db-Read-Units, X-Db-Write-Units and Server-Timing `db`.
 * The meter is also what the request log line reads.
 */
export function meterRequests(): MiddlewareHandler<AppEnv & { Variables: { meter: Meter } }> {
  return async (c, next) => {
    const meter = new Meter();
    c.set("meter", meter);
    await runMetered(meter, next);
    if (!c.var.deps.dbMetrics) return;
    c.header("X-Db-Requests", String(meter.requests));
    c.header("X-Db-Read-Units", String(meter.readUnits));
    c.header("X-Db-Write-Units", String(meter.writeUnits));
    c.header("Server-Timing", `db;dur=${meter.durationMs.toFixed(1)}`, { append: true });
  };
}
