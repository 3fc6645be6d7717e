import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactGetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { CopyStrategy } from "../copies/strategy.js";
import type { CursorCodec } from "../cursor.js";
import { InvalidCursorError } from "../domain/errors.js";
import { retryOnConflict } from "../dynamo/retry.js";
import type { BucketQueries } from "../listing/buckets.js";
import { type BatchGetRequest, batchGetAll, type Item, type Key } from "./batch.js";
import type { MultiTableCopyKeeper } from "./copy-keeper.js";
import { cancellation, isKeyOf, type Outcome } from "./dynamo.js";

/** Physical table names, by role. */
export interface MultiTableNames {
  users: string;
  emails: string;
  events: string;
  /** The events' seat counts, apart from the indexed events table (table/definition.ts, `eventSeatsTable`). */
  seats: string;
  registrations: string;
}

export const ALL_OLD = "ALL_OLD" as const;

/** The key attributes a cursor of each list carries: the primary key plus the index key of the index queried. */
export const KEYS = {
  dateIndex: ["eventId", "month", "dateEventId"],
  organizerIndex: ["eventId", "organizerId", "dateEventId"],
  registrations: ["eventId", "userId"],
  userIndex: ["eventId", "userId", "dateEventId"],
} as const;

/** A page as DynamoDB answers it. */
export interface QueryPage {
  items: Item[];
  lastKey: Key | undefined;
}

/**
 * What every part of the multi-table store shares: the client, the tables, the clock, the copy strategy and the
 * small request helpers. The access patterns live in users.ts, events.ts and registrations.ts as functions of it.
 */
export interface MultiTableSettings {
  document: DynamoDBDocumentClient;
  tables: MultiTableNames;
  cursors: CursorCodec;
  now: () => Date;
  newId: () => string;
  bucketQueries: BucketQueries;
  copies: CopyStrategy;
  /** The most copies one request may rewrite (see MAX_SYNC_COPIES). */
  maxSyncCopies: number;
  copyKeeper: MultiTableCopyKeeper;
}

export class MultiTableContext {
  readonly document: DynamoDBDocumentClient;
  readonly tables: MultiTableNames;
  readonly cursors: CursorCodec;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly bucketQueries: BucketQueries;
  readonly copies: CopyStrategy;
  readonly maxSyncCopies: number;
  readonly copyKeeper: MultiTableCopyKeeper;

  constructor(settings: MultiTableSettings) {
    this.document = settings.document;
    this.tables = settings.tables;
    this.cursors = settings.cursors;
    this.now = settings.now;
    this.newId = settings.newId;
    this.bucketQueries = settings.bucketQueries;
    this.copies = settings.copies;
    this.maxSyncCopies = settings.maxSyncCopies;
    this.copyKeeper = settings.copyKeeper;
  }

  /** Whether registrations hold copies of the names (`sync`, `stream`) or lists join them (`none`). */
  get keepsNameCopies(): boolean {
    return this.copies !== "none";
  }

  timestamp(): string {
    return this.now().toISOString();
  }

  async query(input: QueryCommandInput): Promise<QueryPage> {
    const output = await this.document.send(new QueryCommand(input));
    return { items: (output.Items ?? []) as Item[], lastKey: output.LastEvaluatedKey as Key | undefined };
  }

  /** Joins: one BatchGetItem per 100 keys, unprocessed keys retried with backoff. */
  batchGet(requests: BatchGetRequest[]): Promise<Map<string, Item[]>> {
    return batchGetAll((command) => this.document.send(command), requests);
  }

  /** One TransactWriteItems: undefined when it committed, the per-action outcomes when a condition failed. */
  async transact(items: TransactWriteCommandInput["TransactItems"]): Promise<Outcome[] | undefined> {
    try {
      await this.document.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      const outcomes = cancellation(error);
      if (!outcomes) throw error;
      return outcomes;
    }
  }

  /**
   * One TransactGetItems: the items as one committed state, none of them half-way through a write transaction
   * (undefined where one does not exist). Cancelled while such a transaction is in flight: retried.
   */
  transactGet(gets: Array<{ table: string; key: Key }>): Promise<Array<Item | undefined>> {
    return retryOnConflict(async () => {
      try {
        const { Responses = [] } = await this.document.send(
          new TransactGetCommand({
            TransactItems: gets.map(({ table, key }) => ({ Get: { TableName: table, Key: key } })),
          }),
        );
        return gets.map((_, i) => Responses[i]?.Item as Item | undefined);
      } catch (error) {
        // A conflict or throttling is thrown for the retry; a get has no condition, so any other is unexpected.
        const outcomes = cancellation(error);
        if (!outcomes) throw error;
        throw new Error(`TransactGetItems cancelled: ${outcomes.map((outcome) => outcome.code).join(",")}`);
      }
    });
  }

  encode(list: string, position: unknown): string {
    return this.cursors.encode(list, position);
  }

  /** The ExclusiveStartKey a cursor carries; a cursor of another shape (say, another design's) is invalid. */
  decodeKey(list: string, cursor: string, attributes: readonly string[]): Key {
    const key = this.cursors.decode<unknown>(list, cursor);
    if (!isKeyOf(key, attributes)) throw new InvalidCursorError();
    return key;
  }
}

/** The named attributes of an item: a key to start a query after it. */
export function pick(item: Item, attributes: readonly string[]): Key {
  return Object.fromEntries(attributes.map((name) => [name, item[name]])) as Key;
}

export function byKey(items: Item[] | undefined, attribute: string): Map<string, Item> {
  return new Map((items ?? []).map((item) => [item[attribute] as string, item]));
}
