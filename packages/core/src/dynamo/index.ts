export * from "./client.js";
export * from "./conditions.js";
export * from "./errors.js";
export * from "./faults.js";
export * from "./meter.js";
export * from "./retry.js";
