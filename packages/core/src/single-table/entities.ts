import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Entity, Service } from "electrodb";
import { monthOf } from "../domain/dates.js";
import { electrodbClient } from "./electrodb-commands.js";
import { INDEX_PROJECTIONS, KEYS, LEAN_LAYOUT, type SingleTableLayout } from "./layout.js";

/**
 * The single-table model. Every key is an explicit template so the layout reads like the usual single-table
 * drawing (and is what the table-layout view of the comparison shows). The prefixes are layout.ts's `KEYS`
 * (U user, M email marker, E event, R registration, A attendee, D date bucket = month, O organizer):
 *
 * | item          | pk           | sk         | gsi1pk       | gsi1sk                | gsi2pk      | gsi2sk                |
 * |---------------|--------------|------------|--------------|-----------------------|-------------|-----------------------|
 * | User          | U#<userId>   | U          | A#<userId>   | $U                    | O#<userId>  | $U                    |
 * | EmailMarker   | M#<email>    | M          |              |                       |             |                       |
 * | Event         | E#<eventId>  | $E         | D#<yyyy-mm>  | <date>#<eventId>      | O#<orgId>   | E#<date>#<eventId>    |
 * | Seats         | E#<eventId>  | $E#S       |              |                       |             |                       |
 * | Registration  | E#<eventId>  | R#<userId> | A#<userId>   | R#<date>#<eventId>    |             |                       |
 *
 * ElectroDB's identity attributes are `_e`/`_v` (its `identifiers` option; layout.ts `IDENTIFIERS`), and each
 * GSI projects what its queries return (layout.ts `INDEX_PROJECTIONS`, declared on each index below as its
 * `projection` with the identity attributes, so ElectroDB keeps checking which entity owns an index item).
 *
 * Collections: `attendance` (event + its registrations, AP14/AP15), `organizer` (user + events they organize,
 * AP8/AP9), `attendee` (user + their registrations, AP16). The parent item's sort key starts with `$`, which
 * sorts before every child key, so the first page of a collection query holds the parent and then the children
 * in order: one request answers "does it exist?" and "first page" together. An event's parent items are two:
 * the event and its seats (`$E` < `$E#S` < `R#…`).
 *
 * Seats (issue 12, "hot counter"): the seat count changes with every registration and cancellation, so it lives
 * in its own item with no index keys — rewriting it writes no index partition (the event item is copied into the
 * month and organizer indexes, which a counter on it would rewrite every time). The seats item also holds the
 * capacity (the invariant `registeredCount <= capacity` is one condition on one item) and the organizer, so an
 * organizer's cancellation is checked there too. Reads that return an Event join it: in the `attendance`
 * collection it is read with the event; the event lists read it with one BatchGetItem a page.
 *
 * Casing is "none" on every key: ids reach the model only as validated upper-case ULIDs and emails only
 * NFC-normalized and lower-cased, so the model never needs to fold case — and folding would make two distinct
 * values one key. User input appears in a key only as a ULID, a validated date, or the email, which is always the
 * last segment of a partition key with its own prefix, so no input can forge another item's key.
 */
export const SERVICE = "tablelab";

const none = "none" as const;

/** `make()` once, on first call. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/**
 * The five entities and the Service over them, each built on first use. ElectroDB validates a model when it
 * builds the entity (~13 ms for the first one in a fresh process here, ~35 ms for all four and the Service):
 * a cold start that
 * serves `GET /events/{id}` builds only the Event entity. The Service joins the same instances later.
 */
