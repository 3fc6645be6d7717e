import { QueryCommand, TransactGetCommand } from "@aws-sdk/lib-dynamodb";
import { itemKeys, KEYS } from "@tablelab/core";
import type { TestDatabase } from "./database.js";

/**
 * Design-aware raw reads for invariant checks: what is really stored, read straight from DynamoDB rather
 * than through the Store under test.
 */
/** Where an event's seat count is kept: its seats item (single) or `EventSeats` row (multi). */
function seatsKey(db: TestDatabase, eventId: string) {
  return db.design === "single"
    ? { TableName: db.tableNames.Table, Key: itemKeys.seats(eventId) }
    : { TableName: db.tableNames.EventSeats, Key: { eventId } };
}

function registrationKey(db: TestDatabase, eventId: string, userId: string) {
  return db.design === "single"
    ? { TableName: db.tableNames.Table, Key: itemKeys.registration(eventId, userId) }
    : { TableName: db.tableNames.Registrations, Key: { eventId, userId } };
}

/**
 * One consistent snapshot (TransactGetItems) of an event's seats and the registrations of up to 99 candidate
 * users: the event's registeredCount and how many of those registrations exist, read at the same instant.
 */
export async function snapshot(db: TestDatabase, eventId: string, userIds: string[]) {
  if (userIds.length > 99) throw new Error("a TransactGetItems reads at most 100 items");
  const response = await db.clients.document.send(
    new TransactGetCommand({
      TransactItems: [
        { Get: seatsKey(db, eventId) },
        ...userIds.map((userId) => ({ Get: registrationKey(db, eventId, userId) })),
      ],
    }),
  );
  const [event, ...registrations] = response.Responses ?? [];
  const item = event?.Item as { registeredCount: number; capacity: number } | undefined;
  return {
    exists: item !== undefined,
    registeredCount: item?.registeredCount ?? 0,
    capacity: item?.capacity ?? 0,
    registered: registrations.filter((entry) => entry.Item !== undefined).length,
  };
}

/** Every stored registration item of an event, read from the base table with a consistent Query. */
export async function storedRegistrations(db: TestDatabase, eventId: string): Promise<Record<string, unknown>[]> {
  const query =
    db.design === "single"
      ? {
          TableName: db.tableNames.Table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :reg)",
          ExpressionAttributeValues: { ":pk": `${KEYS.event}${eventId}`, ":reg": KEYS.registration },
        }
      : {
          TableName: db.tableNames.Registrations,
          KeyConditionExpression: "eventId = :eventId",
          ExpressionAttributeValues: { ":eventId": eventId },
        };
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.clients.document.send(
      new QueryCommand({ ...query, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
