import { serve } from "@hono/node-server";
import { loadConfig } from "./config.js";
import { buildRuntime } from "./runtime.js";

/** The local server (`pnpm dev` runs it under a file watcher). Needs JWT_SECRET; `pnpm dev` provides one. */
const config = loadConfig();
if (!config.jwtSecret) {
  console.error("JWT_SECRET is not set: start the API with `pnpm dev`, which creates a local secret under .data/");
  process.exit(1);
}
const { app, clients } = buildRuntime({ ...config, jwtSecret: config.jwtSecret });

const server = serve({ fetch: app.fetch, port: config.port, hostname: process.env.HOST ?? "127.0.0.1" }, (info) => {
  const base = `http://${info.address === "::1" ? "[::1]" : info.address}:${info.port}`;
  console.log(
    `tablelab API (${config.design} table design, copies ${config.copies}) on ${base}  —  docs: ${base}/docs`,
  );
});

let stopping = false;
function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close(() => {
    clients.destroy();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
