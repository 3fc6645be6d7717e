import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { IDENTIFIERS, itemKeys, KEYS } from "@tablelab/core/layout";
import { Hono } from "hono";

/**
 * The bare baseline the API is measured against: plain Hono and `@aws-sdk/lib-dynamodb`, no schemas, no
 * middleware, no ElectroDB. It makes exactly the DynamoDB requests the single-table design makes for the two
 * benchmarked routes and answers with the same JSON:
 *  - GET /events/{id}: one GetItem of `E#<id>` / `$E` (the layout's `KEYS`, a constant with no ElectroDB in it);
 *  - GET /events/{id}?include=attendees: one Query of the `E#<id>` partition (the `attendance`
 *    collection: the event item sorts first, then its registrations), limit 20 + 1, with ElectroDB's
 *    entity filter, as ElectroDB sends it.
 */

export const PAGE = 20;

type Item = Record<string, unknown>;

export function toEvent(item: Item) {
  return {
    eventId: item.eventId,
    organizerId: item.organizerId,
    name: item.name,
    ...(item.description !== undefined && { description: item.description }),
    ...(item.venue !== undefined && { venue: item.venue }),
    date: item.date,
    capacity: item.capacity,
    registeredCount: item.registeredCount,
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

export function createBaselineApp(document: DynamoDBDocumentClient, table: string) {
  const app = new Hono();
  app.get("/events/:eventId", async (c) => {
    const eventId = c.req.param("eventId");
    if (c.req.query("include") === "attendees") {
      const { Items = [], LastEvaluatedKey } = await document.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "#pk = :pk",
          FilterExpression: "((#e = :event AND #v = :v1) OR (#e = :registration AND #v = :v1))",
          ExpressionAttributeNames: { "#pk": "pk", "#e": IDENTIFIERS.entity, "#v": IDENTIFIERS.version },
          ExpressionAttributeValues: {
            ":pk": `${KEYS.event}${eventId}`,
            ":event": "event",
            ":registration": "registration",
            ":v1": "1",
          },
          Limit: PAGE + 1,
        }),
      );
      const [first, ...rest] = Items;
      if (first?.[IDENTIFIERS.entity] !== "event")
        return c.json({ error: { code: "not_found", message: "no such event" } }, 404);
      const registrations = rest.slice(0, PAGE);
      const more = rest.length > PAGE || LastEvaluatedKey !== undefined;
      const last = registrations.at(-1);
      c.header("ETag", `"${first.version}"`);
      return c.json({
        ...toEvent(first),
        attendees: {
          items: registrations.map(toRegistration),
          cursor: more && last ? Buffer.from(JSON.stringify({ pk: last.pk, sk: last.sk })).toString("base64url") : null,
        },
      });
    }
    const { Item } = await document.send(new GetCommand({ TableName: table, Key: itemKeys.event(eventId) }));
    if (!Item) return c.json({ error: { code: "not_found", message: "no such event" } }, 404);
    c.header("ETag", `"${Item.version}"`);
    return c.json(toEvent(Item));
  });
  return app;
}
