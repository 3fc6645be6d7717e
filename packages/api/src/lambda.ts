import { handle } from "hono/aws-lambda";
import { loadConfig } from "./config.js";
import { buildRuntime } from "./runtime.js";

/**
 * The Lambda entry point (API Gateway HTTP API, payload 2.0). Client, store and app are built once per
 * execution environment, outside the handler, so warm invocations reuse the DynamoDB connections.
 */
const config = loadConfig();
if (!config.jwtSecret) {
  // A deployed stage must never fall back to a guessable secret: refuse to start instead.
  throw new Error("JWT_SECRET is not configured: set it with `sst secret set JwtSecret <value>`");
}
const { app } = buildRuntime({ ...config, jwtSecret: config.jwtSecret });

export const handler = handle(app);
