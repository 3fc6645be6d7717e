/**
 * Domain errors: what went wrong in terms a caller can act on. Each carries the contract's error code, so the
 * HTTP layer maps them without a lookup table of its own.
 */
export type DomainErrorCode =
  | "not_found"
  | "email_taken"
  | "already_registered"
  | "event_full"
  | "capacity_conflict"
  | "too_many_copies"
  | "precondition_failed"
  | "forbidden"
  | "invalid_cursor";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(readonly resource: "user" | "event" | "registration") {
    super("not_found", `${resource} not found`);
  }
}
export class EmailTakenError extends DomainError {
  constructor() {
    super("email_taken", "another user has this email");
  }
}
export class AlreadyRegisteredError extends DomainError {
  constructor() {
    super("already_registered", "the user is already registered for this event");
  }
}
export class EventFullError extends DomainError {
  constructor() {
    super("event_full", "the event is full");
  }
}
export class CapacityConflictError extends DomainError {
  constructor(readonly registeredCount: number) {
    super("capacity_conflict", `capacity cannot go below the ${registeredCount} registrations already made`);
  }
}
/**
 * A change whose copies (COPIES=sync) would take more writes than one request may make: refused before anything
 * is written. The stream strategy has no such limit (its consumer works after the response).
 */
export class TooManyCopiesError extends DomainError {
  constructor(
    readonly copies: number,
    readonly limit: number,
  ) {
    super(
      "too_many_copies",
      `this change would rewrite ${copies > limit ? `more than ${limit}` : copies} stored copies, more than the ${limit} one request may write (COPIES=sync); deployments with COPIES=stream have no such limit`,
    );
  }
}
export class PreconditionFailedError extends DomainError {
  constructor(readonly currentVersion: number) {
    super("precondition_failed", "If-Match does not match the current version");
  }
}
export class ForbiddenError extends DomainError {
  constructor(message = "not allowed to change this resource") {
    super("forbidden", message);
  }
}
export class InvalidCursorError extends DomainError {
  constructor() {
    super("invalid_cursor", "the cursor was not issued for this list");
  }
}

/** The database could not be reached or kept throttling/conflicting past our retries: a retryable outage. */
export class UnavailableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = "UnavailableError";
  }
}
