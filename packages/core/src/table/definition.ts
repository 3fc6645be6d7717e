import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { nonKeyAttributesOf } from "../single-table/layout.js";

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
  /**
   * SST's vocabulary: "all", "keys-only", or the non-key attributes an INCLUDE projection holds (every entry
   * also holds the table's and the index's keys).
   */
  projection: "all" | "keys-only" | readonly string[];
}

export interface TableDefinition {
  /** Logical name: the SST component name (and so `Resource.<id>`), and the default local table-name suffix. */
  id: string;
  /** Key attributes only; DynamoDB is schemaless for the rest. */
  fields: Record<string, AttributeType>;
  primaryIndex: KeySchema;
  globalIndexes: Record<string, GlobalIndex>;
  /** Attribute holding an epoch-seconds expiry that DynamoDB's TTL deletes by (idempotency records). */
  timeToLiveAttribute?: string;
}

/**
 * Single-table design: generic key names so that any entity can own any key, and two overloaded GSIs.
 *  - gsi1: events by month bucket (`D#yyyy-mm`) and a user's registrations by date (`A#userId`).
 *  - gsi2: the events a user organizes (`O#userId`), next to the user's own item.
 * Both project what their queries return (INCLUDE, single-table/layout.ts `INDEX_PROJECTIONS`): every read
 * pattern is answered from the index in one request, with no fetch-back, and an entry holds nothing else.
 */
export const singleTable = {
  id: "Table",
  fields: { pk: "string", sk: "string", gsi1pk: "string", gsi1sk: "string", gsi2pk: "string", gsi2sk: "string" },
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: {
    gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk", projection: nonKeyAttributesOf("gsi1") },
    gsi2: { hashKey: "gsi2pk", rangeKey: "gsi2sk", projection: nonKeyAttributesOf("gsi2") },
  },
  // Idempotency records (`pk` = hashed key, `sk` = IDEMPOTENCY) expire ten minutes after their request.
  timeToLiveAttribute: "expiration",
} as const satisfies TableDefinition;

/**
 * One-table-per-entity design (the contrast, as an introductory DynamoDB article teaches it): one table per
 * entity, each keyed by its own id, and a GSI for each other lookup. Key attributes have meaningful names.
 *
 * `dateEventId` is `<YYYY-MM-DD>#<eventId>` (on events: the event's date; on registrations: the date of the event
 * registered for). Lists are ordered "by date then eventId", and items with equal GSI sort keys come back in no
 * defined order, so the sort key has to carry both; fixed-width dates make string order chronological.
 * Every GSI projects ALL: each list is answered from its index without fetching items back (KEYS_ONLY would
 * add a BatchGet per page). Every index write costs write capacity on top of the base table's.
 */

/**
 * Users, keyed by `userId`. `EmailIndex` answers AP2 (find by email) with one Query. A GSI cannot enforce
 * uniqueness (and is eventually consistent), hence the `Emails` table next to it.
 */
export const usersTable = {
  id: "Users",
  fields: { userId: "string", email: "string" },
  primaryIndex: { hashKey: "userId" },
  globalIndexes: {
    EmailIndex: { hashKey: "email", projection: "all" },
  },
} as const satisfies TableDefinition;

/**
 * Email uniqueness: one item per normalized email, `{ email, userId }`, written in the same transaction as the
 * user (with `attribute_not_exists(email)`) and swapped transactionally on an email change.
 */
export const emailsTable = {
  id: "Emails",
  fields: { email: "string" },
  primaryIndex: { hashKey: "email" },
  globalIndexes: {},
} as const satisfies TableDefinition;

/**
 * Events, keyed by `eventId`.
 *  - `DateIndex` (AP7): partition `month` (`YYYY-MM`), sort `dateEventId`. The date is bucketed by month, as in
 *    the single-table design: a constant partition key ("all events") would be one hot partition, and a
 *    partition per day would cost one query per day of the range. A range query walks its months in order.
 *  - `OrganizerIndex` (AP8, AP9): partition `organizerId`, sort `dateEventId`.
 */
