import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { AlreadyRegisteredError, EventFullError, ForbiddenError, NotFoundError } from "../domain/errors.js";
import type { Event, Registration } from "../domain/schemas.js";
import { retryOnConflict, TransactionConflict } from "../dynamo/retry.js";
import { fillPage } from "../listing/fill.js";
import { lists, type Page, type PageRequest } from "../store.js";
import type { Item } from "./batch.js";
import { ALL_OLD, byKey, KEYS, type MultiTableContext } from "./context.js";
import { names } from "./dynamo.js";
import { getEventItems, settled } from "./events.js";
import {
  dateEventId,
  type RegistrationItem,
  registrationCopies,
  toEvent,
  toRegistration,
  toRegistrationFromCopies,
} from "./mapping.js";
import { getUser } from "./users.js";

/** Registrations (AP12–AP16): written with the copies the strategy keeps, listed from them or with joins. */

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/**
 * AP12 — 2 requests. 1 BatchGetItem (consistent) reads the event, its seats and the attendee across their
 * tables: they answer 404s and "full" early, give the date (and under `sync`/`stream` the names) the registration
 * copies, and fill in the response. Then 1 TransactWriteItems: the seat (`registeredCount < capacity` on the
 * seats item, which no index copies), the registration (`attribute_not_exists`: never twice), a ConditionCheck
 * that the event's version is the one read (so the copies are current; it writes nothing) and, when it copies the
 * user's name, a ConditionCheck that the user's revision is still the one read.
 */
export async function register(ctx: MultiTableContext, eventId: string, userId: string): Promise<Registration> {
  // Which call wrote the registration: a retry whose first attempt committed unseen recognises its own.
  const writeId = ctx.newId();
  return retryOnConflict(async () => {
    // One BatchGetItem: the event, the attendee, and whether the registration exists — a caller who holds a
    // seat hears already_registered, even when the event is full.
    const found = await ctx.batchGet([
      { table: ctx.tables.events, keys: [{ eventId }], consistent: true },
      { table: ctx.tables.seats, keys: [{ eventId }], consistent: true },
      { table: ctx.tables.users, keys: [{ userId }], consistent: true },
      { table: ctx.tables.registrations, keys: [{ eventId, userId }], consistent: true },
    ]);
    const eventItem = found.get(ctx.tables.events)?.[0];
    const seatsItem = found.get(ctx.tables.seats)?.[0];
    const userItem = found.get(ctx.tables.users)?.[0];
    if (!eventItem || !seatsItem) throw new NotFoundError("event");
    if (!userItem) throw new NotFoundError("user");
    const existing = found.get(ctx.tables.registrations)?.[0];
    if (existing) {
      // Ours: an earlier attempt of this call committed but its answer was lost.
      if (existing.writeId === writeId) return toRegistration(existing, userItem, eventItem);
      throw new AlreadyRegisteredError();
    }
    const event = toEvent(eventItem, seatsItem);
    if (event.registeredCount >= event.capacity) throw new EventFullError();

    const registration: RegistrationItem = {
      eventId,
      userId,
      registeredAt: ctx.timestamp(),
      dateEventId: dateEventId(event.date, eventId),
      eventVersion: event.version,
      writeId,
      ...(ctx.keepsNameCopies && registrationCopies(userItem, eventItem)),
    };
    const actions: TransactItem[] = [
      {
        Update: {
          TableName: ctx.tables.seats,
          Key: { eventId },
          UpdateExpression: "SET #registeredCount = #registeredCount + :one",
          ConditionExpression: "#registeredCount < #capacity",
          ExpressionAttributeNames: names("registeredCount", "capacity"),
          ExpressionAttributeValues: { ":one": 1 },
          ReturnValuesOnConditionCheckFailure: ALL_OLD,
        },
      },
      {
        Put: {
          TableName: ctx.tables.registrations,
          Item: registration,
          ConditionExpression: "attribute_not_exists(#userId)",
          ExpressionAttributeNames: names("userId"),
          ReturnValuesOnConditionCheckFailure: ALL_OLD,
        },
      },
      {
        ConditionCheck: {
          TableName: ctx.tables.events,
          Key: { eventId },
          ConditionExpression: "#version = :version",
          ExpressionAttributeNames: names("version"),
          ExpressionAttributeValues: { ":version": event.version },
          ReturnValuesOnConditionCheckFailure: ALL_OLD,
        },
      },
    ];
    if (ctx.keepsNameCopies) actions.push(unchangedUser(ctx, userItem));
    const outcomes = await ctx.transact(actions);
    if (!outcomes) return toRegistration(registration, userItem, eventItem);
    const [seat, created, current] = outcomes;
    if (created?.rejected && created.item) {
      if (created.item.writeId === writeId) return toRegistration(created.item, userItem, eventItem);
      throw new AlreadyRegisteredError();
    }
    if (seat?.rejected) {
      if (!seat.item) throw new NotFoundError("event");
      const counted = seat.item as { registeredCount: number; capacity: number };
      if (counted.registeredCount >= counted.capacity) throw new EventFullError();
    }
    if (current?.rejected && !current.item) throw new NotFoundError("event");
    // The event or the user changed since we read them: read again so the copies and the response are current.
    throw new TransactionConflict();
  });
}

