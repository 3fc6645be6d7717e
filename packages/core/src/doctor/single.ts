import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { z } from "zod";
import { createEntities } from "../single-table/entities.js";
import { IDENTIFIERS } from "../single-table/layout.js";
import { idempotencyLayout } from "../table/designs.js";
import type { Item } from "./scan.js";
import {
  describeIssues,
  EventShape,
  IdempotencyRecordShape,
  MarkerShape,
  SeatsShape,
  SingleRegistrationShape,
  UserShape,
} from "./shapes.js";
import type { Claimed, ItemRef, Snapshot } from "./snapshot.js";

/** The attributes ElectroDB derives from an item's own: its keys (and hidden ones such as the event's `month`). */
const KEY_FIELDS = ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"] as const;

/**
 * Reads the single table's items with the ElectroDB entities that own them (by their identity attributes, `IDENTIFIERS`):
 * an item is readable when its entity parses it, its attributes have the stored shape, and `put(…).params()`
 * of those attributes reproduces it — every key, index key and derived attribute (a stale GSI key, such as a
 * month bucket that does not match the date, fails here). Idempotency records are recognised by their key
 * layout and shape, counted and skipped.
 */
export function singleTableReader(document: DynamoDBDocumentClient, table: string, snapshot: Snapshot) {
  const model = createEntities(document, table);
  const idempotency = idempotencyLayout("single").sortKey;
  type Owned = { parse: (item: { Item: Item }) => { data: unknown }; put: (data: never) => { params(): unknown } };
  const entities = {
    user: { entity: model.user as unknown as Owned, shape: UserShape as z.ZodType },
    emailMarker: { entity: model.emailMarker as unknown as Owned, shape: MarkerShape as z.ZodType },
    event: { entity: model.event as unknown as Owned, shape: EventShape as z.ZodType },
    seats: { entity: model.seats as unknown as Owned, shape: SeatsShape as z.ZodType },
    registration: { entity: model.registration as unknown as Owned, shape: SingleRegistrationShape as z.ZodType },
  };

  /** The model's reading of an item, or undefined after reporting it unreadable or stale. */
  function read(item: Item, ref: ItemRef): { entity: keyof typeof entities; data: Item } | undefined {
    const name = item[IDENTIFIERS.entity];
    const owner =
      typeof name === "string" && Object.hasOwn(entities, name) ? entities[name as keyof typeof entities] : undefined;
    const data = owner?.entity.parse({ Item: item }).data as Item | null | undefined;
    if (!owner || !data) {
      snapshot.unreadable(
        ref,
        `no entity of the model owns this item (${IDENTIFIERS.entity} ${JSON.stringify(name)}, ${IDENTIFIERS.version} ${JSON.stringify(item[IDENTIFIERS.version])})`,
      );
      return undefined;
    }
    const claims = claimOf(name as string, item);
    const shaped = owner.shape.safeParse(data);
    if (!shaped.success) {
      snapshot.unreadable(ref, `${name} item: ${describeIssues(shaped.error)}`, claims);
      return undefined;
    }
    let expected: Item;
    try {
      expected = (owner.entity.put(data as never).params() as { Item: Item }).Item;
    } catch (error) {
      snapshot.unreadable(ref, `${name} item: ${(error as Error).message}`, claims);
      return undefined;
    }
    const fields = new Set<string>([...KEY_FIELDS, ...Object.keys(expected)]);
    const stale = [...fields].filter((field) => !sameValue(item[field], expected[field]));
    if (stale.length > 0) {
      const details = stale.map(
        (field) =>
          `${field} is ${JSON.stringify(item[field]) ?? "absent"}, expected ${JSON.stringify(expected[field]) ?? "absent"}`,
      );
      snapshot.report("stale_key", ref, `${name} item: ${details.join("; ")}`);
    }
    return { entity: name as keyof typeof entities, data };
  }

  return (item: Item) => {
    snapshot.counts.items += 1;
    const ref: ItemRef = { table, key: { pk: item.pk, sk: item.sk } };
    if (idempotency && item[idempotency.attribute] === idempotency.value) {
      const record = IdempotencyRecordShape.safeParse(item);
      if (record.success && typeof item.pk === "string") snapshot.counts.idempotencyRecords += 1;
      else
        snapshot.unreadable(
          ref,
          `idempotency record: ${record.success ? "pk is not a string" : describeIssues(record.error)}`,
        );
      return;
    }
    const readable = read(item, ref);
    if (!readable) return;
    switch (readable.entity) {
      case "user": {
        const data = readable.data as z.infer<typeof UserShape>;
        snapshot.addUser({
          userId: data.userId,
          name: data.name,
          email: data.email,
          revision: data.revision ?? counter(item, "revision") ?? 0,
          ref,
        });
        break;
      }
      case "emailMarker": {
        const data = readable.data as z.infer<typeof MarkerShape>;
        snapshot.addMarker({ email: data.email, userId: data.userId, name: data.name, ref });
        break;
      }
      case "event": {
        const data = readable.data as z.infer<typeof EventShape>;
        snapshot.addEvent({
          eventId: data.eventId,
          organizerId: data.organizerId,
          name: data.name,
          date: data.date,
          venue: data.venue,
          capacity: data.capacity,
          version: data.version,
          ref,
        });
        break;
      }
      case "seats": {
        const { eventId, organizerId, capacity, registeredCount } = readable.data as z.infer<typeof SeatsShape>;
        snapshot.addSeats({ eventId, organizerId, capacity, registeredCount, ref });
        break;
      }
      case "registration": {
        const data = readable.data as z.infer<typeof SingleRegistrationShape>;
        snapshot.addRegistration({
          eventId: data.eventId,
          userId: data.userId,
          // gsi1sk sorts on eventDate (that the key matches it, `read` checked): the date is a key here.
          keyDate: data.eventDate,
          copies: {
            userName: data.userName,
            userRevision: data.userRevision ?? counter(item, "userRevision"),
            eventName: data.eventName,
            eventVenue: data.eventVenue,
            eventVersion: data.eventVersion ?? counter(item, "eventVersion"),
          },
          ref,
        });
        break;
      }
    }
  };
}

/**
 * A revision or version as stored, for a model whose entity does not declare the attribute (ElectroDB's parse
 * drops what the schema does not name): a copy's revision is checked whether or not the model reads it.
 */
function counter(item: Item, attribute: string): number | undefined {
  const value = item[attribute];
  return typeof value === "number" ? value : undefined;
}

/** The user, event or event's seats an unreadable item of the model says it is. */
function claimOf(entity: string, item: Item): { entity: Claimed; id: unknown } | undefined {
  if (entity === "user") return { entity, id: item.userId };
  if (entity === "event" || entity === "seats") return { entity, id: item.eventId };
  return undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b));
}
