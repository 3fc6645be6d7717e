/**
 * The ElectroDB floor of the cold-start benchmark: the bare handler, reading through ElectroDB instead — the
 * single-table design's Event entity (built on first use, as in the API) and one GetItem. No schemas, no
 * middleware, no other route: what any handler that reads through ElectroDB starts with. Bundled with the same
 * settings and plugins as the API (scripts/lambda-build.ts). Reads DYNAMODB_ENDPOINT and TABLE_NAME.
 */
import "@tablelab/core/electrodb-commands";
import { createEntities } from "@tablelab/core/entities";
import { Hono } from "hono";
import { handle } from "hono/aws-lambda";
import { baselineClient, toEvent } from "./app.js";

const table = process.env.TABLE_NAME;
if (!table) throw new Error("TABLE_NAME is not set");
const model = createEntities(baselineClient(process.env.DYNAMODB_ENDPOINT || undefined), table);

const app = new Hono();
app.get("/events/:eventId", async (c) => {
  const { data } = await model.event.get({ eventId: c.req.param("eventId") }).go({ originalErr: true });
  if (!data) return c.json({ error: { code: "not_found", message: "no such event" } }, 404);
  c.header("ETag", `"${data.version}"`);
  return c.json(toEvent(data));
});

export const handler = handle(app);