/** The user item still has the revision read (a rename in between would leave the copied name stale). */
function unchangedUser(ctx: MultiTableContext, userItem: Item): TransactItem {
  const revision = userItem.revision;
  return {
    ConditionCheck: {
      TableName: ctx.tables.users,
      Key: { userId: userItem.userId },
      ConditionExpression: revision === undefined ? "attribute_not_exists(#revision)" : "#revision = :revision",
      ExpressionAttributeNames: names("revision"),
      ...(revision !== undefined && { ExpressionAttributeValues: { ":revision": revision } }),
    },
  };
}

/**
 * AP13 — 1 TransactWriteItems: delete the registration (it must exist) and free the seat. Who may cancel is
 * checked inside the same transaction without keeping a copy of the organizer on the registration: the
 * attendee needs no check, anyone else must be the event's organizer (a condition on the seats update: the
 * seats item keeps the organizer, so the events item is not touched).
 */
export async function cancelRegistration(
  ctx: MultiTableContext,
  eventId: string,
  userId: string,
  actorId: string,
): Promise<void> {
  const byOrganizer = actorId !== userId;
  const outcomes = await retryOnConflict(() =>
    ctx.transact([
      {
        Delete: {
          TableName: ctx.tables.registrations,
          Key: { eventId, userId },
          ConditionExpression: "attribute_exists(#userId)",
          ExpressionAttributeNames: names("userId"),
          ReturnValuesOnConditionCheckFailure: ALL_OLD,
        },
      },
      {
        Update: {
          TableName: ctx.tables.seats,
          Key: { eventId },
          UpdateExpression: "SET #registeredCount = #registeredCount - :one",
          ConditionExpression: `#registeredCount > :zero${byOrganizer ? " AND #organizerId = :actor" : ""}`,
          ExpressionAttributeNames: names("registeredCount", ...(byOrganizer ? ["organizerId"] : [])),
          ExpressionAttributeValues: { ":one": 1, ":zero": 0, ...(byOrganizer && { ":actor": actorId }) },
          ReturnValuesOnConditionCheckFailure: ALL_OLD,
        },
      },
    ]),
  );
  if (!outcomes) return;
  const [removal, seat] = outcomes;
  if (seat?.rejected && !seat.item) throw new NotFoundError("event");
  if (removal?.rejected) throw new NotFoundError("registration");
  if (seat?.rejected && byOrganizer && seat.item?.organizerId !== actorId) {
    throw new ForbiddenError("only the attendee or the organizer may cancel");
  }
  throw new Error(`cancelRegistration cancelled: ${outcomes.map((o) => o.code).join(",")}`);
}

/**
 * One page of an event's registrations: 1 Query on the base table. Under `sync`/`stream` each item carries its
 * names, so only the first page also reads the event and its seats (1 BatchGetItem, in parallel: the 404 and
 * AP15's event). Under `none`, 1 BatchGetItem after the Query joins the event and every attendee on the page
 * (and on the first page the seats: all three tables in one request); it reads the event on every page with
 * items (each Registration shows its name, date and venue). `event` is the first page's.
 */
async function attendancePage(
  ctx: MultiTableContext,
  eventId: string,
  page: PageRequest,
): Promise<{ event: Event | undefined; attendees: Page<Registration> }> {
  const list = lists.registrationsOfEvent(eventId);
  const start = page.cursor ? ctx.decodeKey(list, page.cursor, KEYS.registrations) : undefined;
  const query = ctx.query({
    TableName: ctx.tables.registrations,
    KeyConditionExpression: "#eventId = :eventId",
    ExpressionAttributeNames: names("eventId"),
    ExpressionAttributeValues: { ":eventId": eventId },
    Limit: page.limit,
    ...(start && { ExclusiveStartKey: start }),
  });
  if (ctx.keepsNameCopies) {
    const [{ items, lastKey }, found] = await Promise.all([query, start ? undefined : getEventItems(ctx, eventId)]);
    if (!start && !found) throw new NotFoundError("event");
    const cursor = lastKey ? ctx.encode(list, lastKey) : null;
    const event = found && toEvent(found.event, found.seats);
    return { event, attendees: { items: items.map(toRegistrationFromCopies), cursor } };
  }
  const { items, lastKey } = await query;
  const cursor = lastKey ? ctx.encode(list, lastKey) : null;
  if (start && items.length === 0) return { event: undefined, attendees: { items: [], cursor } };
  const found = await ctx.batchGet([
    { table: ctx.tables.events, keys: [{ eventId }] },
    { table: ctx.tables.seats, keys: start ? [] : [{ eventId }] },
    { table: ctx.tables.users, keys: items.map((item) => ({ userId: item.userId })) },
  ]);
  const event = found.get(ctx.tables.events)?.[0];
  const seats = found.get(ctx.tables.seats)?.[0];
  if (!event || (!start && !seats)) throw new NotFoundError("event");
  const pair = seats && (await settled(ctx, event, seats));
  if (seats && !pair) throw new NotFoundError("event");
  const users = byKey(found.get(ctx.tables.users), "userId");
  return {
    event: pair && toEvent(pair.event, pair.seats),
    attendees: { items: items.map((item) => toRegistration(item, joined(users, item.userId), event)), cursor },
  };
}

