import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { createTableInput, type TableDefinition } from "../table/definition.js";

export interface EnsureTableOptions {
  /**
   * Give the table a stream with old and new images (what the COPIES=stream consumer reads; see
   * `tablesWithStream`). An existing table without one gets it through UpdateTable (DynamoDB Local 3.3.0 allows
   * it), so a dev data directory created before the option still works.
   */
  stream?: boolean;
}

const NEW_AND_OLD_IMAGES = { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" } as const;

/** Creates the table from its definition unless it exists; returns true if it created it. */
export async function ensureTable(
  client: DynamoDBClient,
  definition: TableDefinition,
  tableName: string,
  options: EnsureTableOptions = {},
) {
  const existing = await describeTable(client, tableName);
  if (existing) {
    if (options.stream) await enableStream(client, existing);
    return false;
  }
  try {
    await client.send(
      new CreateTableCommand({
        ...createTableInput(definition, tableName),
        ...(options.stream && { StreamSpecification: NEW_AND_OLD_IMAGES }),
      }),
    );
  } catch (error) {
    // Another process created it between our describe and create: that is the outcome we wanted.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: tableName });
  if (definition.timeToLiveAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
  // Lost a creation race to a process that made the table without a stream: add it now.
  if (options.stream) await enableStream(client, (await describeTable(client, tableName)) as TableDescription);
  return true;
}

async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if ((error as { name?: string }).name !== "ResourceNotFoundException") throw error;
    return undefined;
  }
}

/**
 * Turns on the old-and-new-images stream of an existing table. A stream of another view type cannot be changed
 * in place (DynamoDB wants it disabled first, losing its records), so that is an error for a human to settle.
 */
async function enableStream(client: DynamoDBClient, table: TableDescription): Promise<void> {
  const current = table.StreamSpecification;
  if (current?.StreamEnabled) {
    if (current.StreamViewType === NEW_AND_OLD_IMAGES.StreamViewType) return;
    throw new Error(
      `table ${table.TableName} has a ${current.StreamViewType} stream; the copy consumer needs NEW_AND_OLD_IMAGES`,
    );
  }
  try {
    await client.send(new UpdateTableCommand({ TableName: table.TableName, StreamSpecification: NEW_AND_OLD_IMAGES }));
  } catch (error) {
    // Another process enabled it first (DynamoDB refuses to enable an enabled stream): fine if it is ours.
    const again = await describeTable(client, table.TableName as string);
    if (again?.StreamSpecification?.StreamViewType !== NEW_AND_OLD_IMAGES.StreamViewType) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: table.TableName as string });
}
