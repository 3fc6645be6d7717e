import { GetCommand, type TransactWriteCommandInput, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { applyCopyChange } from "../copies/fan-out.js";
import { monthOf } from "../domain/dates.js";
import {
  CapacityConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  TooManyCopiesError,
} from "../domain/errors.js";
import { caughtMidChange } from "../domain/event-snapshot.js";
import type { Event, UpdateEventInput } from "../domain/schemas.js";
import { retryOnConflict, retryWhileUnavailable, TransactionConflict } from "../dynamo/retry.js";
import { batchDeleteAll, type Item, type Key } from "./batch.js";
import { ALL_OLD, type MultiTableContext } from "./context.js";
import { eventCopySource } from "./copy-keeper.js";
import { conditionFailure, names } from "./dynamo.js";
import { getEventItems } from "./events.js";
import { dateEventId, toEvent } from "./mapping.js";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** An event's changes (AP10) and its deletion (AP11). */

/**
 * Whether this change rewrites copies inside the request: under `sync` a change of a copied field (name, date,
 * venue); under `none` a date change, for the one copy kept there — each registration's `dateEventId`, the sort
 * key of `UserIndex` (a key, not a display copy). Under `stream` the request writes only the event.
 */
function fansOutInRequest(ctx: MultiTableContext, changes: UpdateEventInput): boolean {
  if (ctx.copies === "sync") {
    return changes.name !== undefined || changes.date !== undefined || changes.venue !== undefined;
  }
  return ctx.copies === "none" && changes.date !== undefined;
}

/**
 * AP10. A change without capacity whose copies are not bounded in the request: 1 UpdateItem on the event (its
 * condition carries the organizer and If-Match checks; ALL_OLD on failure tells 404 → 403 → 412 apart without a
 * read) ‖ 1 GetItem of its seats for the answer. A capacity change, or one that fans out in the request (see
 * `fansOutInRequest`), is 1 TransactWriteItems: the event's update and the seats' update (`registeredCount <=
 * capacity`) or ConditionCheck (`registeredCount <= ` the copy bound) — 409 capacity_conflict or too_many_copies,
 * nothing written — then 1 consistent BatchGetItem reads the event back (a transaction returns no values).
 * A date change moves the event in both date-sorted indexes (its `month` and `dateEventId`). Then the fan-out:
 * 1 Query per 100 registrations + 1 UpdateItem per registration, 32 in flight.
 */
export async function updateEvent(
  ctx: MultiTableContext,
  eventId: string,
  actorId: string,
  changes: UpdateEventInput,
  expectedVersion?: number,
): Promise<Event> {
  // The call that last changed the event: a retried update whose first attempt committed unseen recognises it.
  const writeId = ctx.newId();
  const attributes = ["organizerId", "version", "updatedAt", "writeId"];
  const values: Record<string, unknown> = {
    ":actor": actorId,
    ":one": 1,
    ":now": ctx.timestamp(),
    ":writeId": writeId,
  };
  const set = ["#updatedAt = :now", "#writeId = :writeId"];
  const remove: string[] = [];
  for (const field of ["name", "description", "venue", "date"] as const) {
    const value = changes[field];
    if (value === undefined) continue;
    attributes.push(field);
    // An empty description or venue removes it: optional fields are absent, never "".
    if ((field === "description" || field === "venue") && value === "") {
      remove.push(`#${field}`);
    } else {
      set.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  if (changes.capacity !== undefined) {
    // The event's own, beside the seats' in the same transaction (domain/event-snapshot.ts).
    attributes.push("capacity");
    set.push("#capacity = :capacity");
    values[":capacity"] = changes.capacity;
  }
  if (changes.date !== undefined) {
    attributes.push("month", "dateEventId");
    set.push("#month = :month", "#dateEventId = :dateEventId");
    values[":month"] = monthOf(changes.date);
    values[":dateEventId"] = dateEventId(changes.date, eventId);
  }
  const conditions = ["#organizerId = :actor", "(attribute_not_exists(#writeId) OR #writeId <> :writeId)"];
  if (expectedVersion !== undefined) {
    conditions.push("#version = :expected");
    values[":expected"] = expectedVersion;
  }
  const update = {
    TableName: ctx.tables.events,
    Key: { eventId },
    UpdateExpression: `SET ${set.join(", ")} ADD #version :one${remove.length ? ` REMOVE ${remove.join(", ")}` : ""}`,
    ConditionExpression: conditions.join(" AND "),
    ExpressionAttributeNames: names(...new Set(attributes)),
    ExpressionAttributeValues: values,
    ReturnValuesOnConditionCheckFailure: ALL_OLD,
  };
  const refuse = (old: Item | undefined): Error | undefined => {
    if (!old) return new NotFoundError("event");
    if (old.writeId === writeId) return undefined; // applied by an earlier attempt of this call
    if (old.organizerId !== actorId) return new ForbiddenError("only the organizer may change this event");
    if (expectedVersion !== undefined && old.version !== expectedVersion) {
      return new PreconditionFailedError(old.version as number);
    }
    return new Error(`updateEvent refused without a reason: ${JSON.stringify(old)}`);
  };
  const fansOut = fansOutInRequest(ctx, changes);
  let updated: Event;
  if (changes.capacity === undefined && !fansOut) {
    const [written, seats] = await Promise.allSettled([
      ctx.document.send(new UpdateCommand({ ...update, ReturnValues: "ALL_NEW" })),
      ctx.document.send(new GetCommand({ TableName: ctx.tables.seats, Key: { eventId } })),
    ]);
    if (written.status === "rejected") {
      const failure = conditionFailure(written.reason);
      if (!failure) throw written.reason;
      const refusal = refuse(failure.item);
      if (refusal) throw refusal;
    }
    if (seats.status === "rejected") throw seats.reason;
    const event = written.status === "fulfilled" ? (written.value.Attributes as Item | undefined) : undefined;
    const counted = seats.value.Item;
    // Not written here (an earlier attempt of this call was), deleted since, or the seats read caught a capacity
    // change half-way: read it whole.
    const pair = event && counted && !caughtMidChange(event, counted) ? toEvent(event, counted) : undefined;
    updated = pair ?? (await readBack(ctx, eventId));
  } else {
    await retryOnConflict(async () => {
      const outcomes = await ctx.transact([{ Update: update }, seatsChange(ctx, eventId, changes.capacity, fansOut)]);
      if (!outcomes) return;
      const [event, seats] = outcomes;
      if (event?.rejected) {
        const refusal = refuse(event.item);
        if (refusal) throw refusal;
        return;
      }
      if (seats?.rejected) {
        if (!seats.item) throw new NotFoundError("event");
        throw refusal(ctx, seats.item, changes, fansOut);
      }
      throw new TransactionConflict();
    });
    updated = await readBack(ctx, eventId);
  }
  if (fansOut) await applyCopyChange(ctx.copyKeeper, { kind: "event", source: eventCopySource(updated) });
  return updated;
}

/** The seats' side of a capacity change or of a fan-out bounded by the seat count (see `updateEvent`). */
function seatsChange(
  ctx: MultiTableContext,
  eventId: string,
  capacity: number | undefined,
  fansOut: boolean,
): TransactItem {
  const conditions: string[] = [];
  const values: Record<string, unknown> = {};
  if (capacity !== undefined) {
    conditions.push("#registeredCount <= :capacity");
    values[":capacity"] = capacity;
  }
  if (fansOut) {
    // Every registration holds a seat: registeredCount is the number of copies the fan-out rewrites.
    conditions.push("#registeredCount <= :maxCopies");
    values[":maxCopies"] = ctx.maxSyncCopies;
  }
  const common = {
    TableName: ctx.tables.seats,
    Key: { eventId },
    ConditionExpression: conditions.join(" AND "),
    ExpressionAttributeValues: values,
    ReturnValuesOnConditionCheckFailure: ALL_OLD,
  };
  if (capacity === undefined) {
    return { ConditionCheck: { ...common, ExpressionAttributeNames: names("registeredCount") } };
  }
  return {
    Update: {
      ...common,
      UpdateExpression: "SET #capacity = :capacity",
      ExpressionAttributeNames: names("registeredCount", "capacity"),
    },
  };
}

/** The event as it is now (1 consistent BatchGetItem): what a transaction, which returns nothing, wrote. */
async function readBack(ctx: MultiTableContext, eventId: string): Promise<Event> {
  const found = await getEventItems(ctx, eventId, { consistent: true });
  if (!found) throw new NotFoundError("event");
  return toEvent(found.event, found.seats);
}

/** Which of the seats' conditions failed: the copy bound, or the capacity below the seats taken. */
function refusal(ctx: MultiTableContext, seats: Item, changes: UpdateEventInput, fansOut: boolean): Error {
  const registered = seats.registeredCount as number;
  if (fansOut && registered > ctx.maxSyncCopies && !(changes.capacity !== undefined && registered > changes.capacity)) {
    return new TooManyCopiesError(registered, ctx.maxSyncCopies);
  }
  return new CapacityConflictError(registered);
}

/**
 * AP11 — 1 TransactWriteItems: the event (organizer check in its condition; ALL_OLD tells 404 from 403) and its
 * seats. Then the registrations: 1 Query per 100 keys + 1 BatchWriteItem per 25.
 */
export async function deleteEvent(ctx: MultiTableContext, eventId: string, actorId: string): Promise<void> {
  const outcomes = await retryOnConflict(() =>
    ctx.transact([
      {
        Delete: {
          TableName: ctx.tables.events,
          Key: { eventId },
          ConditionExpression: "#organizerId = :actor",
          ExpressionAttributeNames: names("organizerId"),
          ExpressionAttributeValues: { ":actor": actorId },
          ReturnValuesOnConditionCheckFailure: ALL_OLD,
        },
      },
      { Delete: { TableName: ctx.tables.seats, Key: { eventId } } },
    ]),
  );
  const event = outcomes?.[0];
  if (event?.rejected) {
    if (event.item) throw new ForbiddenError("only the organizer may delete this event");
    // No such event — but a delete that failed half-way (its answer a 503) may have left registrations: the
    // retry finishes the job before answering 404.
    await removeRegistrationsOf(ctx, eventId);
    throw new NotFoundError("event");
  }
  if (outcomes) throw new Error(`deleteEvent cancelled: ${outcomes.map((outcome) => outcome.code).join(",")}`);
  await removeRegistrationsOf(ctx, eventId);
}

/**
 * Once the event item is gone no registration can commit (each one's transaction checks the event's version), so a consistent read of the partition sees every registration there will ever be. Idempotent,
 * so retried as a whole while DynamoDB is unavailable.
 */
async function removeRegistrationsOf(ctx: MultiTableContext, eventId: string): Promise<void> {
  await retryWhileUnavailable(async () => {
    const keys: Key[] = [];
    for await (const page of ctx.copyKeeper.registrationsOfEvent(eventId)) {
      keys.push(...page.map(({ eventId, userId }): Key => ({ eventId, userId })));
    }
    await batchDeleteAll((command) => ctx.document.send(command), ctx.tables.registrations, keys);
  });
}
