import { Meter, runMetered } from "@tablelab/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/env.js";

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
