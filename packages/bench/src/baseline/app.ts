import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { IDENTIFIERS, KEYS } from "@tablelab/core/layout";
import { Hono } from "hono";

/**
 * The bare baseline the API is measured against: plain Hono and `@aws-sdk/lib-dynamodb`, no schemas, no
 * middleware, no ElectroDB. It makes exactly the DynamoDB requests the single-table design makes for the two
 * benchmarked routes and answers with the same JSON:
 *  - GET /events/{id}: one Query of `E#<id>` for sort keys beginning `$E` (the layout's `KEYS`, a constant with no ElectroDB in it) (the event and its seats);
 *  - GET /events/{id}?include=attendees: one Query of the `E#<id>` partition (the `attendance`
 *    collection: the event and its seats sort first, then its registrations), limit 20 + 2, with ElectroDB's
 *    entity filter, as ElectroDB sends it.
 */

export const PAGE = 20;

type Item = Record<string, unknown>;

/** The Event resource: the event item and its seats item (capacity, registeredCount). */
export function toEvent(item: Item, seats: Item) {
  return {
    eventId: item.eventId,
    organizerId: item.organizerId,
    name: item.name,
    ...(item.description !== undefined && { description: item.description }),
    ...(item.venue !== undefined && { venue: item.venue }),
    date: item.date,
    capacity: seats.capacity,
    registeredCount: seats.registeredCount,
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

export function toRegistration(item: Item) {
  return {
    eventId: item.eventId,
    userId: item.userId,
    registeredAt: item.registeredAt,
    user: { name: item.userName },
    event: {
      name: item.eventName,
      date: item.eventDate,
      ...(item.eventVenue !== undefined && { venue: item.eventVenue }),
    },
  };
}

export interface BaselineOptions {
  endpoint: string | undefined;
  table: string;
}

/** A DynamoDB client set up like the API's for DynamoDB Local: fixed region and credentials, keep-alive. */
export function baselineClient(endpoint: string | undefined): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...(endpoint
      ? { endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** The event's `$E` and `$E#S` items: one Query, as the single-table store reads AP6. */
export async function eventAndSeats(
  document: DynamoDBDocumentClient,
  table: string,
  eventId: string,
): Promise<[Item | undefined, Item | undefined]> {
  const { Items = [] } = await document.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :sk)",
      ExpressionAttributeNames: { "#pk": "pk", "#sk": "sk" },
      ExpressionAttributeValues: { ":pk": `${KEYS.event}${eventId}`, ":sk": KEYS.eventItem },
    }),
  );
  return [
    Items.find((item) => item[IDENTIFIERS.entity] === "event"),
    Items.find((item) => item[IDENTIFIERS.entity] === "seats"),
  ];
}

export function createBaselineApp(document: DynamoDBDocumentClient, table: string) {
  const app = new Hono();
  app.get("/events/:eventId", async (c) => {
    const eventId = c.req.param("eventId");
    if (c.req.query("include") === "attendees") {
      const { Items = [], LastEvaluatedKey } = await document.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "#pk = :pk",
          FilterExpression:
            "((#e = :event AND #v = :v1) OR (#e = :registration AND #v = :v1) OR (#e = :seats AND #v = :v1))",
          ExpressionAttributeNames: { "#pk": "pk", "#e": IDENTIFIERS.entity, "#v": IDENTIFIERS.version },
          ExpressionAttributeValues: {
            ":pk": `${KEYS.event}${eventId}`,
            ":event": "event",
            ":registration": "registration",
            ":seats": "seats",
            ":v1": "1",
          },
          Limit: PAGE + 2,
        }),
      );
      const [first, seats, ...rest] = Items;
      if (first?.[IDENTIFIERS.entity] !== "event" || seats?.[IDENTIFIERS.entity] !== "seats") {
        return c.json({ error: { code: "not_found", message: "no such event" } }, 404);
      }
      const registrations = rest.slice(0, PAGE);
      const more = rest.length > PAGE || LastEvaluatedKey !== undefined;
      const last = registrations.at(-1);
      c.header("ETag", `"${first.version}"`);
      return c.json({
        ...toEvent(first, seats),
        attendees: {
          items: registrations.map(toRegistration),
          cursor: more && last ? Buffer.from(JSON.stringify({ pk: last.pk, sk: last.sk })).toString("base64url") : null,
        },
      });
    }
    const [event, seats] = await eventAndSeats(document, table, eventId);
    if (!event || !seats) return c.json({ error: { code: "not_found", message: "no such event" } }, 404);
    c.header("ETag", `"${event.version}"`);
    return c.json(toEvent(event, seats));
  });
  return app;
}
