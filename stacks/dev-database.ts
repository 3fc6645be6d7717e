import { DEV_DATABASE_COMMAND, localDynamoEndpoint, parseDevDatabase } from "./dev-database-mode";
import type { Storage } from "./storage";

/**
 * Opt-in local database for `sst dev`: `TABLELAB_DEV_DB=local pnpm dev:aws`. In `sst dev` only, the
 * `LocalDynamo` DevCommand keeps this checkout's DynamoDB Local running (the one a running `pnpm dev` started,
 * else its own, on the same port and data directory) with the stage's tables in it, and the function's
 * DYNAMODB_ENDPOINT points at it — the function runs on this machine in `sst dev`, so loopback reaches it. On a
 * COPIES=stream stage the command also keeps the copies current with the local stream consumer.
 * Only the function's environment and the DevCommand differ: the stage's cloud tables are the same components
 * with the same arguments in every mode, so switching modes never replaces or removes them. `sst deploy`
 * ignores the variable. Returns the endpoint, or undefined when the function uses the cloud tables.
 */
export function createDevDatabase(storage: Storage): { endpoint: string } | undefined {
  const mode = parseDevDatabase(process.env.TABLELAB_DEV_DB);
  if (!$dev || mode !== "local") return undefined;
  const endpoint = localDynamoEndpoint(process.env);
  new sst.x.DevCommand("LocalDynamo", {
    dev: { title: "DynamoDB Local", command: DEV_DATABASE_COMMAND, autostart: true },
    // The command creates the tables under the names the function is linked to (`Resource.<id>.name`).
    link: Object.values(storage.tables),
    // COPIES: on a stream stage the command also runs the local stream consumer (the cloud one never sees local writes).
    environment: { DYNAMODB_ENDPOINT: endpoint, TABLE_DESIGN: storage.design, COPIES: storage.copies },
  });
  return { endpoint };
}
