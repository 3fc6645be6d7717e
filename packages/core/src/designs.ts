import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type CopyStrategy, DEFAULT_COPIES } from "./copies/strategy.js";
import type { BucketQueries } from "./listing/buckets.js";
import { MultiTableStore } from "./multi-table/store.js";
import { SingleTableStore } from "./single-table/store.js";
import type { Store, TableDesign } from "./store.js";
import {
  emailsTable,
  eventSeatsTable,
  eventsTable,
  registrationsTable,
  singleTable,
  usersTable,
} from "./table/definition.js";

export interface StoreOptions {
  design: TableDesign;
  document: DynamoDBDocumentClient;
  /** Physical table name per logical table id (see `defaultTableNames`). */
  tableNames: Record<string, string>;
  cursorSecret: string;
  now?: () => Date;
  newId?: () => string;
  /** AP7's month buckets: queried one at a time (the default) or all at once; see listing/buckets.ts. */
  bucketQueries?: BucketQueries;
  /** How registrations keep copies of names (COPIES); the design's default when absent. */
  copies?: CopyStrategy;
  /** COPIES=sync: the most copies one request may rewrite (tests lower it); MAX_SYNC_COPIES when absent. */
  maxSyncCopies?: number;
}

function tableName(names: Record<string, string>, id: string): string {
  const name = names[id];
  if (!name) throw new Error(`no physical name given for table ${id}`);
  return name;
}

export function createStore(storeOptions: StoreOptions): Store {
  const options = { ...storeOptions, copies: storeOptions.copies ?? DEFAULT_COPIES[storeOptions.design] };
  switch (options.design) {
    case "single":
      return new SingleTableStore({ ...options, tableName: tableName(options.tableNames, singleTable.id) });
    case "multi":
      return new MultiTableStore({
        ...options,
        tables: {
          users: tableName(options.tableNames, usersTable.id),
          emails: tableName(options.tableNames, emailsTable.id),
          events: tableName(options.tableNames, eventsTable.id),
          seats: tableName(options.tableNames, eventSeatsTable.id),
          registrations: tableName(options.tableNames, registrationsTable.id),
        },
      });
    default:
      throw new Error(`no store for design ${options.design}`);
  }
}
