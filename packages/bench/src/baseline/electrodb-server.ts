/**
 * The ElectroDB floor (./electrodb-app.ts) as a node server:
 *   PORT=… DYNAMODB_ENDPOINT=… TABLE_NAME=… tsx packages/bench/src/baseline/electrodb-server.ts
 */
import { serve } from "@hono/node-server";
import { baselineClient } from "./app.js";
import { createElectroDbApp } from "./electrodb-app.js";

const table = process.env.TABLE_NAME;
if (!table) throw new Error("TABLE_NAME is not set");
const app = createElectroDbApp(baselineClient(process.env.DYNAMODB_ENDPOINT || undefined), table);
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3101), hostname: "127.0.0.1" }, (info) =>
  console.log(`ElectroDB floor on http://127.0.0.1:${info.port}`),
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
