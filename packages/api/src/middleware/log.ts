import type { Meter } from "@tablelab/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/env.js";

/** One structured line per request: method, path, status, duration, request id and DynamoDB requests. */
export function logRequests(): MiddlewareHandler<AppEnv & { Variables: { meter?: Meter } }> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    c.var.deps.logger.info("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      requestId: c.var.requestId,
      dbRequests: c.var.meter?.requests ?? 0,
    });
  };
}
