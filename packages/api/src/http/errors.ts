import { DomainError, type DomainErrorCode, isUnavailable } from "@tablelab/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every error code of api.md's Errors table with its status: the single source for the app and OpenAPI. */
export const ERROR_STATUS = {
  invalid_json: 400,
  validation_failed: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  email_taken: 409,
  already_registered: 409,
  event_full: 409,
  capacity_conflict: 409,
  too_many_copies: 409,
  request_in_progress: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_mismatch: 422,
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<DomainErrorCode | string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

/** Seconds a client should wait before retrying a 503 or a 409 request_in_progress. */
export const RETRY_AFTER_SECONDS = 1;

/** An error the HTTP layer raises itself (auth, content type, body size…), rendered like every other. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function errorResponse(c: Context, code: ErrorCode, message: string, details?: ErrorDetail[]) {
  const body: ErrorBody = { error: { code, message, ...(details && details.length > 0 && { details }) } };
  if (code === "service_unavailable" || code === "request_in_progress") {
    c.header("Retry-After", String(RETRY_AFTER_SECONDS));
  }
  return c.json(body, ERROR_STATUS[code]);
}

const MALFORMED_JSON = /malformed json/i;

/**
 * Maps anything thrown while handling a request to the contract: domain errors to their codes, a JSON syntax
 * error to `invalid_json`, an unreachable or throttled DynamoDB to 503 with Retry-After, and the rest to a
 * 500 that says nothing about the inside (the log line carries the details).
 */
export function toErrorResponse(c: Context, error: unknown, log: (error: unknown) => void) {
  if (error instanceof ApiError) return errorResponse(c, error.code, error.message, error.details);
  if (error instanceof DomainError) return errorResponse(c, error.code, error.message);
  if (error instanceof HTTPException) {
    if (error.status === 400 && MALFORMED_JSON.test(error.message)) {
      return errorResponse(c, "invalid_json", "the request body is not valid JSON");
    }
    if (error.status === 413) return errorResponse(c, "payload_too_large", "the request body is over 16 KiB");
    if (error.status === 415) {
      return errorResponse(c, "unsupported_media_type", "send the body as Content-Type: application/json");
    }
  }
  if (isUnavailable(error)) {
    log(error);
    return errorResponse(c, "service_unavailable", "the database is unavailable; retry shortly");
  }
  log(error);
  return errorResponse(c, "internal_error", "internal error");
}
