// What both runtimes share. The local poller (it needs the Streams client) is exported from `@tablelab/core/local`
// so that the Lambda bundles, which import this barrel, never carry it.
export * from "./lag.js";
export * from "./records.js";
