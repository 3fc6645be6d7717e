import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * The one place table layouts are written down. The local CreateTable calls, the SST `sst.aws.Dynamo`
 * arguments and the check that every ElectroDB index maps onto a real table index all derive from here.
 * Vocabulary follows SST's (`hashKey`/`rangeKey`, "string"/"number"/"binary") so the SST arguments are a
 * plain projection of it.
 */
export type AttributeType = "string" | "number" | "binary";

export interface KeySchema {
  hashKey: string;
  rangeKey?: string;
}

export interface GlobalIndex extends KeySchema {
  projection: "all" | "keys-only";
}

export interface TableDefinition {
  /** Logical name: the SST component name (and so `Resource.<id>`), and the default local table-name suffix. */
  id: string;
  /** Key attributes only; DynamoDB is schemaless for the rest. */
  fields: Record<string, AttributeType>;
  primaryIndex: KeySchema;
  globalIndexes: Record<string, GlobalIndex>;
}

/**
 * Single-table design: generic key names so that any entity can own any key, and two overloaded GSIs.
 *  - gsi1: events by month bucket (`MONTH#yyyy-mm`) and a user's registrations by date (`ATTENDEE#userId`).
 *  - gsi2: the events a user organizes (`ORGANIZER#userId`), next to the user's own item.
 * Both project ALL: every read pattern is answered from the index in one request, with no fetch-back.
 */
export const singleTable = {
  id: "Table",
  fields: { pk: "string", sk: "string", gsi1pk: "string", gsi1sk: "string", gsi2pk: "string", gsi2sk: "string" },
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: {
    gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk", projection: "all" },
    gsi2: { hashKey: "gsi2pk", rangeKey: "gsi2sk", projection: "all" },
  },
} as const satisfies TableDefinition;

const SCALAR = { string: "S", number: "N", binary: "B" } as const;

function keySchema(keys: KeySchema): NonNullable<CreateTableCommandInput["KeySchema"]> {
  return [
    { AttributeName: keys.hashKey, KeyType: "HASH" },
    ...(keys.rangeKey ? [{ AttributeName: keys.rangeKey, KeyType: "RANGE" as const }] : []),
  ];
}

/** The CreateTable request for a definition: on-demand billing, every GSI with its projection. */
export function createTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  const indexes = Object.entries(definition.globalIndexes);
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: Object.entries(definition.fields).map(([name, type]) => ({
      AttributeName: name,
      AttributeType: SCALAR[type],
    })),
    KeySchema: keySchema(definition.primaryIndex),
    ...(indexes.length > 0 && {
      GlobalSecondaryIndexes: indexes.map(([name, index]) => ({
        IndexName: name,
        KeySchema: keySchema(index),
        Projection: { ProjectionType: index.projection === "all" ? "ALL" : "KEYS_ONLY" },
      })),
    }),
  };
}

/** Arguments for SST's `sst.aws.Dynamo` component (fields, primaryIndex, globalIndexes). */
export function sstDynamoArgs(definition: TableDefinition) {
  return {
    fields: { ...definition.fields },
    primaryIndex: { ...definition.primaryIndex },
    globalIndexes: Object.fromEntries(
      Object.entries(definition.globalIndexes).map(([name, index]) => [name, { ...index }]),
    ),
  };
}
