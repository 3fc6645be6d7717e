import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";

/**
 * The lib-dynamodb commands ElectroDB's v3 client wrapper sends (`new this.lib.<Name>(params)` in
 * electrodb/src/client.js), imported by name. In the Lambda bundle ElectroDB's own `require` of
 * @aws-sdk/lib-dynamodb resolves to this object instead (`electrodbCommands` in stacks/esbuild-plugins.mjs,
 * which says why); elsewhere ElectroDB loads the package itself and this object is unused.
 * Entry points of bundles import it first (`@tablelab/core/electrodb-commands`).
 * test/infra/bundle.test.ts fails if ElectroDB starts sending a command missing here.
 */
export const ELECTRODB_COMMANDS = {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
};

/** Where the bundle's stand-in for @aws-sdk/lib-dynamodb finds the commands (the plugin reads the same key). */
export const ELECTRODB_COMMANDS_KEY = "tablelab.electrodb.lib-dynamodb";

(globalThis as Record<symbol, unknown>)[Symbol.for(ELECTRODB_COMMANDS_KEY)] = ELECTRODB_COMMANDS;
