export * from "./changes.js";
export * from "./fan-out.js";
export * from "./keeper.js";
export * from "./strategy.js";
export * from "./stream/index.js";
