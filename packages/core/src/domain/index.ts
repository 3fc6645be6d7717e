export * from "./dates.js";
export * from "./errors.js";
export * from "./event-snapshot.js";
export * from "./new-event.js";
export * from "./schemas.js";
export * from "./text.js";
