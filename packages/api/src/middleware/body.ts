import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../http/env.js";
import { ApiError } from "../http/errors.js";

export const MAX_BODY_BYTES = 16 * 1024;

export const limitBody: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError("payload_too_large", "the request body is over 16 KiB");
  },
});

const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;.*)?$/i;

async function hasBody(request: Request): Promise<boolean> {
  const length = request.headers.get("content-length");
  if (length !== null) return Number(length) > 0;
  if (!request.body) return false;
  // Chunked or unknown length: look at the bytes (already bounded by the body limit).
  return (await request.clone().arrayBuffer()).byteLength > 0;
}

/**
 * 415 for a body without `Content-Type: application/json`. Hono's validator silently validates `{}` for other
 * content types, so a PATCH with a form body would otherwise "succeed" as a no-op. `optional` routes (register)
 * accept no body at all.
 */
export function requireJson(options: { optional?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const contentType = c.req.header("content-type");
    if (contentType !== undefined && JSON_MEDIA_TYPE.test(contentType)) return next();
    if (options.optional && !(await hasBody(c.req.raw))) return next();
    throw new ApiError("unsupported_media_type", "send the body as Content-Type: application/json");
  };
}
