export * from "./definition.js";
export * from "./designs.js";
