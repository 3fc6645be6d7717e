/**
 * `TABLELAB_DEV_DB`: which database the function of `sst dev` uses — the stage's cloud tables (`aws`, the
 * default) or this checkout's DynamoDB Local (`local`). Free of SST globals, so tests import it; the component
 * that acts on it is stacks/dev-database.ts.
 */
export const DEV_DATABASES = ["aws", "local"] as const;
export type DevDatabase = (typeof DEV_DATABASES)[number];

/** The command the `LocalDynamo` DevCommand runs (from the repository root, with the tables linked). */
export const DEV_DATABASE_COMMAND = "pnpm exec tsx scripts/sst-dev-database.ts";

export function parseDevDatabase(value: string | undefined): DevDatabase {
  if (value === undefined || value === "") return "aws";
  if ((DEV_DATABASES as readonly string[]).includes(value)) return value as DevDatabase;
  throw new Error(`TABLELAB_DEV_DB must be one of ${DEV_DATABASES.join(", ")} (got "${value}")`);
}

/** Where the local database answers: the port of `pnpm dev`'s DynamoDB Local (DYNAMODB_LOCAL_PORT, 8000). */
export function localDynamoEndpoint(env: Record<string, string | undefined>): string {
  const port = Number(env.DYNAMODB_LOCAL_PORT || 8000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`DYNAMODB_LOCAL_PORT must be a port number (got "${env.DYNAMODB_LOCAL_PORT}")`);
  }
  return `http://127.0.0.1:${port}`;
}
