import { Logger } from "@aws-lambda-powertools/logger";
import { createDynamoClients, createStore, parseCopyStrategy } from "@tablelab/core";
import { tableNamesFromEnvironment } from "./config/table-names.js";
import { loadConfig } from "./config.js";
import { createCopyStreamHandler } from "./copies/stream-handler.js";

/**
 * The Lambda subscribed to the design's streamed tables under COPIES=stream (`tablesWithStream`): it keeps the
 * registrations' copies current. Built from the same configuration as the API (TABLE_DESIGN, COPIES, the linked
 * tables or TABLE_NAME, DYNAMODB_ENDPOINT), once per execution environment.
 */
const config = loadConfig();
const copies = parseCopyStrategy(process.env.COPIES, config.design);
if (copies !== "stream") {
  // Under sync the request writes the copies itself; a second writer would only add cost. Refuse to start.
  throw new Error(`the copies consumer serves COPIES=stream only (this stage has COPIES=${copies})`);
}
const logger = new Logger({ serviceName: "tablelab-copies", logLevel: config.logLevel as "INFO" });
const clients = createDynamoClients({ ...config.dynamo, maxSockets: 64 });
const store = createStore({
  design: config.design,
  copies,
  document: clients.document,
  tableNames: tableNamesFromEnvironment(config.design),
  // The consumer reads no list and issues no cursor: the secret is never used to sign anything.
  cursorSecret: "copies-consumer-issues-no-cursors",
});

export const handler = createCopyStreamHandler(store.copyKeeper, logger);
