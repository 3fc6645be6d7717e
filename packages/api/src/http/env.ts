import type { CopyStrategy, Store, StoredUser } from "@tablelab/core";
import type { DatabaseHealth } from "./database-health.js";
import type { IdempotentRunner } from "./idempotency.js";
import type { Logger } from "./logger.js";

export interface AppDeps {
  store: Store;
  /** The store's copy strategy, named by `/health`; the design's default (DEFAULT_COPIES) when absent. */
  copies?: CopyStrategy;
  jwtSecret: string;
  /** X-Db-* and Server-Timing response headers (api.md: on locally, off in production). */
  dbMetrics: boolean;
  /** Allowed CORS origins; empty means no CORS headers. */
  corsOrigins: string[];
  logger: Logger;
  now: () => Date;
  /** Idempotent POSTs; without it the `Idempotency-Key` header is ignored. */
  idempotency?: IdempotentRunner;
  /** The outcome of recent DynamoDB calls, for `/health`; without it `/health` reports the database "unknown". */
  databaseHealth?: DatabaseHealth;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    callerId?: string;
    caller?: StoredUser;
  };
}
