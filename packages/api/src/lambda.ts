import { handle } from "hono/aws-lambda";
import { Resource } from "sst";
import { tableNamesFromEnvironment } from "./config/table-names.js";
import { loadConfig } from "./config.js";
import { buildRuntime } from "./runtime.js";

/**
 * The Lambda entry point (API Gateway HTTP API, payload 2.0). Client, store and app are built once per
 * execution environment, outside the handler, so warm invocations reuse the DynamoDB connections.
 * Under SST the table names and the token secret come from the linked resources; elsewhere from TABLE_NAME
 * and JWT_SECRET.
 */
const config = loadConfig();
const underSst = Boolean(process.env.SST_RESOURCE_App);
const jwtSecret = underSst
  ? (Resource as unknown as { JwtSecret: { value: string } }).JwtSecret.value
  : config.jwtSecret;
if (!jwtSecret) {
  // A deployed stage must never fall back to a guessable secret: refuse to start instead.
  throw new Error("no JWT secret: set it with `sst secret set JwtSecret <value>` (or JWT_SECRET outside SST)");
}
const { app } = buildRuntime({
  ...config,
  tableNames: tableNamesFromEnvironment(config.design),
  jwtSecret,
});

export const handler = handle(app);