/** AP14 — per page: Query (Registrations), + the event's GetItem (copies) or a BatchGetItem join (`none`). */
export async function listRegistrations(
  ctx: MultiTableContext,
  eventId: string,
  page: PageRequest,
): Promise<Page<Registration>> {
  return (await attendancePage(ctx, eventId, page)).attendees;
}

/** AP15 — the first page of AP14, which already reads the event. */
export async function getEventWithAttendees(
  ctx: MultiTableContext,
  eventId: string,
  page: PageRequest,
): Promise<{ event: Event; attendees: Page<Registration> }> {
  const { event, attendees } = await attendancePage(ctx, eventId, { limit: page.limit });
  if (!event) throw new NotFoundError("event");
  return { event, attendees };
}

/**
 * AP16 — 1 Query on `UserIndex` per page (by event date, then eventId). Under `sync`/`stream` the items carry
 * their names; the first page also reads the user (1 GetItem, in parallel) for the 404. Under `none`, 1
 * BatchGetItem joins the user (404 on the first page; their name on every item) and the page's events, leaving
 * out registrations whose event is gone (deleted, its registrations being removed) and reading on to fill the
 * page.
 */
export async function listUserRegistrations(
  ctx: MultiTableContext,
  userId: string,
  page: PageRequest,
): Promise<Page<Registration>> {
  const list = lists.registrationsOfUser(userId);
  const start = page.cursor ? ctx.decodeKey(list, page.cursor, KEYS.userIndex) : null;
  const query = (after: Item | null, limit: number) =>
    ctx.query({
      TableName: ctx.tables.registrations,
      IndexName: "UserIndex",
      KeyConditionExpression: "#userId = :userId",
      ExpressionAttributeNames: names("userId"),
      ExpressionAttributeValues: { ":userId": userId },
      Limit: limit,
      ...(after && { ExclusiveStartKey: after }),
    });
  if (ctx.keepsNameCopies) {
    const [{ items, lastKey }] = await Promise.all([
      query(start, page.limit),
      start ? undefined : getUser(ctx, userId),
    ]);
    return { items: items.map(toRegistrationFromCopies), cursor: lastKey ? ctx.encode(list, lastKey) : null };
  }
  // Read on while registrations whose event is gone leave the page short (see listing/fill.ts).
  const { items, next } = await fillPage(page.limit, start, async (after, limit) => {
    const { items, lastKey } = await query(after, limit);
    return { items: await withEvents(ctx, userId, items, after === null), next: lastKey ?? null };
  });
  return { items, cursor: next ? ctx.encode(list, next) : null };
}

/**
 * AP16's join: 1 BatchGetItem for the user (404 on the list's first page; their name on every item) and the
 * events of `items`, which it leaves out when their event is gone (deleted, its registrations being removed).
 * No request when a later query found nothing.
 */
async function withEvents(
  ctx: MultiTableContext,
  userId: string,
  items: Item[],
  first: boolean,
): Promise<Registration[]> {
  if (!first && items.length === 0) return [];
  const found = await ctx.batchGet([
    { table: ctx.tables.users, keys: [{ userId }] },
    { table: ctx.tables.events, keys: items.map((item) => ({ eventId: item.eventId })) },
  ]);
  const user = found.get(ctx.tables.users)?.[0];
  if (!user) throw new NotFoundError("user");
  const events = byKey(found.get(ctx.tables.events), "eventId");
  const registrations: Registration[] = [];
  for (const item of items) {
    const event = events.get(item.eventId as string);
    if (event) registrations.push(toRegistration(item, user, event));
  }
  return registrations;
}

/** Users are never deleted and a registration is only written for an existing user: a miss is corruption. */
function joined(items: Map<string, Item>, id: unknown): Item {
  const item = items.get(id as string);
  if (!item) throw new Error(`registration refers to a missing user ${String(id)}`);
  return item;
}
