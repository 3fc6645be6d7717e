import { applyCopyChange } from "../copies/fan-out.js";
import type { RegistrationKey } from "../copies/keeper.js";
import type { CopyStrategy } from "../copies/strategy.js";
import {
  CapacityConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  TooManyCopiesError,
} from "../domain/errors.js";
import { newEvent } from "../domain/new-event.js";
import type { CreateEventInput, Event, UpdateEventInput } from "../domain/schemas.js";
import { conditionFailure } from "../dynamo/conditions.js";
import { retryOnConflict, retryWhileUnavailable, TransactionConflict } from "../dynamo/retry.js";
import type { SingleTableCopyKeeper } from "./copy-keeper.js";
import type { SingleTableModel } from "./entities.js";
import type { EventSeats } from "./event-seats.js";
import { type EventItem, toEvent } from "./mapping.js";
import { cancelled, type Outcome } from "./transactions.js";

/** See store.ts: ElectroDB's reads and single-item writes hand back the SDK's own exception. */
const GO = { originalErr: true } as const;
const ALL_OLD = { ReturnValuesOnConditionCheckFailure: "ALL_OLD" } as const;

export interface EventWriteOptions {
  copies: CopyStrategy;
  maxSyncCopies: number;
  newId: () => string;
  timestamp: () => string;
}

/**
 * AP5, AP10, AP11: an event and its seats item (entities.ts) are created and deleted together, in one
 * transaction; a change of capacity (or one whose fan-out is bounded by the seat count) is a transaction of the
 * event's update and the seats' update or check; any other change writes the event item alone.
 */
export class EventWrites {
  readonly #model: SingleTableModel;
  readonly #seats: EventSeats;
  readonly #copyKeeper: SingleTableCopyKeeper;
  readonly #options: EventWriteOptions;

  constructor(
    model: SingleTableModel,
    seats: EventSeats,
    copyKeeper: SingleTableCopyKeeper,
    options: EventWriteOptions,
  ) {
    this.#model = model;
    this.#seats = seats;
    this.#copyKeeper = copyKeeper;
    this.#options = options;
  }

  /** AP5 — 1 TransactWriteItems: the event and its seats (0 of `capacity` taken). */
  async create(organizerId: string, input: CreateEventInput): Promise<Event> {
    const { event, seats } = newEvent(input, {
      eventId: this.#options.newId(),
      organizerId,
      now: this.#options.timestamp(),
    });
    await retryOnConflict(async () => {
      const result = await this.#model.service.transaction
        .write(({ event: events, seats: seatsItems }) => [
          events.create(event).commit(),
          seatsItems.create(seats).commit(),
        ])
        .go();
      const outcomes = cancelled(result);
      // The id is new, so an existing item can only be this call's own, committed by an attempt whose answer
      // was lost before the SDK retried: the event exists, which is what the caller asked for.
      if (outcomes && !outcomes.some(isConditionFailure)) {
        throw new Error(`createEvent cancelled: ${outcomes.map((o) => o.code).join(",")}`);
      }
    });
    return toEvent(event, seats);
  }

