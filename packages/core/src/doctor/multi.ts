import { monthOf } from "../domain/dates.js";
import { dateEventId } from "../multi-table/mapping.js";
import {
  emailsTable,
  eventSeatsTable,
  eventsTable,
  idempotencyTable,
  registrationsTable,
  usersTable,
} from "../table/definition.js";
import type { Item } from "./scan.js";
import {
  describeIssues,
  EmailRowShape,
  EventRowShape,
  IdempotencyRecordShape,
  RegistrationRowShape,
  SeatsShape,
  UserShape,
} from "./shapes.js";
import type { ItemRef, Snapshot } from "./snapshot.js";

/**
 * Reads the multi-table design's rows, one reader per table: each row must have its table's shape, and the
 * index keys an event carries (`month`, `dateEventId`) must be the ones its date gives. A registration's
 * `dateEventId` must name its own event; that its date is the event's is checked with the relations.
 */
export function multiTableReader(
  tableId: string,
  table: string,
  snapshot: Snapshot,
): ((item: Item) => void) | undefined {
  const ref = (item: Item, keys: string[]): ItemRef => ({
    table,
    key: Object.fromEntries(keys.map((key) => [key, item[key]])),
  });
  switch (tableId) {
    case usersTable.id:
      return (item) => {
        snapshot.counts.items += 1;
        const at = ref(item, ["userId"]);
        const row = UserShape.safeParse(item);
        if (!row.success)
          return snapshot.unreadable(at, `user row: ${describeIssues(row.error)}`, { entity: "user", id: item.userId });
        const { userId, name, email, revision } = row.data;
        snapshot.addUser({ userId, name, email, revision: revision ?? 0, ref: at });
      };
    case emailsTable.id:
      return (item) => {
        snapshot.counts.items += 1;
        const at = ref(item, ["email"]);
        const row = EmailRowShape.safeParse(item);
        if (!row.success) return snapshot.unreadable(at, `email row: ${describeIssues(row.error)}`);
        snapshot.addMarker({ email: row.data.email, userId: row.data.userId, ref: at });
      };
    case eventsTable.id:
      return (item) => {
        snapshot.counts.items += 1;
        const at = ref(item, ["eventId"]);
        const row = EventRowShape.safeParse(item);
        if (!row.success)
          return snapshot.unreadable(at, `event row: ${describeIssues(row.error)}`, {
            entity: "event",
            id: item.eventId,
          });
        const event = row.data;
        const stale: string[] = [];
        if (event.month !== monthOf(event.date))
          stale.push(`month is ${event.month}, its date gives ${monthOf(event.date)}`);
        const sortKey = dateEventId(event.date, event.eventId);
        if (event.dateEventId !== sortKey) stale.push(`dateEventId is ${event.dateEventId}, expected ${sortKey}`);
        if (stale.length > 0) snapshot.report("stale_key", at, `event ${event.eventId}: ${stale.join("; ")}`);
        snapshot.addEvent({
          eventId: event.eventId,
          organizerId: event.organizerId,
          name: event.name,
          date: event.date,
          venue: event.venue,
          capacity: event.capacity,
          version: event.version,
          ref: at,
        });
      };
    case eventSeatsTable.id:
      return (item) => {
        snapshot.counts.items += 1;
        const at = ref(item, ["eventId"]);
        const row = SeatsShape.safeParse(item);
        if (!row.success) {
          return snapshot.unreadable(at, `seats row: ${describeIssues(row.error)}`, {
            entity: "seats",
            id: item.eventId,
          });
        }
        const { eventId, organizerId, capacity, registeredCount } = row.data;
        snapshot.addSeats({ eventId, organizerId, capacity, registeredCount, ref: at });
      };
    case registrationsTable.id:
      return (item) => {
        snapshot.counts.items += 1;
        const at = ref(item, ["eventId", "userId"]);
        const row = RegistrationRowShape.safeParse(item);
        if (!row.success) return snapshot.unreadable(at, `registration row: ${describeIssues(row.error)}`);
        const { eventId, userId, userName, userRevision, eventName, eventDate, eventVenue, eventVersion } = row.data;
        const date = row.data.dateEventId.slice(0, 10);
        if (row.data.dateEventId !== dateEventId(date, eventId)) {
          snapshot.report(
            "stale_key",
            at,
            `registration: dateEventId ${row.data.dateEventId} does not name event ${eventId}`,
          );
        }
        snapshot.addRegistration({
          eventId,
          userId,
          keyDate: date,
          copies: { userName, userRevision, eventName, eventDate, eventVenue, eventVersion },
          ref: at,
        });
      };
    case idempotencyTable.id:
      return (item) => {
        snapshot.counts.items += 1;
        const at = ref(item, ["id"]);
        const record = IdempotencyRecordShape.safeParse(item);
        if (record.success && typeof item.id === "string") snapshot.counts.idempotencyRecords += 1;
        else
          snapshot.unreadable(
            at,
            `idempotency record: ${record.success ? "id is not a string" : describeIssues(record.error)}`,
          );
      };
    default:
      return undefined;
  }
}
