import type { Store, StoredUser } from "@tablelab/core";
import type { MiddlewareHandler } from "hono";
import { sign, verify } from "hono/jwt";
import type { AppEnv } from "../http/env.js";
import { ApiError } from "../http/errors.js";

/** Tokens live a day: long enough for a demo session, short enough that a leaked one expires. */
export const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

export async function mintToken(userId: string, secret: string, now = Date.now()): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return sign({ sub: userId, iat: issuedAt, exp: issuedAt + TOKEN_LIFETIME_SECONDS }, secret, "HS256");
}

/** The scheme is case-insensitive (RFC 9110 §11.1), the token is one compact JWS. */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

/** Verifies a bearer token: HS256 only (so `alg: none` and other algorithms fail), `exp` required. */
export async function verifyBearer(header: string, secret: string): Promise<string> {
  const match = BEARER.exec(header.trim());
  if (!match?.[1]) throw new ApiError("unauthorized", "expected `Authorization: Bearer <token>`");
  let payload: Record<string, unknown>;
  try {
    payload = await verify(match[1], secret, "HS256");
  } catch {
    throw new ApiError("unauthorized", "invalid or expired token");
  }
  if (typeof payload.exp !== "number") throw new ApiError("unauthorized", "the token has no expiry");
  if (typeof payload.sub !== "string" || payload.sub.length === 0) {
    throw new ApiError("unauthorized", "the token names no user");
  }
  return payload.sub;
}

/**
 * Authentication, per route. `required` routes (every write, and the self-only registrations list) need a
 * token; on public reads a token is optional but, if sent, must be valid. On writes the token's user must
 * exist (one GetItem), so a token for a user that was never created cannot write.
 */
export function authenticate(options: { required: boolean; userMustExist?: boolean }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (header === undefined) {
      if (options.required) throw new ApiError("unauthorized", "this route needs a bearer token");
      return next();
    }
    const userId = await verifyBearer(header, c.var.deps.jwtSecret);
    c.set("callerId", userId);
    if (options.userMustExist) c.set("caller", await existingUser(c.var.deps.store, userId));
    return next();
  };
}

async function existingUser(store: Store, userId: string): Promise<StoredUser> {
  try {
    return await store.getUser(userId);
  } catch (error) {
    if ((error as { code?: string }).code === "not_found") throw new ApiError("unauthorized", "unknown user");
    throw error;
  }
}
