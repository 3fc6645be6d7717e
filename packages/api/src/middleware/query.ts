import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/env.js";
import { ApiError } from "../http/errors.js";

const JSON_CONTENT = /^application\/(?:[a-z.-]+\+)?json\b/i;

/**
 * For routes that list no query parameters: any query parameter is a 400 `validation_failed`, as the strict query
 * schemas of the other routes answer one they do not list (a misspelt `limt=5` must not be silently ignored).
 * Malformed JSON comes first in api.md's check order, so with a JSON body still to be parsed by the route's
 * validator, that validator answers a syntax error (`invalid_json`) rather than this.
 */
export const noQuery: MiddlewareHandler<AppEnv> = async (c, next) => {
  const names = [...new Set(new URL(c.req.url).searchParams.keys())];
  if (names.length === 0) return next();
  if (JSON_CONTENT.test(c.req.header("content-type") ?? "")) {
    try {
      await c.req.json();
    } catch {
      return next();
    }
  }
  throw new ApiError(
    "validation_failed",
    "invalid query",
    names.map((name) => ({ path: `query.${name}`, message: "unknown field" })),
  );
};
