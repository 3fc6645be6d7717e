export * from "./dynamodb-local.js";
export * from "./processes.js";
export * from "./tables.js";
