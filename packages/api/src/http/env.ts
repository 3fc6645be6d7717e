import type { Store, StoredUser } from "@tablelab/core";
import type { IdempotentRunner } from "./idempotency.js";
import type { Logger } from "./logger.js";

export interface AppDeps {
  store: Store;
  jwtSecret: string;
  /** X-Db-* and Server-Timing response headers (api.md: on locally, off in production). */
  dbMetrics: boolean;
  /** Allowed CORS origins; empty means no CORS headers. */
  corsOrigins: string[];
  logger: Logger;
  now: () => Date;
  /** Idempotent POSTs; without it the `Idempotency-Key` header is ignored. */
  idempotency?: IdempotentRunner;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    callerId?: string;
    caller?: StoredUser;
  };
}