export function createEntities(
  document: DynamoDBDocumentClient,
  table: string,
  layout: SingleTableLayout = LEAN_LAYOUT,
) {
  const client = electrodbClient(document);
  const k = layout.keys;
  const config = { client, table, identifiers: layout.identifiers };
  const identity = [layout.identifiers.entity, layout.identifiers.version];
  const projection = (index: keyof typeof INDEX_PROJECTIONS, entity: string): string[] => [
    ...((INDEX_PROJECTIONS[index] as Record<string, readonly string[]>)[entity] ?? []),
    ...identity,
  ];
  const user = lazy(
    () =>
      new Entity(
        {
          model: { entity: "user", version: "1", service: SERVICE },
          attributes: {
            userId: { type: "string", required: true, readOnly: true },
            name: { type: "string", required: true },
            email: { type: "string", required: true },
            createdAt: { type: "string", required: true, readOnly: true },
            updatedAt: { type: "string", required: true },
            // +1 on every update of the user item (absent on old items: 0). Copies of the name carry the revision
            // they were taken from, so a copy write never replaces a newer copy (copies/changes.ts). Not part of
            // the domain's User (toUser leaves it out); not ElectroDB-`hidden`, because the stores and the
            // integrity check read it back.
            revision: { type: "number", default: 1 },
            // Collections need the same composite name on every member: the user's own id, as organizer.
            organizerId: {
              type: "string",
              hidden: true,
              readOnly: true,
              watch: ["userId"],
              set: (_: unknown, item: { userId?: string }) => item.userId,
            },
          },
          indexes: {
            byId: {
              pk: { field: "pk", composite: ["userId"], template: `${k.user}\${userId}`, casing: none },
              sk: { field: "sk", composite: [], template: k.userItem, casing: none },
            },
            attendee: {
              index: "gsi1",
              collection: "attendee",
              projection: projection("gsi1", "user"),
              pk: { field: "gsi1pk", composite: ["userId"], template: `${k.attendee}\${userId}`, casing: none },
              sk: { field: "gsi1sk", composite: [], template: k.userInCollection, casing: none },
            },
            organizer: {
              index: "gsi2",
              collection: "organizer",
              projection: projection("gsi2", "user"),
              pk: {
                field: "gsi2pk",
                composite: ["organizerId"],
                template: `${k.organizer}\${organizerId}`,
                casing: none,
              },
              sk: { field: "gsi2sk", composite: [], template: k.userInCollection, casing: none },
            },
          },
        },
        config,
      ),
  );

  /** Email uniqueness (a GSI cannot enforce it) and AP2 in one GetItem: it carries a copy of the user. */
  const emailMarker = lazy(
    () =>
      new Entity(
        {
          model: { entity: "emailMarker", version: "1", service: SERVICE },
          attributes: {
            email: { type: "string", required: true, readOnly: true },
            userId: { type: "string", required: true },
            name: { type: "string", required: true },
            createdAt: { type: "string", required: true },
            updatedAt: { type: "string", required: true },
          },
          indexes: {
            byEmail: {
              pk: { field: "pk", composite: ["email"], template: `${k.email}\${email}`, casing: none },
              sk: { field: "sk", composite: [], template: k.emailItem, casing: none },
            },
          },
        },
        config,
      ),
  );

  const event = lazy(
    () =>
      new Entity(
        {
          model: { entity: "event", version: "1", service: SERVICE },
          attributes: {
            eventId: { type: "string", required: true, readOnly: true },
            organizerId: { type: "string", required: true, readOnly: true },
            name: { type: "string", required: true },
            description: { type: "string" },
            venue: { type: "string" },
            date: { type: "string", required: true },
            // Also on the seats item, written with it in one transaction (domain/event-snapshot.ts).
            capacity: { type: "number", required: true },
            version: { type: "number", required: true },
            createdAt: { type: "string", required: true, readOnly: true },
            updatedAt: { type: "string", required: true },
            // The call that last changed it: a retried update whose first attempt committed unseen recognises it.
            writeId: { type: "string" },
            // The date bucket: events spread over one partition per month instead of one hot partition.
            month: {
              type: "string",
              hidden: true,
              watch: ["date"],
              set: (_: unknown, item: { date?: string }) => (item.date ? monthOf(item.date) : undefined),
            },
          },
          indexes: {
            byId: {
              collection: "attendance",
              pk: { field: "pk", composite: ["eventId"], template: `${k.event}\${eventId}`, casing: none },
              sk: { field: "sk", composite: [], template: k.eventItem, casing: none },
            },
            byMonth: {
              index: "gsi1",
              projection: projection("gsi1", "event"),
              pk: { field: "gsi1pk", composite: ["month"], template: `${k.month}\${month}`, casing: none },
              sk: { field: "gsi1sk", composite: ["date", "eventId"], template: "${date}#${eventId}", casing: none },
            },
            organizer: {
              index: "gsi2",
              collection: "organizer",
              projection: projection("gsi2", "event"),
              pk: {
                field: "gsi2pk",
                composite: ["organizerId"],
                template: `${k.organizer}\${organizerId}`,
                casing: none,
              },
              sk: {
                field: "gsi2sk",
                composite: ["date", "eventId"],
                template: `${k.organized}\${date}#\${eventId}`,
                casing: none,
              },
            },
          },
        },
        config,
      ),
  );

  /** The event's seat count, apart from the event so that no index copies it (see above). */
  const seats = lazy(
    () =>
      new Entity(
        {
          model: { entity: "seats", version: "1", service: SERVICE },
          attributes: {
            eventId: { type: "string", required: true, readOnly: true },
            organizerId: { type: "string", required: true, readOnly: true },
            capacity: { type: "number", required: true },
            registeredCount: { type: "number", required: true },
          },
          indexes: {
            byEvent: {
              collection: "attendance",
              pk: { field: "pk", composite: ["eventId"], template: `${k.event}\${eventId}`, casing: none },
              sk: { field: "sk", composite: [], template: k.seatsItem, casing: none },
            },
          },
        },
        config,
      ),
  );

  /**
   * Registrations copy the names and date they are listed with (COPIES=sync|stream), so AP14 and AP16 are one
   * query per page; under COPIES=none they hold no name copies and the reads join the names with one BatchGetItem
   * a page. `eventDate` is in every strategy: gsi1sk sorts AP16 on it, so it is a key, not a display copy, and the
   * event's date change rewrites it (with `eventVersion`) whatever the strategy.
   */
  const registration = lazy(
    () =>
      new Entity(
        {
          model: { entity: "registration", version: "1", service: SERVICE },
          attributes: {
            eventId: { type: "string", required: true, readOnly: true },
            userId: { type: "string", required: true, readOnly: true },
            registeredAt: { type: "string", required: true, readOnly: true },
            // Which call wrote it: a retry whose first attempt committed unseen recognises its own registration.
            writeId: { type: "string", readOnly: true },
            // Copies of the attendee's name and of the event (absent under COPIES=none, but for eventDate).
            userName: { type: "string" },
            // The user revision `userName` was taken from: a copy write never overwrites a newer copy with older.
            userRevision: { type: "number" },
            eventName: { type: "string" },
            eventDate: { type: "string", required: true },
            eventVenue: { type: "string" },
            // The event version the copies above were taken from: a refresh never overwrites newer copies with older.
            eventVersion: { type: "number" },
          },
          indexes: {
            byEvent: {
              collection: "attendance",
              pk: { field: "pk", composite: ["eventId"], template: `${k.event}\${eventId}`, casing: none },
              sk: { field: "sk", composite: ["userId"], template: `${k.registration}\${userId}`, casing: none },
            },
            attendee: {
              index: "gsi1",
              collection: "attendee",
              projection: projection("gsi1", "registration"),
              pk: { field: "gsi1pk", composite: ["userId"], template: `${k.attendee}\${userId}`, casing: none },
              sk: {
                field: "gsi1sk",
                composite: ["eventDate", "eventId"],
                template: `${k.attended}\${eventDate}#\${eventId}`,
                casing: none,
              },
            },
          },
        },
        config,
      ),
  );

  const service = lazy(
    () =>
      new Service(
        { user: user(), emailMarker: emailMarker(), event: event(), seats: seats(), registration: registration() },
        config,
      ),
  );
  return {
    get user() {
      return user();
    },
    get emailMarker() {
      return emailMarker();
    },
    get event() {
      return event();
    },
    get seats() {
      return seats();
    },
    get registration() {
      return registration();
    },
    get service() {
      return service();
    },
  };
}

export type SingleTableModel = ReturnType<typeof createEntities>;

/** A registration's eventId and userId from its table keys (`E#<eventId>` / `R#<userId>`): what the copy
 * keeper's key-only queries read, `pk, sk`, which every index entry holds. */
export function registrationKeyOf(item: Record<string, unknown>): { eventId: string; userId: string } {
  const { pk, sk } = item;
  if (
    typeof pk !== "string" ||
    typeof sk !== "string" ||
    !pk.startsWith(KEYS.event) ||
    !sk.startsWith(KEYS.registration)
  ) {
    throw new Error(`not a registration key: ${JSON.stringify({ pk, sk })}`);
  }
  return { eventId: pk.slice(KEYS.event.length), userId: sk.slice(KEYS.registration.length) };
}
