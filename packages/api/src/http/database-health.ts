import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { isUnavailable } from "@tablelab/core";

/**
 * What the API knows about its database without asking it (api.md: `GET /health` makes no database call): the
 * outcome of the last DynamoDB call the app made, after the SDK's retries. "down" after a call failed as
 * unreachable, throttled or timed out (what the API answers 503 for); "up" after any answer, an error such as a
 * failed condition included; "unknown" before the first call. It changes only with traffic: after an outage,
 * the next data request that succeeds turns it back to "up".
 */
export type DatabaseState = "up" | "down" | "unknown";

export interface DatabaseHealth {
  state(): DatabaseState;
  /** Why it is down ("ECONNREFUSED", "TimeoutError", …) and since when, for the message. */
  lastFailure(): { reason: string; at: Date } | undefined;
}

function reasonOf(error: unknown): string {
  const candidate = error as { code?: string; name?: string; errors?: unknown[]; cause?: unknown };
  const nested = candidate.errors?.[0] ?? candidate.cause;
  return candidate.code ?? (nested && nested !== error ? reasonOf(nested) : (candidate.name ?? "error"));
}

/** Records the outcome of every command the client (and document clients built on it) sends. */
export function trackDatabaseHealth(client: DynamoDBClient): DatabaseHealth {
  let state: DatabaseState = "unknown";
  let failure: { reason: string; at: Date } | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        const result = await next(args);
        state = "up";
        return result;
      } catch (error) {
        if (isUnavailable(error)) {
          state = "down";
          failure = { reason: reasonOf(error), at: new Date() };
        } else state = "up";
        throw error;
      }
    },
    // "initialize" runs once per command, around the retries: the outcome is the one the app sees.
    { step: "initialize", name: "tablelabDatabaseHealth" },
  );
  return { state: () => state, lastFailure: () => (state === "down" ? failure : undefined) };
}
