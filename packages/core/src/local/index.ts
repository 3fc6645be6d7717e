export * from "./dynamodb-local.js";
export * from "./tables.js";
export * from "./processes.js";
