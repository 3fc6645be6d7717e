import { randomBytes } from "node:crypto";
import {
  CreateTableCommand,
  DeleteTableCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { createDynamoClients, measure } from "@tablelab/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { billCalls, calibrationFrom } from "../src/billing.js";

/**
 * What DynamoDB Local (the release the tests start) reports with `ReturnConsumedCapacity: INDEXES`, through the
 * meter: the figures docs/comparison.md's "Billing rules and their sources" quotes. A Local upgrade that changes
 * them fails here, and the docs must follow.
 */
const clients = createDynamoClients({ endpoint: inject("dynamoEndpoint") });
const TableName = `billing-indexes-${randomBytes(4).toString("hex")}`;
const IndexName = "byTag";
const item = (pk: string, tag?: string) => ({ pk: { S: pk }, ...(tag ? { tag: { S: tag } } : {}) });

beforeAll(async () => {
  await clients.client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "tag", AttributeType: "S" },
      ],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      GlobalSecondaryIndexes: [
        { IndexName, KeySchema: [{ AttributeName: "tag", KeyType: "HASH" }], Projection: { ProjectionType: "ALL" } },
      ],
    }),
  );
});

afterAll(async () => {
  await clients.client.send(new DeleteTableCommand({ TableName }));
  clients.destroy();
});

const metered = async (send: () => Promise<unknown>) => {
  const { meter } = await measure(() => send().catch(() => undefined));
  expect(meter.calls).toHaveLength(1);
  return meter.calls[0] as (typeof meter.calls)[number];
};

describe("capacity per table and index, as DynamoDB Local reports it", () => {
  it("reports an index write apart from the table's: one for a new entry, two for a key change", async () => {
    const put = await metered(() => clients.client.send(new PutItemCommand({ TableName, Item: item("a", "x") })));
    expect(put).toMatchObject({
      writeUnits: 2,
      tableUnits: { writeUnits: 1 },
      indexUnits: { byTag: { writeUnits: 1 } },
    });

    const keyChange = await metered(() =>
      clients.client.send(
        new UpdateItemCommand({
          TableName,
          Key: item("a"),
          UpdateExpression: "SET tag = :tag",
          ExpressionAttributeValues: { ":tag": { S: "y" } },
        }),
      ),
    );
    expect(keyChange).toMatchObject({ writeUnits: 3, indexUnits: { byTag: { writeUnits: 2 } } });

    const query = await metered(() =>
      clients.client.send(
        new QueryCommand({
          TableName,
          IndexName,
          KeyConditionExpression: "tag = :tag",
          ExpressionAttributeValues: { ":tag": { S: "y" } },
        }),
      ),
    );
    expect(query).toMatchObject({
      readUnits: 0.5,
      tableUnits: { readUnits: 0 },
      indexUnits: { byTag: { readUnits: 0.5 } },
    });
  });

  it("doubles a transaction's index writes as well as its items", async () => {
    const transaction = await metered(() =>
      clients.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName, Item: item("t1", "x") } }, { Put: { TableName, Item: item("t2") } }],
        }),
      ),
    );
    expect(transaction).toMatchObject({
      writeUnits: 6,
      tableUnits: { writeUnits: 4 },
      indexUnits: { byTag: { writeUnits: 2 } },
    });
    expect(billCalls([transaction], calibrationFrom(2))).toMatchObject({
      writeUnits: 6,
      transactionalIndexWriteUnits: 2,
    });
  });

  it("reports nothing for a failed conditional write or a cancelled transaction; billing adds AWS's figure", async () => {
    const exists = { ConditionExpression: "attribute_not_exists(pk)" };
    const failed = await metered(() =>
      clients.client.send(new PutItemCommand({ TableName, Item: item("t1", "z"), ...exists })),
    );
    expect(failed).toMatchObject({ ok: false, error: "ConditionalCheckFailedException", readUnits: 0, writeUnits: 0 });

    const cancelled = await metered(() =>
      clients.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName, Item: item("t3", "x") } },
            { ConditionCheck: { TableName, Key: item("t2"), ...exists } },
          ],
        }),
      ),
    );
    expect(cancelled).toMatchObject({ ok: false, error: "TransactionCanceledException", writeUnits: 0 });

    expect(billCalls([failed, cancelled], calibrationFrom(2))).toMatchObject({
      writeUnits: 1 + 4,
      unreportedWriteUnits: 1 + 4,
    });
  });
});
