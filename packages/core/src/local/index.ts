export * from "../copies/stream/local-consumer.js";
export * from "../copies/stream/poller.js";
export * from "./dynamodb-local.js";
export * from "./processes.js";
export * from "./tables.js";
