import { ULID_PATTERN } from "@tablelab/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/env.js";
import { ApiError } from "../http/errors.js";

/**
 * A path id that is not a ULID is a 400 before anything else looks at the request (api.md's check order puts
 * it right after routing, ahead of authentication), and before any database call.
 */
export const validatePathIds: MiddlewareHandler<AppEnv> = async (c, next) => {
  const details = Object.entries(c.req.param() as Record<string, string>)
    .filter(([, value]) => !ULID_PATTERN.test(value))
    .map(([name]) => ({ path: name, message: "must be a ULID (26 upper-case Crockford base32 characters)" }));
  if (details.length > 0) throw new ApiError("validation_failed", "invalid path id", details);
  return next();
};
