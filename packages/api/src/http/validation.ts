import type { Hook } from "@hono/zod-openapi";
import { ApiError } from "./errors.js";

interface Issue {
  path: PropertyKey[];
  message: string;
  code?: string;
  keys?: string[];
}

/** Turns zod issues into the contract's `details`: one entry per invalid (or unknown) field with its path. */
export function issuesToDetails(issues: readonly Issue[], target: string) {
  return issues.flatMap((issue) => {
    const base = [target, ...issue.path.map(String)].filter(Boolean).join(".");
    if (issue.code === "unrecognized_keys" && issue.keys) {
      return issue.keys.map((key) => ({ path: `${base}.${key}`, message: "unknown field" }));
    }
    return [{ path: base, message: issue.message }];
  });
}

export function invalidInput(issues: readonly Issue[], where: string): ApiError {
  return new ApiError("validation_failed", `invalid ${where}`, issuesToDetails(issues, where));
}

/** Every route's validation failure becomes the same 400 `validation_failed` with per-field details. */
// biome-ignore lint/suspicious/noExplicitAny: the hook serves every route, whatever its input and env.
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (result.success) return;
  const target = (result as { target?: string }).target ?? "body";
  const where = target === "json" ? "body" : target;
  // An empty or repeated `cursor` is a cursor this API did not issue: the contract's code for that is invalid_cursor.
  if (target === "query" && result.error.issues.every((issue) => issue.path[0] === "cursor")) {
    throw new ApiError("invalid_cursor", "the cursor was not issued for this list");
  }
  throw invalidInput(result.error.issues, where);
};
