import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  type CopyStrategy,
  createEntities,
  emailsTable,
  eventSeatsTable,
  eventsTable,
  LEAN_LAYOUT,
  registrationsTable,
  type SingleTableLayout,
  singleTable,
  type TableDesign,
  usersTable,
} from "@tablelab/core";
import type { Dataset } from "../dataset.js";

/**
 * Item builders: the items each design's Store would write for the data set, built without writing them, so the
 * seeder can load them with BatchWriteItem instead of one Store call (and one transaction) per entity. The test
 * `seed-items.test.ts` checks item for item that what a builder produces equals what the Store writes.
 *
 * The shapes depend on the copy strategy (data-model.md, "Copies: a second axis"): every user carries its
 * `revision` (1 when created); under `sync` and `stream` a registration holds copies of the attendee's name
 * (`userName` + the `userRevision` it was taken from) and of the event (`eventName`, `eventVenue` when the event
 * has one, the date); under `none` it holds no name copies. The event date an index sorts on stays on the
 * registration in every strategy (single: `eventDate` in gsi1sk; multi: `dateEventId`) with the `eventVersion`
 * it was taken from: it is a key, not a display copy.
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
  copies: CopyStrategy,
) => SeedItem[];

/** A user's revision when the store creates it; seeded users have never been updated. */
export const FIRST_REVISION = 1;

/** Whether registrations hold copies of names under this strategy. */
export const keepsNameCopies = (copies: CopyStrategy) => copies !== "none";

function physical(tableNames: Record<string, string>, id: string): string {
  const name = tableNames[id];
  if (!name) throw new Error(`no physical name for table ${id}`);
  return name;
}

/**
 * Single-table: ElectroDB's own `create(...).params().Item`, so keys, hidden attributes and identity attributes
 * match. ElectroDB drops attributes its model does not declare, so the builder states the agreed shapes and the
 * model in force decides what is stored (the registration's `organizerId` is no longer stored). The layout is the
 * model's (lean-items.ts builds the same items under the layout before it was made lean, to measure the change).
 */
export const singleTableItemsIn =
  (layout: SingleTableLayout): ItemBuilder =>
  (dataset, tableNames, document, copies) => {
    const table = physical(tableNames, singleTable.id);
    const model = createEntities(document, table, layout);
    const item = (params: { Item?: Item }): SeedItem => {
      if (!params.Item) throw new Error("ElectroDB returned no Item");
      return { table, tableId: singleTable.id, item: params.Item };
    };
    const users = new Map(dataset.users.map((user) => [user.userId, user]));
    const events = new Map(dataset.events.map((event) => [event.eventId, event]));
    const out: SeedItem[] = [];
    for (const user of dataset.users) {
      out.push(item(model.user.create({ ...user, revision: FIRST_REVISION } as typeof user).params()));
      out.push(item(model.emailMarker.create({ ...user }).params()));
    }
    for (const event of dataset.events) {
      const { registeredCount, ...fields } = event;
      const { capacity } = event;
      out.push(item(model.event.create(fields).params()));
      // The seat count lives apart from the indexed event item (entities.ts, "hot counter"); the capacity is on
      // both (domain/event-snapshot.ts).
      const seats = { eventId: event.eventId, organizerId: event.organizerId, capacity, registeredCount };
      out.push(item(model.seats.create(seats).params()));
    }
    for (const registration of dataset.registrations) {
      const user = users.get(registration.userId);
      const event = events.get(registration.eventId);
      if (!user || !event) throw new Error("registration refers to a missing user or event");
      const attributes = {
        ...registration,
        organizerId: event.organizerId,
        // In every strategy: gsi1sk sorts AP16 on it (a key), with the event version it was taken from.
        eventDate: event.date,
        eventVersion: event.version,
        ...(keepsNameCopies(copies) && {
          userName: user.name,
          userRevision: FIRST_REVISION,
          eventName: event.name,
          ...(event.venue !== undefined && { eventVenue: event.venue }),
        }),
      };
      out.push(item(model.registration.create(attributes as Parameters<typeof model.registration.create>[0]).params()));
    }
    return out;
  };

export const singleTableItems: ItemBuilder = singleTableItemsIn(LEAN_LAYOUT);

/** One table per entity: the plain items MultiTableStore puts. */
export const multiTableItems: ItemBuilder = (dataset, tableNames, _document, copies) => {
  const users = physical(tableNames, usersTable.id);
  const emails = physical(tableNames, emailsTable.id);
  const events = physical(tableNames, eventsTable.id);
  const seats = physical(tableNames, eventSeatsTable.id);
  const registrations = physical(tableNames, registrationsTable.id);
  const usersById = new Map(dataset.users.map((user) => [user.userId, user]));
  const eventsById = new Map(dataset.events.map((event) => [event.eventId, event]));
  const out: SeedItem[] = [];
  for (const user of dataset.users) {
    out.push({ table: users, tableId: usersTable.id, item: { ...user, revision: FIRST_REVISION } });
    out.push({ table: emails, tableId: emailsTable.id, item: { email: user.email, userId: user.userId } });
  }
  for (const event of dataset.events) {
    const { registeredCount, ...fields } = event;
    const { capacity } = event;
    out.push({
      table: events,
      tableId: eventsTable.id,
      item: { ...fields, month: event.date.slice(0, 7), dateEventId: `${event.date}#${event.eventId}` },
    });
    // The seat count lives apart from the indexed events table (table/definition.ts, `eventSeatsTable`); the
    // capacity is on both (domain/event-snapshot.ts).
    out.push({
      table: seats,
      tableId: eventSeatsTable.id,
      item: { eventId: event.eventId, organizerId: event.organizerId, capacity, registeredCount },
    });
  }
  for (const registration of dataset.registrations) {
    const event = eventsById.get(registration.eventId);
    const user = usersById.get(registration.userId);
    if (!event || !user) throw new Error("registration refers to a missing user or event");
    out.push({
      table: registrations,
      tableId: registrationsTable.id,
      item: {
        ...registration,
        // In every strategy: UserIndex sorts AP16 on it (a key), with the event version it was taken from.
        dateEventId: `${event.date}#${registration.eventId}`,
        eventVersion: event.version,
        ...(keepsNameCopies(copies) && {
          userName: user.name,
          userRevision: FIRST_REVISION,
          eventName: event.name,
          eventDate: event.date,
          ...(event.venue !== undefined && { eventVenue: event.venue }),
        }),
      },
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
