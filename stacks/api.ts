import { catalogVersion } from "./catalog";
import type { createDevDatabase } from "./dev-database";
import { API_HANDLER, API_NODE_INSTALL } from "./lambda-package";
import type { Storage } from "./storage";

/**
 * Throttling of the API stage (API Gateway's token bucket, applied before Lambda is invoked; excess → 429).
 * Rate: 100 requests/s steady. A request takes a few tens of ms, so that is ~5–10 concurrent Lambdas, far
 * below the account's default 1,000 concurrent executions, and it caps what a runaway client or a load test
 * pointed at the wrong stage can cost. Burst: 200, two seconds' worth, so a page load that fans out or a
 * short spike is absorbed instead of refused. Raise both before real traffic; they are a guard, not a limit
 * of the design (one DynamoDB partition alone takes ~1,000 writes/s).
 */
export const THROTTLING = { throttlingBurstLimit: 200, throttlingRateLimit: 100 } as const;

/**
 * The whole Hono app in one Lambda behind an HTTP API whose `$default` route sends every request to it.
 * `devDatabase` (from createDevDatabase: `sst dev` with TABLELAB_DEV_DB=local only) points it at DynamoDB Local.
 */
export function createApi(storage: Storage, devDatabase: ReturnType<typeof createDevDatabase>) {
  const secret = new sst.Secret("JwtSecret");

  const handler = new sst.aws.Function("ApiFunction", {
    handler: API_HANDLER,
    runtime: "nodejs24.x",
    // Graviton: ~20% cheaper per GB-second than x86_64 and as fast for this JSON-and-network workload.
    architecture: "arm64",
    // Lambda's CPU share grows with memory. 1024 MB (~0.6 vCPU) keeps the cold start of a ~1 MB bundle
    // (zod, ElectroDB, the DynamoDB SDK) and JSON/schema work short; less memory saves little, as the
    // function runs for tens of milliseconds and is billed per millisecond.
    memory: "1024 MB",
    // The API's DynamoDB client gives up after ~5 s (retries included) and the app answers 503 with
    // Retry-After. 10 s leaves room for that answer (plus a cold start) so Lambda never cuts a request off
    // with a bare error, and stays well below API Gateway's 30 s integration timeout, so the gateway never
    // times out first either.
    timeout: "10 seconds",
    // The tables of the design (`Resource.Table.name`, or `Resource.Users.name`, … for "multi") and the
    // token secret (`Resource.JwtSecret.value`). Linking also grants read/write on the tables and their indexes.
    link: [...Object.values(storage.tables), secret],
    environment: {
      TABLE_DESIGN: storage.design,
      COPIES: storage.copies,
      // The X-Db-* headers reveal the data layout; production leaves them off (spec: Configuration).
      DB_METRICS: storage.production ? "0" : "1",
      // CORS is configured once, in the Hono app, which reads CORS_ORIGINS: the same code then answers
      // preflights in `pnpm dev`, in the HTTP tests and on Lambda, and API Gateway CORS is off (`cors: false`
      // below) — with both on, responses carry Access-Control-Allow-Origin twice and browsers reject them.
      // "*" by default: the API authenticates with bearer tokens, never cookies, so any origin may call it.
      CORS_ORIGINS: process.env.CORS_ORIGINS ?? "*",
      ...(devDatabase && { DYNAMODB_ENDPOINT: devDatabase.endpoint }),
    },
    logging: { retention: "1 month" },
    nodejs: {
      // The /docs page serves swagger-ui-dist's files from its package directory at run time, which a
      // bundle cannot hold: SST leaves it out of the bundle (external) and npm-installs it into the
      // function package's node_modules, at the version pinned in the catalog.
      install: Object.fromEntries(API_NODE_INSTALL.map((name) => [name, catalogVersion(name)])),
      // Nothing else: every option here must be one scripts/lambda-build.ts reproduces (test/infra/bundle.test.ts
      // fails otherwise). What the bundle leaves out of zod and ElectroDB is done by patches/, which every build sees.
    },
  });

  const gateway = new sst.aws.ApiGatewayV2("Api", {
    cors: false,
    accessLog: { retention: "1 month" },
    transform: { stage: { defaultRouteSettings: THROTTLING } },
  });
  gateway.route("$default", handler.arn);

  return { gateway, handler, secret };
}
