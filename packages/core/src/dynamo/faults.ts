import {
  type DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";

/**
 * Fault injection, for tests only: DynamoDB Local never conflicts, throttles or fails, so a green run on it
 * proves the conditions, not the failure handling. This middleware makes calls fail the ways DynamoDB does.
 * It sits below the SDK's retry step, so the SDK's own retries see the faults exactly as they would see AWS's.
 */
export type FaultKind =
  /** TransactWriteItems cancelled with TransactionConflict (not sent). */
  | "conflict"
  /** ProvisionedThroughputExceededException (not sent; the SDK retries it). */
  | "throttle"
  /** HTTP 500 InternalServerError (not sent; the SDK retries it). */
  | "server-error"
  /** The request is sent and executed, but the answer is lost: the outcome is unknown to the caller. */
  | "timeout-after-write";

export interface FaultOptions {
  /** Probability that a call is hit by a fault, 0–1. */
  rate: number;
  kinds: FaultKind[];
  /** Source of randomness (seedable in tests). */
  random?: () => number;
}

export interface FaultInjector {
  /** How many faults of each kind were injected so far. */
  readonly injected: Record<FaultKind, number>;
  setRate(rate: number): void;
  remove(): void;
}

const metadata = (httpStatusCode: number) => ({ httpStatusCode, attempts: 1, totalRetryDelay: 0 });

function timeoutError(): Error {
  const error = new Error("socket timed out after the request was sent (injected)");
  error.name = "TimeoutError";
  return Object.assign(error, { $metadata: {} });
}

export function injectFaults(client: DynamoDBClient, options: FaultOptions): FaultInjector {
  const random = options.random ?? Math.random;
  let rate = options.rate;
  const injected: Record<FaultKind, number> = { conflict: 0, throttle: 0, "server-error": 0, "timeout-after-write": 0 };
  const name = `tablelabFaults${Math.floor(random() * 1e9)}`;

  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (random() >= rate) return next(args);
      const command = context.commandName ?? "";
      const isTransaction = command === "TransactWriteItemsCommand";
      const candidates = options.kinds.filter((kind) => kind !== "conflict" || isTransaction);
      const kind = candidates[Math.floor(random() * candidates.length)];
      if (!kind) return next(args);
      injected[kind] += 1;
      switch (kind) {
        case "conflict": {
          const items = ((args.input as { TransactItems?: unknown[] }).TransactItems ?? []).length;
          throw new TransactionCanceledException({
            message: "Transaction cancelled (injected)",
            $metadata: metadata(400),
            CancellationReasons: Array.from({ length: items }, (_, index) =>
              index === 0 ? { Code: "TransactionConflict", Message: "injected" } : { Code: "None" },
            ),
          });
        }
        case "throttle":
          throw new ProvisionedThroughputExceededException({
            message: "Rate exceeded (injected)",
            $metadata: metadata(400),
          });
        case "server-error":
          throw new InternalServerError({ message: "Internal server error (injected)", $metadata: metadata(500) });
        case "timeout-after-write": {
          await next(args);
          throw timeoutError();
        }
      }
    },
    // "deserialize" is below the retry middleware (finalizeRequest): retries re-enter here.
    { step: "deserialize", name, priority: "high" },
  );

  return {
    injected,
    setRate: (value) => {
      rate = value;
    },
    remove: () => {
      client.middlewareStack.remove(name);
    },
  };
}
