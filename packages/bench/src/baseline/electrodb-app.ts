import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
// The entities alone: the package index would also bring in zod and the domain schemas, which this does not use.
import { createEntities } from "@tablelab/core/entities";
import { Hono } from "hono";
import { eventAndSeats, PAGE, toEvent, toRegistration } from "./app.js";

/**
 * The ElectroDB floor: the bare baseline (./app.ts), reading through ElectroDB instead — the single-table
 * design's entities, built on first use as in the API: `GET /events/{id}` one Query of the event's `$E` items
 * (the event and its seats, parsed by their entities), `?include=attendees` one query of the `attendance`
 * collection, limit 20 + 2. No schemas, no middleware, no store logic:
 * what any handler that reads through ElectroDB costs at least. Same requests and JSON as the bare baseline.
 */
export function createElectroDbApp(document: DynamoDBDocumentClient, table: string) {
  const model = createEntities(document, table);
  const app = new Hono();
  app.get("/events/:eventId", async (c) => {
    const eventId = c.req.param("eventId");
    if (c.req.query("include") === "attendees") {
      const { data, cursor } = await model.service.collections
        .attendance({ eventId })
        .go({ originalErr: true, limit: PAGE + 2 });
      const event = data.event[0];
      const seats = data.seats[0];
      if (!event || !seats) return c.json({ error: { code: "not_found", message: "no such event" } }, 404);
      c.header("ETag", `"${event.version}"`);
      return c.json({
        ...toEvent(event, seats),
        attendees: { items: data.registration.slice(0, PAGE).map(toRegistration), cursor },
      });
    }
    const [eventItem, seatsItem] = await eventAndSeats(document, table, eventId);
    const event = eventItem && model.event.parse({ Item: eventItem }).data;
    const seats = seatsItem && model.seats.parse({ Item: seatsItem }).data;
    if (!event || !seats) return c.json({ error: { code: "not_found", message: "no such event" } }, 404);
    c.header("ETag", `"${event.version}"`);
    return c.json(toEvent(event, seats));
  });
  return app;
}
