import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { IdempotencyLayout } from "@tablelab/core";

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

/**
 * Records go where the design's layout says (core/table). Powertools (idempotency, JMESPath, its DynamoDB
 * layer: ≈ 50 KiB of the bundle) is loaded on the first request that carries an `Idempotency-Key`, not at
 * start-up: most requests never need it, and a Lambda cold start should not pay for it.
 */
export function createIdempotencyRunner(
  client: DynamoDBClient,
  table: IdempotencyLayout & { tableName: string },
): IdempotentRunner {
  let runner: Promise<IdempotentRunner> | undefined;
  const load = () => {
    const pending = import("./idempotency-powertools.js").then((module) => module.powertoolsRunner(client, table));
    pending.catch(() => {
      if (runner === pending) runner = undefined; // a failed load is retried by the next request
    });
    return pending;
  };
  return async (request, execute) => {
    runner ??= load();
    return (await runner)(request, execute);
  };
}
