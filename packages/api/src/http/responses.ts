import type { createRoute } from "@hono/zod-openapi";
import { MAX_SYNC_COPIES, type StoredUser, type User } from "@tablelab/core";
import { ERROR_STATUS, type ErrorCode } from "./errors.js";
import { ErrorSchema } from "./schemas.js";

type Responses = Parameters<typeof createRoute>[0]["responses"];

/** Sent with every 503 and with a 409 `request_in_progress` (not with the other 409s: hence `required` varies). */
const retryAfter = (required: boolean, when: string) => ({
  "Retry-After": {
    required,
    schema: { type: "integer" as const, minimum: 0 },
    description: `seconds to wait before retrying; ${when}`,
  },
});

/** What a code's response says beyond its name: the conditions a client could not guess from the code alone. */
const NOTES: Partial<Record<ErrorCode, string>> = {
  validation_failed: "also for a query parameter or body field the operation does not list",
  too_many_copies: `the change would rewrite more than ${MAX_SYNC_COPIES} stored copies in one request (a rename under COPIES=sync, or an event's date change under COPIES=none); nothing is written`,
};

/** OpenAPI response entries for the error codes a route can answer with (plus the ones every route can). */
export function errorResponses(...codes: ErrorCode[]): Responses {
  const all: ErrorCode[] = [...codes, "validation_failed", "internal_error", "service_unavailable"];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(all)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, statusCodes]) => [
      status,
      {
        description: statusCodes
          .map((code) => (NOTES[code] ? `\`${code}\` (${NOTES[code]})` : `\`${code}\``))
          .join(", "),
        ...(statusCodes.includes("service_unavailable") && { headers: retryAfter(true, "always sent") }),
        ...(statusCodes.includes("request_in_progress") && {
          headers: retryAfter(false, "sent with `request_in_progress` only"),
        }),
        content: { "application/json": { schema: ErrorSchema } },
      },
    ]),
  );
}

/** A user as others see them: `email` only for the user themself. */
export function userView(user: StoredUser, callerId: string | undefined): User {
  if (callerId === user.userId) return user;
  const { email: _hidden, ...publicUser } = user;
  return publicUser;
}

export function etag(version: number): string {
  return `"${version}"`;
}

/**
 * If-Match → the version to expect. `*` matches any version; a weak or malformed tag cannot match a version, so
 * it is a 412 like any other mismatch (represented as -1, which no event has).
 */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined) return undefined;
  const value = ifMatch.trim();
  if (value === "*") return undefined;
  const match = /^"(\d{1,15})"$/.exec(value) ?? /^(\d{1,15})$/.exec(value);
  return match?.[1] ? Number(match[1]) : -1;
}
