import { monthOf, monthsBetween } from "../domain/dates.js";
import { NotFoundError } from "../domain/errors.js";
import { caughtMidChange } from "../domain/event-snapshot.js";
import { newEvent } from "../domain/new-event.js";
import type { CreateEventInput, Event, StoredUser } from "../domain/schemas.js";
import { retryOnConflict } from "../dynamo/retry.js";
import { type BucketSource, decodeBucketPosition, encodeBucketPosition, walkBuckets } from "../listing/buckets.js";
import { type DateRange, lists, type Page, type PageRequest } from "../store.js";
import type { Item, Key } from "./batch.js";
import { byKey, KEYS, type MultiTableContext, pick } from "./context.js";
import { isKeyOf, names } from "./dynamo.js";
import { dateEventId, toEvent } from "./mapping.js";
import { getUser } from "./users.js";

/** The events table's creation and reads (AP5–AP9); its changes are in event-changes.ts. */

/** AP5 — 1 TransactWriteItems: the event and its seats (0 of `capacity` taken), both insert only. */
export async function createEvent(
  ctx: MultiTableContext,
  organizerId: string,
  input: CreateEventInput,
): Promise<Event> {
  const eventId = ctx.newId();
  const { event, seats } = newEvent(input, { eventId, organizerId, now: ctx.timestamp() });
  const item: Item = { ...event, month: monthOf(input.date), dateEventId: dateEventId(input.date, eventId) };
  const insert = (TableName: string, Item: Item) => ({
    Put: {
      TableName,
      Item,
      ConditionExpression: "attribute_not_exists(#eventId)",
      ExpressionAttributeNames: names("eventId"),
    },
  });
  const outcomes = await retryOnConflict(() =>
    ctx.transact([insert(ctx.tables.events, item), insert(ctx.tables.seats, seats)]),
  );
  // The id is new, so an existing item can only be this call's own, committed by an attempt whose answer was
  // lost before the SDK retried: the event exists, which is what the caller asked for.
  if (outcomes && !outcomes.some((outcome) => outcome.code === "ConditionalCheckFailed")) {
    throw new Error(`createEvent cancelled: ${outcomes.map((outcome) => outcome.code).join(",")}`);
  }
  return toEvent(item, seats);
}

/**
 * AP6 — 1 BatchGetItem across the events and seats tables (one request, one round trip; GetItem reads one
 * table). Undefined when either is missing: they are created and deleted together, so a read that sees one
 * without the other caught the event being created or deleted. A read that caught a capacity change half-way
 * is read again, isolated (`settled`).
 */
export async function getEventItems(
  ctx: MultiTableContext,
  eventId: string,
  options: { consistent?: boolean } = {},
): Promise<{ event: Item; seats: Item } | undefined> {
  const consistent = options.consistent === true;
  const found = await ctx.batchGet([
    { table: ctx.tables.events, keys: [{ eventId }], consistent },
    { table: ctx.tables.seats, keys: [{ eventId }], consistent },
  ]);
  const event = found.get(ctx.tables.events)?.[0];
  const seats = found.get(ctx.tables.seats)?.[0];
  return event && seats ? settled(ctx, event, seats) : undefined;
}

/**
 * An event item and its seats item read together, not isolated: themselves, unless the read caught a capacity
 * change half-way (domain/event-snapshot.ts) — then 1 TransactGetItems reads both again. Undefined when gone since.
 */
export async function settled(
  ctx: MultiTableContext,
  event: Item,
  seats: Item,
): Promise<{ event: Item; seats: Item } | undefined> {
  if (!caughtMidChange(event, seats)) return { event, seats };
  const key = { eventId: event.eventId };
  const [current, counted] = await ctx.transactGet([
    { table: ctx.tables.events, key },
    { table: ctx.tables.seats, key },
  ]);
  return current && counted ? { event: current, seats: counted } : undefined;
}

export async function getEvent(ctx: MultiTableContext, eventId: string): Promise<Event> {
  const found = await getEventItems(ctx, eventId);
  if (!found) throw new NotFoundError("event");
  return toEvent(found.event, found.seats);
}

/**
 * AP7–AP9's join: a page of events with their seats, 1 BatchGetItem (none for an empty page). The price of the
 * counter kept out of the events table's indexes: one request more per list page. An event whose seats are gone
 * was deleted (its index entry lags the delete) and is left out; one caught mid-change is read again (`settled`).
 */
export async function withSeats(ctx: MultiTableContext, events: Item[]): Promise<Event[]> {
  if (events.length === 0) return [];
  const found = await ctx.batchGet([{ table: ctx.tables.seats, keys: events.map(({ eventId }) => ({ eventId })) }]);
  const seats = byKey(found.get(ctx.tables.seats), "eventId");
  const joined = await Promise.all(
    events.map(async (event) => {
      const counted = seats.get(event.eventId as string);
      const pair = counted && (await settled(ctx, event, counted));
      return pair ? toEvent(pair.event, pair.seats) : undefined;
    }),
  );
  return joined.filter((event) => event !== undefined);
}

function isDateIndexKey(value: unknown): value is Key {
  return isKeyOf(value, KEYS.dateIndex);
}

/**
 * AP7 — 1 Query on `DateIndex` per month bucket the page touches (see listing/buckets.ts), each clipped to the
 * range, then 1 BatchGetItem for the page's seats. The cursor carries the bucket and DynamoDB's LastEvaluatedKey within it.
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
  return { items: await withSeats(ctx, items), cursor: encodeBucketPosition(ctx.cursors, list, next) };
}

/** One page of `OrganizerIndex`: 1 Query, + 1 BatchGetItem (the seats) when it has events. */
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
    page: { items: await withSeats(ctx, items), cursor: lastKey ? ctx.encode(list, lastKey) : null },
    first: start === undefined,
  };
}

/**
 * AP8 — 1 Query per page, + the page's seats. Events exist only for existing users (an organizer is an authenticated user, and
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

/** AP9 — GetItem (user) ‖ Query (OrganizerIndex), then the page's seats. Its cursor continues on AP8. */
export async function getUserWithEvents(
  ctx: MultiTableContext,
  userId: string,
  page: PageRequest,
): Promise<{ user: StoredUser; events: Page<Event> }> {
  const [user, events] = await Promise.all([getUser(ctx, userId), organizedEvents(ctx, userId, { limit: page.limit })]);
  return { user, events: events.page };
}