  async update(eventId: string, actorId: string, changes: UpdateEventInput, expectedVersion?: number): Promise<Event> {
    const writeId = this.#options.newId();
    const set: Record<string, unknown> = { updatedAt: this.#options.timestamp(), writeId };
    const remove: Array<"description" | "venue"> = [];
    for (const [field, value] of Object.entries(changes)) {
      // capacity: the event's and, in the same transaction, the seats' (domain/event-snapshot.ts).
      // An empty description or venue removes it: optional fields are absent, never "".
      if ((field === "description" || field === "venue") && value === "") remove.push(field);
      else if (value !== undefined) set[field] = value;
    }
    const { copies } = this.#options;
    // The copies this request rewrites: sync the name, date and venue; none only the date (gsi1sk's sort key, not
    // a display copy); stream none (its consumer does). One per registration, and the seat count counts them, so
    // the bound is part of the change's own conditions: refused atomically, before anything is written.
    const fanOut =
      copies === "sync"
        ? changes.name !== undefined || changes.date !== undefined || changes.venue !== undefined
        : copies === "none" && changes.date !== undefined;
    const change: EventChange = { set, remove, actorId, writeId, expectedVersion };
    const refuse = (old: Record<string, unknown>): Error | undefined => {
      if (old.writeId === writeId) return undefined;
      if (old.organizerId !== actorId) return new ForbiddenError("only the organizer may change this event");
      if (expectedVersion !== undefined && old.version !== expectedVersion) {
        return new PreconditionFailedError(old.version as number);
      }
      return new Error(`updateEvent refused without a reason: ${JSON.stringify(old)}`);
    };

    let updated: Event;
    if (changes.capacity === undefined && !fanOut) {
      // The event item alone; its seats are read beside it for the answer (1 round trip, 2 requests).
      const [written, seats] = await Promise.allSettled([
        this.#model.event
          .patch({ eventId })
          .set(set)
          .remove(remove)
          .add({ version: 1 })
          .where((attr, op) => eventConditions(attr, op, change))
          .go({ ...GO, response: "all_new", params: ALL_OLD }),
        this.#model.seats.get({ eventId }).go(GO),
      ]);
      if (written.status === "rejected") {
        const failure = conditionFailure(written.reason);
        if (!failure) throw written.reason;
        if (!failure.item) throw new NotFoundError("event");
        const refusal = refuse(failure.item);
        if (refusal) throw refusal;
      }
      if (seats.status === "rejected") throw seats.reason;
      const event =
        written.status === "fulfilled" ? (written.value.data as EventItem) : (undefined as EventItem | undefined);
      // Not written here (applied by an earlier attempt of this call, its answer lost), or deleted since, or the
      // seats read caught a capacity change half-way: read it whole.
      const paired = event && seats.value.data && (await this.#seats.pair(event, seats.value.data));
      updated = paired || (await this.#readBack(eventId));
    } else {
      updated = await this.#updateWithSeats(eventId, changes.capacity, fanOut, change, refuse);
    }
    if (fanOut) {
      const { name, date, venue, version } = updated;
      await applyCopyChange(this.#copyKeeper, { kind: "event", source: { eventId, name, date, venue, version } });
    }
    return updated;
  }

  /**
   * AP10 with capacity (or a fan-out bounded by the seat count): 1 TransactWriteItems — the event's update and
   * the seats' update (`registeredCount <= capacity`) or check (`registeredCount <= maxSyncCopies`) — then 1
   * consistent Query reads the event back (a transaction returns no values).
   */
  async #updateWithSeats(
    eventId: string,
    capacity: number | undefined,
    fanOut: boolean,
    change: EventChange,
    refuse: (old: Record<string, unknown>) => Error | undefined,
  ): Promise<Event> {
    const { maxSyncCopies } = this.#options;
    await retryOnConflict(async () => {
      const result = await this.#model.service.transaction
        .write(({ event, seats }) => [
          event
            .patch({ eventId })
            .set(change.set)
            .remove(change.remove)
            .add({ version: 1 })
            .where((attr, op) => eventConditions(attr, op, change))
            .commit({ response: "all_old" }),
          capacity !== undefined
            ? seats
                .patch({ eventId })
                .set({ capacity })
                .where((attr, op) =>
                  [
                    op.lte(attr.registeredCount, capacity),
                    ...(fanOut ? [op.lte(attr.registeredCount, maxSyncCopies)] : []),
                  ].join(" AND "),
                )
                .commit({ response: "all_old" })
            : seats
                .check({ eventId })
                .where((attr, op) => op.lte(attr.registeredCount, maxSyncCopies))
                .commit({ response: "all_old" }),
        ])
        .go();
      const outcomes = cancelled(result);
      if (!outcomes) return;
      const [event, seats] = outcomes as [Outcome | undefined, Outcome | undefined];
      if (event?.rejected) {
        if (!event.item) throw new NotFoundError("event");
        const refusal = refuse(event.item);
        if (refusal) throw refusal;
        return; // applied by an earlier attempt of this call
      }
      if (seats?.rejected) {
        if (!seats.item) throw new NotFoundError("event");
        const registered = seats.item.registeredCount as number;
        if (fanOut && registered > maxSyncCopies && !(capacity !== undefined && registered > capacity)) {
          throw new TooManyCopiesError(registered, maxSyncCopies);
        }
        throw new CapacityConflictError(registered);
      }
      throw new TransactionConflict();
    });
    return this.#readBack(eventId);
  }

  async #readBack(eventId: string): Promise<Event> {
    const event = await this.#seats.read(eventId, { consistent: true });
    if (!event) throw new NotFoundError("event");
    return event;
  }

  /** AP11 — 1 TransactWriteItems (the event, organizer checked, and its seats), then the registrations. */
  async delete(eventId: string, actorId: string): Promise<void> {
    const outcomes = await retryOnConflict(async () =>
      cancelled(
        await this.#model.service.transaction
          .write(({ event, seats }) => [
            event
              .remove({ eventId })
              .where((attr, op) => op.eq(attr.organizerId, actorId))
              .commit({ response: "all_old" }),
            seats.delete({ eventId }).commit(),
          ])
          .go(),
      ),
    );
    const event = outcomes?.[0];
    if (event?.rejected) {
      if (event.item) throw new ForbiddenError("only the organizer may delete this event");
      // No such event — but a delete that failed half-way (its answer a 503) may have left registrations: the
      // retry finishes the job before answering 404.
      await this.#removeRegistrationsOf(eventId);
      throw new NotFoundError("event");
    }
    if (outcomes) throw new Error(`deleteEvent cancelled: ${outcomes.map((outcome) => outcome.code).join(",")}`);
    await this.#removeRegistrationsOf(eventId);
  }

  /**
   * Once the event item is gone no registration can commit (each one's transaction checks the event), so a
   * consistent read of the partition sees every registration there will ever be. Idempotent, so retried as a
   * whole while DynamoDB is unavailable. Cost: one query per 100 registrations plus one BatchWriteItem per 25.
   */
  async #removeRegistrationsOf(eventId: string): Promise<void> {
    await retryWhileUnavailable(async () => {
      const keys: RegistrationKey[] = [];
      for await (const page of this.#copyKeeper.registrationsOfEvent(eventId)) keys.push(...page);
      let pending = keys;
      for (let attempt = 0; pending.length > 0; attempt++) {
        const { unprocessed } = await this.#model.registration.delete(pending).go(GO);
        pending = unprocessed as typeof keys;
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      }
    });
  }
}

interface EventChange {
  set: Record<string, unknown>;
  remove: Array<"description" | "venue">;
  actorId: string;
  writeId: string;
  expectedVersion: number | undefined;
}

type Where = Parameters<Parameters<ReturnType<ReturnType<SingleTableModel["event"]["patch"]>["set"]>["where"]>[0]>;

/** The event update's conditions on the event item: the organizer, not yet applied, If-Match. */
function eventConditions(attr: Where[0], op: Where[1], change: EventChange): string {
  return [
    op.eq(attr.organizerId, change.actorId),
    // Not already applied by an earlier attempt of this same call (the SDK retries lost answers).
    `(${op.notExists(attr.writeId)} OR ${op.ne(attr.writeId, change.writeId)})`,
    ...(change.expectedVersion !== undefined ? [op.eq(attr.version, change.expectedVersion)] : []),
  ].join(" AND ");
}

function isConditionFailure(outcome: Outcome): boolean {
  return outcome.rejected && outcome.code === "ConditionalCheckFailed";
}
