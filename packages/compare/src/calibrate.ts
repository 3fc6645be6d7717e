import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { measure, type TableDefinition } from "@tablelab/core";
import { type BillingCalibration, calibrationFrom } from "./billing.js";

/**
 * Asks the endpoint what it reports for the smallest transaction: one Put of an item holding only its primary
 * key (under 1 KB, no index entries), which AWS bills 2 WCU. Run on a table of this run before seeding; the item
 * is deleted right after, so the census never sees it.
 */
export async function calibrateTransactions(
  client: DynamoDBClient,
  definition: TableDefinition,
  tableName: string,
): Promise<BillingCalibration> {
  const key: Record<string, AttributeValue> = {};
  const { hashKey, rangeKey } = definition.primaryIndex;
  for (const attribute of [hashKey, ...(rangeKey ? [rangeKey] : [])]) {
    const type = definition.fields[attribute];
    key[attribute] =
      type === "number" ? { N: "0" } : type === "binary" ? { B: new Uint8Array([0]) } : { S: "tablelab-calibration" };
  }
  const { meter } = await measure(() =>
    client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: tableName, Item: key } }] })),
  );
  await client.send(new DeleteItemCommand({ TableName: tableName, Key: key }));
  return calibrationFrom(meter.writeUnits);
}
