import { Logger } from "@aws-lambda-powertools/logger";
import { createDynamoClients, createStore, type DynamoClients, idempotencyLayout } from "@tablelab/core";
import { createApp } from "./app.js";
import type { ApiConfig } from "./config.js";
import { trackDatabaseHealth } from "./http/database-health.js";
import { createIdempotencyRunner } from "./http/idempotency-powertools.js";

/** Wires config → DynamoDB clients → the chosen design's Store → the app. Shared by the server and Lambda. */
export function buildRuntime(config: ApiConfig & { jwtSecret: string }): {
  app: ReturnType<typeof createApp>;
  clients: DynamoClients;
  logger: Logger;
} {
  const logger = new Logger({
    serviceName: "tablelab-api",
    logLevel: config.logLevel as "INFO",
  });
  const clients = createDynamoClients({ ...config.dynamo, maxSockets: 256 });
  const databaseHealth = trackDatabaseHealth(clients.client);
  const store = createStore({
    design: config.design,
    copies: config.copies,
    document: clients.document,
    tableNames: config.tableNames,
    cursorSecret: config.jwtSecret,
  });
  const app = createApp({
    store,
    copies: config.copies,
    jwtSecret: config.jwtSecret,
    dbMetrics: config.dbMetrics,
    corsOrigins: config.corsOrigins,
    logger: {
      info: (message, extra) => (extra ? logger.info(message, extra) : logger.info(message)),
      error: (message, extra) => (extra ? logger.error(message, extra) : logger.error(message)),
    },
    now: () => new Date(),
    idempotency: idempotencyRunnerFor(config, clients),
    databaseHealth,
  });
  return { app, clients, logger };
}

export function idempotencyRunnerFor(config: Pick<ApiConfig, "design" | "tableNames">, clients: DynamoClients) {
  const layout = idempotencyLayout(config.design);
  const tableName = config.tableNames[layout.tableId];
  if (!tableName) throw new Error(`no table name for ${layout.tableId}`);
  return createIdempotencyRunner(clients.client, { ...layout, tableName });
}
