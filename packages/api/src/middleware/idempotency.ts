import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../http/env.js";
import { ApiError } from "../http/errors.js";
import type { StoredResponse } from "../http/idempotency.js";
import { IDEMPOTENT_REPLAYED } from "../http/schemas.js";

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,36}$/;
/** Response headers a replay must carry again (the body and status are stored too). */
const REPLAYED_HEADERS = ["content-type", "location", "etag"];

/** Thrown inside the idempotent section for a response that must not be stored (any non-2xx). */
class NotStored extends Error {
  constructor(readonly response: Response) {
    super("response not stored");
  }
}

function fingerprintBody(text: string): unknown {
  if (text.length === 0) return {};
  try {
    return JSON.parse(text); // compared structurally (Powertools sorts keys), so whitespace does not matter
  } catch {
    return { unparsed: createHash("sha256").update(text).digest("base64url") };
  }
}

/**
 * `Idempotency-Key` on the three POST routes (IETF HTTPAPI draft semantics): the first request with a key runs
 * and, if it succeeds, its status and body are kept for 10 minutes; a retry with the same key, caller and body
 * gets them back without a write; a retry while the first is in flight is 409 `request_in_progress`; the key
 * with another body or caller is 422 `idempotency_mismatch`. Failed requests are not kept: retrying them runs
 * again. Runs after authentication, so the caller is known; without the header the route runs as usual.
 */
export const idempotent: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = c.req.header("idempotency-key");
  if (key === undefined) return next();
  const runner = c.var.deps.idempotency;
  if (!runner) return next();
  if (!KEY_PATTERN.test(key)) {
    throw new ApiError("validation_failed", "invalid Idempotency-Key", [
      { path: "header.Idempotency-Key", message: "must be 1–36 characters of A–Z, a–z, 0–9, _ and -" },
    ]);
  }
  const body = await c.req.text();
  let stored: StoredResponse;
  try {
    stored = await runner(
      {
        key: `${c.req.method} ${c.req.routePath} ${c.req.path} ${key}`,
        fingerprint: { caller: c.var.callerId ?? "", body: fingerprintBody(body) },
      },
      async () => {
        await next();
        const response = c.res;
        if (response.status < 200 || response.status > 299) throw new NotStored(response);
        const headers: Record<string, string> = {};
        for (const name of REPLAYED_HEADERS) {
          const value = response.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        return { status: response.status, headers, body: await response.clone().text() };
      },
    );
  } catch (error) {
    if (error instanceof NotStored) {
      c.res = error.response;
      return;
    }
    const name = (error as { name?: string }).name;
    if (name === "IdempotencyAlreadyInProgressError" || name === "IdempotencyInconsistentStateError") {
      throw new ApiError("request_in_progress", "a request with this Idempotency-Key is still being processed");
    }
    if (name === "IdempotencyValidationError") {
      throw new ApiError("idempotency_mismatch", "this Idempotency-Key was used with a different request");
    }
    throw error;
  }
  if (c.finalized) return; // this request ran the handler: its own response stands
  // Through c.body, not `new Response`: the headers middleware set before this point (X-Request-Id) stay on it.
  return c.body(stored.body, stored.status as ContentfulStatusCode, {
    ...stored.headers,
    [IDEMPOTENT_REPLAYED]: "true",
  });
};
