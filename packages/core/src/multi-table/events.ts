import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { monthOf, monthsBetween } from "../domain/dates.js";
import { NotFoundError } from "../domain/errors.js";
import type { CreateEventInput, Event, StoredUser } from "../domain/schemas.js";
import { type BucketSource, decodeBucketPosition, encodeBucketPosition, walkBuckets } from "../listing/buckets.js";
import { type DateRange, lists, type Page, type PageRequest } from "../store.js";
import type { Item, Key } from "./batch.js";
import { KEYS, type MultiTableContext, pick } from "./context.js";
import { conditionFailure, isKeyOf, names } from "./dynamo.js";
import { dateEventId, toEvent } from "./mapping.js";
import { getUser } from "./users.js";

/** The events table's creation and reads (AP5–AP9); its changes are in event-changes.ts. */

/** AP5 — 1 PutItem (insert only). */
export async function createEvent(
  ctx: MultiTableContext,
  organizerId: string,
  input: CreateEventInput,
): Promise<Event> {
  const now = ctx.timestamp();
  const event: Event = {
    eventId: ctx.newId(),
    organizerId,
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    ...(input.venue ? { venue: input.venue } : {}),
    date: input.date,
    capacity: input.capacity,
    registeredCount: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await ctx.document.send(
      new PutCommand({
        TableName: ctx.tables.events,
        Item: { ...event, month: monthOf(event.date), dateEventId: dateEventId(event.date, event.eventId) },
        ConditionExpression: "attribute_not_exists(#eventId)",
        ExpressionAttributeNames: names("eventId"),
      }),
    );
  } catch (error) {
    // The id is new, so an existing item can only be this call's own, committed by an attempt whose answer
    // was lost before the SDK retried: the event exists, which is what the caller asked for.
    if (!conditionFailure(error)) throw error;
  }
  return event;
}

/** AP6 — 1 GetItem. */
export async function getEventItem(ctx: MultiTableContext, eventId: string): Promise<Item> {
  const { Item } = await ctx.document.send(new GetCommand({ TableName: ctx.tables.events, Key: { eventId } }));
  if (!Item) throw new NotFoundError("event");
  return Item;
}

export async function getEvent(ctx: MultiTableContext, eventId: string): Promise<Event> {
  return toEvent(await getEventItem(ctx, eventId));
}

function isDateIndexKey(value: unknown): value is Key {
  return isKeyOf(value, KEYS.dateIndex);
}

/**
 * AP7 — 1 Query on `DateIndex` per month bucket the page touches (see listing/buckets.ts), each clipped to the
 * range. The cursor carries the bucket and DynamoDB's LastEvaluatedKey within it.
 */
export async function listEventsByDate(
  ctx: MultiTableContext,
  range: DateRange,
  page: PageRequest,
): Promise<Page<Event>> {
  const list = lists.eventsByDate(range);
  const months = monthsBetween(range.from, range.to);
  const start = page.cursor
    ? decodeBucketPosition(ctx.cursors, list, page.cursor, months, isDateIndexKey)
    : { bucket: months[0] as string, after: null };
  const source: BucketSource<Item, Key> = {
    // `<to>#~` sorts after every `<to>#<eventId>` ("~" sorts after every ULID character) and before any later
    // date: BETWEEN covers exactly the range. (Not the day after `to`: after 9999-12-31 that is
    // "+010000-01-01", which sorts before every date, and DynamoDB refuses the BETWEEN.)
    query: async (month, after, limit) => {
      const { items, lastKey } = await ctx.query({
        TableName: ctx.tables.events,
        IndexName: "DateIndex",
        KeyConditionExpression: "#month = :month AND #dateEventId BETWEEN :from AND :until",
        ExpressionAttributeNames: names("month", "dateEventId"),
        ExpressionAttributeValues: { ":month": month, ":from": range.from, ":until": `${range.to}#~` },
        Limit: limit,
        ...(after && { ExclusiveStartKey: after }),
      });
      return { items, next: lastKey ?? null };
    },
    positionAfter: (_month, item) => pick(item, KEYS.dateIndex),
  };
  const { items, next } = await walkBuckets(source, months, start, page.limit, ctx.bucketQueries);
  return { items: items.map(toEvent), cursor: encodeBucketPosition(ctx.cursors, list, next) };
}

/** One page of `OrganizerIndex`: 1 Query. */
async function organizedEvents(
  ctx: MultiTableContext,
  userId: string,
  page: PageRequest,
): Promise<{ page: Page<Event>; first: boolean }> {
  const list = lists.eventsByOrganizer(userId);
  const start = page.cursor ? ctx.decodeKey(list, page.cursor, KEYS.organizerIndex) : undefined;
  const { items, lastKey } = await ctx.query({
    TableName: ctx.tables.events,
    IndexName: "OrganizerIndex",
    KeyConditionExpression: "#organizerId = :organizerId",
    ExpressionAttributeNames: names("organizerId"),
    ExpressionAttributeValues: { ":organizerId": userId },
    Limit: page.limit,
    ...(start && { ExclusiveStartKey: start }),
  });
  return {
    page: { items: items.map(toEvent), cursor: lastKey ? ctx.encode(list, lastKey) : null },
    first: start === undefined,
  };
}

/**
 * AP8 — 1 Query per page. Events exist only for existing users (an organizer is an authenticated user, and
 * users are never deleted), so only an empty first page needs a GetItem to tell "no such user" (404) from
 * "organizes nothing".
 */
export async function listEventsByOrganizer(
  ctx: MultiTableContext,
  userId: string,
  page: PageRequest,
): Promise<Page<Event>> {
  const result = await organizedEvents(ctx, userId, page);
  if (result.first && result.page.items.length === 0) await getUser(ctx, userId);
  return result.page;
}

/** AP9 — 2 requests in parallel: GetItem (user) ‖ Query (OrganizerIndex). Its cursor continues on AP8. */
export async function getUserWithEvents(
  ctx: MultiTableContext,
  userId: string,
  page: PageRequest,
): Promise<{ user: StoredUser; events: Page<Event> }> {
  const [user, events] = await Promise.all([getUser(ctx, userId), organizedEvents(ctx, userId, { limit: page.limit })]);
  return { user, events: events.page };
}
