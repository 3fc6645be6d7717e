/**
 * The bare baseline as a node server (the counterpart of packages/api/src/server.ts):
 *   PORT=… DYNAMODB_ENDPOINT=… TABLE_NAME=… tsx packages/bench/src/baseline/server.ts
 */
import { serve } from "@hono/node-server";
import { baselineClient, createBaselineApp } from "./app.js";

const table = process.env.TABLE_NAME;
if (!table) throw new Error("TABLE_NAME is not set");
const app = createBaselineApp(baselineClient(process.env.DYNAMODB_ENDPOINT || undefined), table);
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3100), hostname: "127.0.0.1" }, (info) =>
  console.log(`baseline on http://127.0.0.1:${info.port}`),
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
