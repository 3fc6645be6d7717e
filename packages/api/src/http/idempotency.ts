/**
 * Idempotent POSTs (api.md, "Idempotent retries"), on AWS Lambda Powertools' idempotency utility: it records
 * "in progress" with a conditional put, stores the completed response, answers replays from it, and detects a
 * reused key with another payload. Records live in the application's own DynamoDB table(s).
 */
export const IDEMPOTENCY_WINDOW_SECONDS = 10 * 60;

/** What is stored for a completed request and replayed for its retries. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface IdempotentRequest {
  /** Route and client key: what identifies "the same request". */
  key: string;
  /** Caller and body: what must match for a retry to be the same request (else 422). */
  fingerprint: { caller: string; body: unknown };
}

export type IdempotentRunner = (
  request: IdempotentRequest,
  execute: () => Promise<StoredResponse>,
) => Promise<StoredResponse>;
