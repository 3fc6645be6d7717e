import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Entity, Service } from "electrodb";
import { monthOf } from "../domain/dates.js";
import { electrodbClient } from "./electrodb-commands.js";

/**
 * The single-table model. Every key is an explicit template so the layout reads like the usual single-table
 * drawing (and is what the table-layout view of the comparison shows):
 *
 * | item          | pk              | sk                    | gsi1pk           | gsi1sk            | gsi2pk              | gsi2sk                |
 * |---------------|-----------------|-----------------------|------------------|-------------------|---------------------|-----------------------|
 * | User          | USER#<userId>   | PROFILE               | ATTENDEE#<userId>| $USER             | ORGANIZER#<userId>  | $USER                 |
 * | EmailMarker   | EMAIL#<email>   | EMAIL                 |                  |                   |                     |                       |
 * | Event         | EVENT#<eventId> | $EVENT                | MONTH#<yyyy-mm>  | <date>#<eventId>  | ORGANIZER#<orgId>   | EVENT#<date>#<eventId>|
 * | Registration  | EVENT#<eventId> | REG#<userId>          | ATTENDEE#<userId>| EVENT#<date>#<eventId> |                |                       |
 *
 * Collections: `attendance` (event + its registrations, AP14/AP15), `organizer` (user + events they organize,
 * AP8/AP9), `attendee` (user + their registrations, AP16). The parent item's sort key starts with `$`, which
 * sorts before every child key, so the first page of a collection query holds the parent and then the children
 * in order: one request answers "does it exist?" and "first page" together.
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
 * The four entities and the Service over them, each built on first use. ElectroDB validates a model when it
 * builds the entity (~13 ms for the first one in a fresh process here, ~35 ms for all four and the Service):
 * a cold start that
 * serves `GET /events/{id}` builds only the Event entity. The Service joins the same instances later.
 */
export function createEntities(document: DynamoDBDocumentClient, table: string) {
  const client = electrodbClient(document);
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
              pk: { field: "pk", composite: ["userId"], template: "USER#${userId}", casing: none },
              sk: { field: "sk", composite: [], template: "PROFILE", casing: none },
            },
            attendee: {
              index: "gsi1",
              collection: "attendee",
              pk: { field: "gsi1pk", composite: ["userId"], template: "ATTENDEE#${userId}", casing: none },
              sk: { field: "gsi1sk", composite: [], template: "$USER", casing: none },
            },
            organizer: {
              index: "gsi2",
              collection: "organizer",
              pk: { field: "gsi2pk", composite: ["organizerId"], template: "ORGANIZER#${organizerId}", casing: none },
              sk: { field: "gsi2sk", composite: [], template: "$USER", casing: none },
            },
          },
        },
        { client, table },
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
              pk: { field: "pk", composite: ["email"], template: "EMAIL#${email}", casing: none },
              sk: { field: "sk", composite: [], template: "EMAIL", casing: none },
            },
          },
        },
        { client, table },
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
            capacity: { type: "number", required: true },
            registeredCount: { type: "number", required: true },
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
              pk: { field: "pk", composite: ["eventId"], template: "EVENT#${eventId}", casing: none },
              sk: { field: "sk", composite: [], template: "$EVENT", casing: none },
            },
            byMonth: {
              index: "gsi1",
              pk: { field: "gsi1pk", composite: ["month"], template: "MONTH#${month}", casing: none },
              sk: { field: "gsi1sk", composite: ["date", "eventId"], template: "${date}#${eventId}", casing: none },
            },
            organizer: {
              index: "gsi2",
              collection: "organizer",
              pk: { field: "gsi2pk", composite: ["organizerId"], template: "ORGANIZER#${organizerId}", casing: none },
              sk: {
                field: "gsi2sk",
                composite: ["date", "eventId"],
                template: "EVENT#${date}#${eventId}",
                casing: none,
              },
            },
          },
        },
        { client, table },
      ),
  );

  /** Registrations copy the names and date they are listed with, so AP14 and AP16 are one query per page. */
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
            // Immutable copy: lets the cancel condition check "the attendee or the organizer" in one write.
            organizerId: { type: "string", required: true, readOnly: true },
            userName: { type: "string", required: true },
            eventName: { type: "string", required: true },
            eventDate: { type: "string", required: true },
            eventVenue: { type: "string" },
            // The event version the copies above were taken from: a refresh never overwrites newer copies with older.
            eventVersion: { type: "number" },
          },
          indexes: {
            byEvent: {
              collection: "attendance",
              pk: { field: "pk", composite: ["eventId"], template: "EVENT#${eventId}", casing: none },
              sk: { field: "sk", composite: ["userId"], template: "REG#${userId}", casing: none },
            },
            attendee: {
              index: "gsi1",
              collection: "attendee",
              pk: { field: "gsi1pk", composite: ["userId"], template: "ATTENDEE#${userId}", casing: none },
              sk: {
                field: "gsi1sk",
                composite: ["eventDate", "eventId"],
                template: "EVENT#${eventDate}#${eventId}",
                casing: none,
              },
            },
          },
        },
        { client, table },
      ),
  );

  const service = lazy(
    () =>
      new Service(
        { user: user(), emailMarker: emailMarker(), event: event(), registration: registration() },
        { client, table },
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
    get registration() {
      return registration();
    },
    get service() {
      return service();
    },
  };
}

export type SingleTableModel = ReturnType<typeof createEntities>;
