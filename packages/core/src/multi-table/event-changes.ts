import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { applyCopyChange } from "../copies/fan-out.js";
import { monthOf } from "../domain/dates.js";
import {
  CapacityConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  TooManyCopiesError,
} from "../domain/errors.js";
import type { Event, UpdateEventInput } from "../domain/schemas.js";
import { retryWhileUnavailable } from "../dynamo/retry.js";
import { batchDeleteAll, type Item, type Key } from "./batch.js";
import { ALL_OLD, type MultiTableContext } from "./context.js";
import { eventCopySource } from "./copy-keeper.js";
import { conditionFailure, names } from "./dynamo.js";
import { dateEventId, toEvent } from "./mapping.js";

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
 * AP10 — 1 UpdateItem whose condition carries every check (organizer, If-Match, capacity ≥ registeredCount and,
 * when the change fans out in the request, registeredCount ≤ the copy bound); ALL_OLD on failure tells
 * 404 → 403 → 412 → 409 capacity_conflict → 409 too_many_copies apart without a read, and nothing is written.
 * A date change moves the event in both date-sorted indexes (its `month` and `dateEventId`). Then the fan-out
 * (see `fansOutInRequest`): 1 Query per 100 registrations + 1 UpdateItem per registration, 32 in flight.
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
  for (const field of ["name", "description", "venue", "date", "capacity"] as const) {
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
  if (changes.capacity !== undefined) {
    attributes.push("registeredCount");
    conditions.push("#registeredCount <= :capacity");
  }
  const fansOut = fansOutInRequest(ctx, changes);
  if (fansOut) {
    // Every registration holds a seat: registeredCount is the number of copies the fan-out rewrites.
    attributes.push("registeredCount");
    conditions.push("#registeredCount <= :maxCopies");
    values[":maxCopies"] = ctx.maxSyncCopies;
  }
  let updated: Item;
  try {
    const { Attributes } = await ctx.document.send(
      new UpdateCommand({
        TableName: ctx.tables.events,
        Key: { eventId },
        UpdateExpression: `SET ${set.join(", ")} ADD #version :one${remove.length ? ` REMOVE ${remove.join(", ")}` : ""}`,
        ConditionExpression: conditions.join(" AND "),
        ExpressionAttributeNames: names(...new Set(attributes)),
        ExpressionAttributeValues: values,
        ReturnValues: "ALL_NEW",
        ReturnValuesOnConditionCheckFailure: ALL_OLD,
      }),
    );
    updated = Attributes as Item;
  } catch (error) {
    const failure = conditionFailure(error);
    if (!failure) throw error;
    const old = failure.item;
    if (!old) throw new NotFoundError("event");
    if (old.writeId !== writeId) throw refusal(ctx, old, actorId, changes, expectedVersion, fansOut);
    updated = old;
  }
  if (fansOut) await applyCopyChange(ctx.copyKeeper, { kind: "event", source: eventCopySource(updated) });
  return toEvent(updated);
}

/** Which of AP10's conditions the stored event failed, in the contract's order. */
function refusal(
  ctx: MultiTableContext,
  old: Item,
  actorId: string,
  changes: UpdateEventInput,
  expectedVersion: number | undefined,
  fansOut: boolean,
): Error {
  if (old.organizerId !== actorId) return new ForbiddenError("only the organizer may change this event");
  if (expectedVersion !== undefined && old.version !== expectedVersion) {
    return new PreconditionFailedError(old.version as number);
  }
  const registered = old.registeredCount as number;
  if (fansOut && registered > ctx.maxSyncCopies && !(changes.capacity !== undefined && registered > changes.capacity)) {
    return new TooManyCopiesError(registered, ctx.maxSyncCopies);
  }
  return new CapacityConflictError(registered);
}

/**
 * AP11 — 1 DeleteItem (organizer check in its condition; ALL_OLD tells 404 from 403), then the registrations:
 * 1 Query per 100 keys + 1 BatchWriteItem per 25.
 */
export async function deleteEvent(ctx: MultiTableContext, eventId: string, actorId: string): Promise<void> {
  try {
    await ctx.document.send(
      new DeleteCommand({
        TableName: ctx.tables.events,
        Key: { eventId },
        ConditionExpression: "#organizerId = :actor",
        ExpressionAttributeNames: names("organizerId"),
        ExpressionAttributeValues: { ":actor": actorId },
        ReturnValuesOnConditionCheckFailure: ALL_OLD,
      }),
    );
  } catch (error) {
    const failure = conditionFailure(error);
    if (!failure) throw error;
    if (failure.item) throw new ForbiddenError("only the organizer may delete this event");
    // No such event — but a delete that failed half-way (its answer a 503) may have left registrations: the
    // retry finishes the job before answering 404.
    await removeRegistrationsOf(ctx, eventId);
    throw new NotFoundError("event");
  }
  await removeRegistrationsOf(ctx, eventId);
}

/**
 * Once the event item is gone no registration can commit (each one's transaction updates the event under a
 * condition), so a consistent read of the partition sees every registration there will ever be. Idempotent,
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
