import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Entity } from "electrodb";
import { createEntities } from "../src/single-table/entities.js";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" }));
const t0 = performance.now();
if (process.env.ONE) {
  new Entity(
    {
      model: { entity: "event", version: "1", service: "x" },
      attributes: {
        eventId: { type: "string", required: true },
        name: { type: "string" },
        date: { type: "string" },
        capacity: { type: "number" },
        a: { type: "string" },
        b: { type: "string" },
        c: { type: "string" },
        d: { type: "number" },
        e: { type: "number" },
        f: { type: "string" },
        g: { type: "string" },
      },
      indexes: {
        byId: {
          pk: { field: "pk", composite: ["eventId"], template: "EVENT#${eventId}" },
          sk: { field: "sk", composite: [], template: "$EVENT" },
        },
        byMonth: {
          index: "gsi1",
          pk: { field: "gsi1pk", composite: ["a"] },
          sk: { field: "gsi1sk", composite: ["date", "eventId"] },
        },
        org: {
          index: "gsi2",
          pk: { field: "gsi2pk", composite: ["b"] },
          sk: { field: "gsi2sk", composite: ["date", "eventId"] },
        },
      },
    },
    { client: doc, table: "t" },
  );
} else createEntities(doc, "t");
console.log(JSON.stringify({ ms: performance.now() - t0 }));
