export * from "./cursor.js";
export * from "./designs.js";
export * from "./domain/index.js";
export * from "./dynamo/index.js";
export * from "./single-table/store.js";
export * from "./store.js";
export * from "./table/index.js";