export const eventsTable = {
  id: "Events",
  fields: { eventId: "string", month: "string", organizerId: "string", dateEventId: "string" },
  primaryIndex: { hashKey: "eventId" },
  globalIndexes: {
    DateIndex: { hashKey: "month", rangeKey: "dateEventId", projection: "all" },
    OrganizerIndex: { hashKey: "organizerId", rangeKey: "dateEventId", projection: "all" },
  },
} as const satisfies TableDefinition;

/**
 * An event's seats `{ eventId, organizerId, capacity, registeredCount }`, keyed by `eventId`, with no index: every
 * registration and cancellation rewrites the count, and on the events item it would rewrite both of that table's
 * indexes too (a popular month's registrations all landing on one `DateIndex` partition). The organizer is kept
 * for the organizer's cancellation check; the capacity because the invariant `registeredCount <= capacity` is one
 * condition on one item. Reads that return an Event join it (AP6: one BatchGetItem across both tables).
 */
export const eventSeatsTable = {
  id: "EventSeats",
  fields: { eventId: "string" },
  primaryIndex: { hashKey: "eventId" },
  globalIndexes: {},
} as const satisfies TableDefinition;

/**
 * Registrations, keyed by `eventId` (hash) + `userId` (range): AP14 ("an event's registrations, by userId") is a
 * Query on the base table, strongly consistent if wanted, and "never twice" is `attribute_not_exists` on the key.
 *  - `UserIndex` (AP16): partition `userId`, sort `dateEventId` — the registration keeps the event's date as a
 *    key in every copy strategy (under COPIES=none the only thing it keeps: names are joined at read time) so a
 *    user's registrations come back by event date; an event's date change rewrites it on each of the event's
 *    registrations. Under `sync`/`stream` the registration also carries the name copies (multi-table/copy-keeper.ts).
 */
export const registrationsTable = {
  id: "Registrations",
  fields: { eventId: "string", userId: "string", dateEventId: "string" },
  primaryIndex: { hashKey: "eventId", rangeKey: "userId" },
  globalIndexes: {
    UserIndex: { hashKey: "userId", rangeKey: "dateEventId", projection: "all" },
  },
} as const satisfies TableDefinition;

/** Idempotency records of the API's POSTs (one table per concern, in this design's style), with TTL. */
export const idempotencyTable = {
  id: "Idempotency",
  fields: { id: "string" },
  primaryIndex: { hashKey: "id" },
  globalIndexes: {},
  timeToLiveAttribute: "expiration",
} as const satisfies TableDefinition;

/** The multi-table design's tables, in creation order. */
export const multiTables = [
  usersTable,
  emailsTable,
  eventsTable,
  eventSeatsTable,
  registrationsTable,
  idempotencyTable,
] as const;

const SCALAR = { string: "S", number: "N", binary: "B" } as const;

function keySchema(keys: KeySchema): NonNullable<CreateTableCommandInput["KeySchema"]> {
  return [
    { AttributeName: keys.hashKey, KeyType: "HASH" },
    ...(keys.rangeKey ? [{ AttributeName: keys.rangeKey, KeyType: "RANGE" as const }] : []),
  ];
}

function projectionInput(projection: GlobalIndex["projection"]) {
  if (projection === "all") return { ProjectionType: "ALL" as const };
  if (projection === "keys-only") return { ProjectionType: "KEYS_ONLY" as const };
  return { ProjectionType: "INCLUDE" as const, NonKeyAttributes: [...projection] };
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
        Projection: projectionInput(index.projection),
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
      Object.entries(definition.globalIndexes).map(([name, index]) => [
        name,
        { ...index, projection: typeof index.projection === "string" ? index.projection : [...index.projection] },
      ]),
    ),
    ...(definition.timeToLiveAttribute !== undefined && { ttl: definition.timeToLiveAttribute }),
  };
}
