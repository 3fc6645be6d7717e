import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  createEntities,
  emailsTable,
  eventsTable,
  registrationsTable,
  singleTable,
  type TableDesign,
  usersTable,
} from "@tablelab/core";
import type { Dataset } from "../dataset.js";

/**
 * Item builders: the items each design's Store would write for the data set, built without writing them, so the
 * seeder can load them with BatchWriteItem instead of one Store call (and one transaction) per entity. The test
 * `seed-items.test.ts` checks item for item that what a builder produces equals what the Store writes.
 */
export type Item = Record<string, unknown>;

export interface SeedItem {
  /** Physical table name. */
  table: string;
  /** Logical table id (`Table`, `Users`, …), for the census and the table-layout view. */
  tableId: string;
  item: Item;
}

export type ItemBuilder = (
  dataset: Dataset,
  tableNames: Record<string, string>,
  document: DynamoDBDocumentClient,
) => SeedItem[];

function physical(tableNames: Record<string, string>, id: string): string {
  const name = tableNames[id];
  if (!name) throw new Error(`no physical name for table ${id}`);
  return name;
}

/** Single-table: ElectroDB's own `create(...).params().Item`, so keys, hidden attributes and `__edb_*` match. */
export const singleTableItems: ItemBuilder = (dataset, tableNames, document) => {
  const table = physical(tableNames, singleTable.id);
  const model = createEntities(document, table);
  const item = (params: { Item?: Item }): SeedItem => {
    if (!params.Item) throw new Error("ElectroDB returned no Item");
    return { table, tableId: singleTable.id, item: params.Item };
  };
  const users = new Map(dataset.users.map((user) => [user.userId, user]));
  const events = new Map(dataset.events.map((event) => [event.eventId, event]));
  const out: SeedItem[] = [];
  for (const user of dataset.users) {
    out.push(item(model.user.create(user).params()));
    out.push(item(model.emailMarker.create({ ...user }).params()));
  }
  for (const event of dataset.events) out.push(item(model.event.create(event).params()));
  for (const registration of dataset.registrations) {
    const user = users.get(registration.userId);
    const event = events.get(registration.eventId);
    if (!user || !event) throw new Error("registration refers to a missing user or event");
    out.push(
      item(
        model.registration
          .create({
            ...registration,
            userName: user.name,
            userRevision: 1,
            eventName: event.name,
            eventDate: event.date,
            ...(event.venue !== undefined && { eventVenue: event.venue }),
            // The event version the copies were taken from (a refresh only overwrites older copies).
            eventVersion: event.version,
          })
          .params(),
      ),
    );
  }
  return out;
};

/** One table per entity: the plain items MultiTableStore puts (it keeps only the event date on registrations). */
export const multiTableItems: ItemBuilder = (dataset, tableNames) => {
  const users = physical(tableNames, usersTable.id);
  const emails = physical(tableNames, emailsTable.id);
  const events = physical(tableNames, eventsTable.id);
  const registrations = physical(tableNames, registrationsTable.id);
  const dates = new Map(dataset.events.map((event) => [event.eventId, event.date]));
  const out: SeedItem[] = [];
  for (const user of dataset.users) {
    out.push({ table: users, tableId: usersTable.id, item: { ...user } });
    out.push({ table: emails, tableId: emailsTable.id, item: { email: user.email, userId: user.userId } });
  }
  for (const event of dataset.events) {
    out.push({
      table: events,
      tableId: eventsTable.id,
      item: { ...event, month: event.date.slice(0, 7), dateEventId: `${event.date}#${event.eventId}` },
    });
  }
  for (const registration of dataset.registrations) {
    const date = dates.get(registration.eventId);
    if (!date) throw new Error("registration refers to a missing event");
    out.push({
      table: registrations,
      tableId: registrationsTable.id,
      item: { ...registration, dateEventId: `${date}#${registration.eventId}` },
    });
  }
  return out;
};

/**
 * One builder per design. Typed as a Record over TableDesign: a design added to the union without a builder
 * here fails the type-check, so the comparison can never silently skip seeding it.
 */
export const ITEM_BUILDERS: Record<TableDesign, ItemBuilder> = {
  single: singleTableItems,
  multi: multiTableItems,
};
