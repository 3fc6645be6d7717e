import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/env.js";
import { ApiError } from "../http/errors.js";
import { NoFieldsBody } from "../http/schemas.js";
import { invalidInput } from "../http/validation.js";

export const MAX_BODY_BYTES = 16 * 1024;

const tooLarge = () => new ApiError("payload_too_large", "the request body is over 16 KiB");

/**
 * 413 for a body over 16 KiB. A declared Content-Length over the limit answers at once; otherwise the bytes
 * actually sent are counted (at most the limit is buffered), because hono's bodyLimit trusts a Content-Length
 * that understates the body and would let any amount through.
 */
export const limitBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const declared = c.req.header("content-length");
  if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return next();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const buffered = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    buffered.set(chunk, offset);
    offset += chunk.byteLength;
  }
  c.req.raw = new Request(c.req.raw, { body: buffered });
  return next();
};

/**
 * The JSON media types (with parameters) that @hono/zod-openapi's body gate and hono's JSON validator both accept:
 * anything this lets through must reach the validator, never be refused by the gate later.
 */
const JSON_MEDIA_TYPE = /^application\/(?:[a-z.-]+\+)?json(?:;\s*[a-zA-Z0-9-]+=[^;]+)*$/i;

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

/**
 * For routes that take no fields (register, the deletes): no body, an empty one, or `{}`. Anything else in the
 * body is a 400 like on every other route (`invalid_json`, or `validation_failed` for a field), never ignored.
 */
export const noFields: MiddlewareHandler<AppEnv> = async (c, next) => {
  const text = await c.req.text();
  if (text.length === 0) return next();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "the request body is not valid JSON");
  }
  const parsed = NoFieldsBody.safeParse(body);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "body");
  return next();
};
