import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createConversions } from "electrodb";
import { ulid } from "ulid";
import { CursorCodec } from "../cursor.js";
import { monthsBetween } from "../domain/dates.js";
import {
  AlreadyRegisteredError,
  CapacityConflictError,
  EmailTakenError,
  EventFullError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
} from "../domain/errors.js";
import {
  type CreateEventInput,
  type CreateUserInput,
  type Event,
  LIMITS,
  normalizeEmail,
  type Registration,
  type StoredUser,
  type UpdateEventInput,
  type UpdateUserInput,
} from "../domain/schemas.js";
import { conditionFailure } from "../dynamo/conditions.js";
import { retryOnConflict, retryWhileUnavailable, TransactionConflict } from "../dynamo/retry.js";
import {
  type BucketQueries,
  type BucketSource,
  DEFAULT_BUCKET_QUERIES,
  decodeBucketPosition,
  encodeBucketPosition,
  walkBuckets,
} from "../listing/buckets.js";
import { type DateRange, lists, type Page, type PageRequest, type Store } from "../store.js";
import { collectionPage, isElectroCursor } from "./collection-page.js";
import { createEntities, type SingleTableModel } from "./entities.js";
import { toEvent, toRegistration, toUser } from "./mapping.js";

export interface SingleTableStoreOptions {
  document: DynamoDBDocumentClient;
  tableName: string;
  cursorSecret: string;
  /** Clock, for deterministic tests and seeded comparisons. */
  now?: () => Date;
  newId?: () => string;
  /** How AP7 queries the month buckets a page touches (measured in docs/comparison.md). */
  bucketQueries?: BucketQueries;
}

/** A transaction item's outcome as ElectroDB reports it on cancellation. */
interface Outcome {
  rejected: boolean;
  code: string;
  item: Record<string, unknown> | null;
}

const ALL_OLD = { ReturnValuesOnConditionCheckFailure: "ALL_OLD" } as const;
/**
 * Options of ElectroDB's reads and single-item writes. `originalErr`: otherwise ElectroDB builds an Error (two
 * stack captures) before every call, in case it fails, to wrap the SDK's exception — ~55 µs, 4–5% of the API's
 * CPU per `GET /events/{id}` in a CPU profile under load. The stores read the SDK's exception anyway
 * (`conditionFailure`, `isUnavailable`). Transactions keep the default: ElectroDB's types do not offer the
 * option on their `go` (its runtime would take it; we keep to the typed API).
 */
const GO = { originalErr: true } as const;
/** Sorts after every Crockford base32 character: a key-range bound just past every id of a prefix. */
const AFTER_EVERY_ULID = "~";

/** A cancelled transaction: a conflict is retried; anything else is for the caller to explain. */
function cancelled(result: { canceled: boolean; data: unknown[] }): Outcome[] | undefined {
  if (!result.canceled) return undefined;
  const outcomes = result.data as Outcome[];
  if (outcomes.some((outcome) => outcome.code === "TransactionConflict")) throw new TransactionConflict();
  return outcomes;
}

export class SingleTableStore implements Store {
  readonly design = "single" as const;
  readonly #model: SingleTableModel;
  readonly #document: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #cursors: CursorCodec;
  readonly #now: () => Date;
  readonly #newId: () => string;
  readonly #bucketQueries: BucketQueries;

  constructor(options: SingleTableStoreOptions) {
    this.#model = createEntities(options.document, options.tableName);
    this.#document = options.document;
    this.#table = options.tableName;
    this.#cursors = new CursorCodec(options.cursorSecret);
    this.#now = options.now ?? (() => new Date());
    this.#newId = options.newId ?? (() => ulid());
    this.#bucketQueries = options.bucketQueries ?? DEFAULT_BUCKET_QUERIES;
  }

  #timestamp(): string {
    return this.#now().toISOString();
  }

  // ---------------------------------------------------------------- users

  async getUser(userId: string): Promise<StoredUser> {
    const { data } = await this.#model.user.get({ userId }).go(GO);
    if (!data) throw new NotFoundError("user");
    return toUser(data);
  }

  async findUserByEmail(email: string): Promise<StoredUser> {
    const normalized = normalizeEmail(email);
    // No stored address is longer (creation validates it), and a longer key is a ValidationException, not a miss.
    if (normalized.length > LIMITS.email) throw new NotFoundError("user");
    // The marker carries a copy of the user, kept current in the same transactions: one GetItem.
    const { data } = await this.#model.emailMarker.get({ email: normalized }).go({ ...GO, consistent: true });
    if (!data) throw new NotFoundError("user");
    return toUser(data);
  }

  async createUser(input: CreateUserInput): Promise<StoredUser> {
    const now = this.#timestamp();
    const user = { userId: this.#newId(), name: input.name, email: input.email, createdAt: now, updatedAt: now };
    await retryOnConflict(async () => {
      const result = await this.#model.service.transaction
        .write(({ user: users, emailMarker }) => [
          users.create(user).commit(),
          emailMarker.create({ ...user }).commit({ response: "all_old" }),
        ])
        .go();
      const outcomes = cancelled(result);
      if (!outcomes) return;
      const marker = outcomes[1];
      // A marker that is ours already: an earlier attempt of this very call committed (its answer was lost).
      if (marker?.rejected && marker.item?.userId === user.userId) return;
      if (marker?.rejected) throw new EmailTakenError();
      throw new Error(`createUser cancelled: ${outcomes.map((o) => o.code).join(",")}`);
    });
    return user;
  }

  async updateUser(userId: string, actorId: string, changes: UpdateUserInput): Promise<StoredUser> {
    const updated = await retryOnConflict(async () => {
      const { data: current } = await this.#model.user.get({ userId }).go({ ...GO, consistent: true });
      if (!current) throw new NotFoundError("user");
      if (actorId !== userId) throw new ForbiddenError("only the user may change their profile");
      const next: StoredUser = {
        ...toUser(current),
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.email !== undefined && { email: changes.email }),
        updatedAt: this.#timestamp(),
      };
      const emailChanged = next.email !== current.email;
      const result = await this.#model.service.transaction
        .write(({ user, emailMarker }) => [
          // Optimistic: the email we are swapping out must still be the current one.
          user
            .patch({ userId })
            .set({ name: next.name, email: next.email, updatedAt: next.updatedAt })
            .where((attr, op) => `${op.eq(attr.userId, actorId)} AND ${op.eq(attr.email, current.email)}`)
            .commit({ response: "all_old" }),
          ...(emailChanged
            ? [
                emailMarker
                  .remove({ email: current.email })
                  .where((attr, op) => op.eq(attr.userId, userId))
                  .commit(),
                emailMarker.create({ ...next }).commit({ response: "all_old" }),
              ]
            : [
                emailMarker
                  .patch({ email: current.email })
                  .set({ name: next.name, updatedAt: next.updatedAt })
                  .where((attr, op) => op.eq(attr.userId, userId))
                  .commit(),
              ]),
        ])
        .go();
      const outcomes = cancelled(result);
      if (!outcomes) return next;
      if (emailChanged && outcomes[2]?.rejected && outcomes[2].item) throw new EmailTakenError();
      // The user changed between our read and the write: read again.
      throw new TransactionConflict();
    });
    if (changes.name !== undefined) await this.#refreshAttendeeName(userId, updated.name);
    return updated;
  }

  /**
   * Fan-out of a rename: every registration copies the attendee's name. Concurrent renames fan out in any order,
   * so after writing ours we read the user again and repeat with the name that won: once every rename has
   * responded, every copy shows the final name. Cost: one query per 100 registrations on gsi1, one UpdateItem per
   * registration, and one GetItem per pass (a second pass only when a concurrent rename won).
   */
  async #refreshAttendeeName(userId: string, name: string): Promise<void> {
    for (let current = name; ; ) {
      await this.#writeAttendeeName(userId, current);
      const { data } = await this.#model.user.get({ userId }).go({ ...GO, consistent: true });
      if (!data || data.name === current) return;
      current = data.name;
    }
  }

  async #writeAttendeeName(userId: string, name: string): Promise<void> {
    let cursor: string | null = null;
    do {
      const page: { data: { registration: Array<{ eventId: string; userId: string }> }; cursor: string | null } =
        await this.#model.service.collections.attendee({ userId }).go({ ...GO, cursor, limit: 100 });
      await Promise.all(
        page.data.registration.map((registration) =>
          this.#model.registration
            .patch({ eventId: registration.eventId, userId: registration.userId })
            .set({ userName: name })
            .go(GO)
            .catch(ignoreVanished),
        ),
      );
      cursor = page.cursor;
    } while (cursor);
  }

  // ---------------------------------------------------------------- events

  async createEvent(organizerId: string, input: CreateEventInput): Promise<Event> {
    const now = this.#timestamp();
    const event = {
      eventId: this.#newId(),
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
      await this.#model.event.create(event).go(GO);
    } catch (error) {
      // The id is new, so an existing item can only be this call's own, committed by an attempt whose answer
      // was lost before the SDK retried: the event exists, which is what the caller asked for.
      if (!conditionFailure(error)) throw error;
    }
    return toEvent(event);
  }

  async getEvent(eventId: string): Promise<Event> {
    const { data } = await this.#model.event.get({ eventId }).go(GO);
    if (!data) throw new NotFoundError("event");
    return toEvent(data);
  }

  /**
   * AP7 — one query per month bucket the page touches (see listing/buckets.ts), each clipped to the range. The
   * upper bound is `<to>#~`: "~" sorts after every ULID character, so it takes every event on `to` and nothing
   * later, without computing the day after `to` (there is none after 9999-12-31, and "10000-01-01" sorts before
   * it). The cursor carries the bucket and ElectroDB's cursor inside it.
   */
  async listEventsByDate(range: DateRange, page: PageRequest): Promise<Page<Event>> {
    const list = lists.eventsByDate(range);
    const months = monthsBetween(range.from, range.to);
    const start = page.cursor
      ? decodeBucketPosition(this.#cursors, list, page.cursor, months, isElectroCursor)
      : { bucket: months[0] as string, after: null };
    const events = this.#model.event;
    const source: BucketSource<Parameters<typeof toEvent>[0], string> = {
      query: async (month, after, limit) => {
        const result = await events.query
          .byMonth({ month })
          .between({ date: range.from }, { date: range.to, eventId: AFTER_EVERY_ULID })
          .go({ ...GO, limit, cursor: after });
        return { items: result.data, next: result.cursor };
      },
      positionAfter: (month, event) =>
        createConversions(events).byAccessPattern.byMonth.fromComposite.toCursor({
          month,
          date: event.date,
          eventId: event.eventId,
        }),
    };
    const { items, next } = await walkBuckets(source, months, start, page.limit, this.#bucketQueries);
    return { items: items.map(toEvent), cursor: encodeBucketPosition(this.#cursors, list, next) };
  }

  /** The `organizer` collection: the user's item (first page only) then their events by date; one query a page. */
  async #organizerPage(userId: string, page: PageRequest) {
    const { first, parent, items, cursor } = await collectionPage(
      this.#cursors,
      lists.eventsByOrganizer(userId),
      page,
      async (cursor, limit) => {
        const result = await this.#model.service.collections
          .organizer({ organizerId: userId })
          .go({ ...GO, cursor, limit });
        return { parent: result.data.user[0], children: result.data.event, cursor: result.cursor };
      },
    );
    if (first && !parent) throw new NotFoundError("user");
    return { user: parent, events: { items: items.map(toEvent), cursor } };
  }

  async listEventsByOrganizer(userId: string, page: PageRequest): Promise<Page<Event>> {
    return (await this.#organizerPage(userId, page)).events;
  }

  async getUserWithEvents(userId: string, page: PageRequest) {
    const { user, events } = await this.#organizerPage(userId, { limit: page.limit });
    if (!user) throw new NotFoundError("user");
    return { user: toUser(user), events };
  }

  async updateEvent(
    eventId: string,
    actorId: string,
    changes: UpdateEventInput,
    expectedVersion?: number,
  ): Promise<Event> {
    const writeId = this.#newId();
    const set: Record<string, unknown> = { updatedAt: this.#timestamp(), writeId };
    const remove: Array<"description" | "venue"> = [];
    for (const [field, value] of Object.entries(changes)) {
      // An empty description or venue removes it: optional fields are absent, never "".
      if ((field === "description" || field === "venue") && value === "") remove.push(field);
      else if (value !== undefined) set[field] = value;
    }
    let updated: Event;
    try {
      const { data } = await this.#model.event
        .patch({ eventId })
        .set(set)
        .remove(remove)
        .add({ version: 1 })
        .where((attr, op) =>
          [
            op.eq(attr.organizerId, actorId),
            // Not already applied by an earlier attempt of this same call (the SDK retries lost answers).
            `(${op.notExists(attr.writeId)} OR ${op.ne(attr.writeId, writeId)})`,
            ...(expectedVersion !== undefined ? [op.eq(attr.version, expectedVersion)] : []),
            ...(changes.capacity !== undefined ? [op.lte(attr.registeredCount, changes.capacity)] : []),
          ].join(" AND "),
        )
        .go({ ...GO, response: "all_new", params: ALL_OLD });
      updated = toEvent(data as Parameters<typeof toEvent>[0]);
    } catch (error) {
      const failure = conditionFailure(error);
      if (!failure) throw error;
      const old = failure.item;
      if (!old) throw new NotFoundError("event");
      if (old.writeId !== writeId) {
        if (old.organizerId !== actorId) throw new ForbiddenError("only the organizer may change this event");
        if (expectedVersion !== undefined && old.version !== expectedVersion) {
          throw new PreconditionFailedError(old.version as number);
        }
        throw new CapacityConflictError(old.registeredCount as number);
      }
      updated = toEvent(old as unknown as Parameters<typeof toEvent>[0]);
    }
    if (changes.name !== undefined || changes.date !== undefined || changes.venue !== undefined) {
      await this.#refreshEventCopies(updated);
    }
    return updated;
  }

  /**
   * Fan-out of an event change: every registration copies the event's name, date and venue (the date also
   * orders AP16). Cost: one query per 100 registrations plus one UpdateItem per registration.
   */
  async #refreshEventCopies(event: Event): Promise<void> {
    for await (const registration of this.#registrationKeys(event.eventId)) {
      await this.#model.registration
        .patch(registration)
        .set({ eventName: event.name, eventDate: event.date, eventVersion: event.version })
        .remove(event.venue === undefined ? ["eventVenue"] : [])
        .set(event.venue === undefined ? {} : { eventVenue: event.venue })
        // Concurrent edits fan out in any order: a copy taken from an older version never replaces a newer one.
        .where((attr, op) => `(${op.notExists(attr.eventVersion)} OR ${op.lt(attr.eventVersion, event.version)})`)
        .go(GO)
        .catch(ignoreVanished);
    }
  }

  /** Every registration key of an event, read from the base table (strongly consistent). */
  async *#registrationKeys(eventId: string): AsyncGenerator<{ eventId: string; userId: string }> {
    let cursor: string | null = null;
    do {
      const page: { data: Array<{ eventId: string; userId: string }>; cursor: string | null } =
        await this.#model.registration.query
          .byEvent({ eventId })
          .go({ ...GO, cursor, limit: 100, consistent: true, attributes: ["eventId", "userId"] });
      yield* page.data;
      cursor = page.cursor;
    } while (cursor);
  }

  async deleteEvent(eventId: string, actorId: string): Promise<void> {
    try {
      await this.#model.event
        .remove({ eventId })
        .where((attr, op) => op.eq(attr.organizerId, actorId))
        .go({ ...GO, params: ALL_OLD });
    } catch (error) {
      const failure = conditionFailure(error);
      if (!failure) throw error;
      if (failure.item) throw new ForbiddenError("only the organizer may delete this event");
      // No such event — but a delete that failed half-way (its answer a 503) may have left registrations: the
      // retry finishes the job before answering 404.
      await this.#removeRegistrationsOf(eventId);
      throw new NotFoundError("event");
    }
    await this.#removeRegistrationsOf(eventId);
  }

  /**
   * Once the event item is gone no registration can commit (each one's transaction requires the event), so a
   * consistent read of the partition sees every registration there will ever be. Idempotent, so retried as a
   * whole while DynamoDB is unavailable. Cost: one query per 100 registrations plus one BatchWriteItem per 25.
   */
  async #removeRegistrationsOf(eventId: string): Promise<void> {
    await retryWhileUnavailable(async () => {
      const keys: Array<{ eventId: string; userId: string }> = [];
      for await (const key of this.#registrationKeys(eventId)) keys.push(key);
      let pending = keys;
      for (let attempt = 0; pending.length > 0; attempt++) {
        const { unprocessed } = await this.#model.registration.delete(pending).go(GO);
        pending = unprocessed as typeof keys;
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      }
    });
  }

  // ---------------------------------------------------------------- registrations

  async register(eventId: string, userId: string): Promise<Registration> {
    const writeId = this.#newId();
    return retryOnConflict(async () => {
      // One BatchGetItem reads what the registration copies (the event summary and the attendee's name) and
      // whether the registration exists: a caller who holds a seat hears already_registered, even when full.
      const keys = [
        this.#model.event.get({ eventId }).params().Key,
        this.#model.user.get({ userId }).params().Key,
        this.#model.registration.get({ eventId, userId }).params().Key,
      ];
      const response = await this.#document.send(
        new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: keys, ConsistentRead: true } } }),
      );
      const items = response.Responses?.[this.#table] ?? [];
      const eventItem = items.find((item) => item.__edb_e__ === "event");
      const userItem = items.find((item) => item.__edb_e__ === "user");
      if (!eventItem) throw new NotFoundError("event");
      if (!userItem) throw new NotFoundError("user");
      const existing = items.find((item) => item.__edb_e__ === "registration");
      if (existing) {
        const found = this.#model.registration.parse({ Item: existing }).data as Parameters<typeof toRegistration>[0];
        // Ours: an earlier attempt of this call committed but its answer was lost.
        if ((found as { writeId?: string }).writeId === writeId) return toRegistration(found);
        throw new AlreadyRegisteredError();
      }
      const event = toEvent(this.#model.event.parse({ Item: eventItem }).data as Parameters<typeof toEvent>[0]);
      const user = toUser(this.#model.user.parse({ Item: userItem }).data as Parameters<typeof toUser>[0]);
      if (event.registeredCount >= event.capacity) throw new EventFullError();

      const registration = {
        eventId,
        userId,
        registeredAt: this.#timestamp(),
        writeId,
        organizerId: event.organizerId,
        userName: user.name,
        eventName: event.name,
        eventDate: event.date,
        ...(event.venue !== undefined && { eventVenue: event.venue }),
        eventVersion: event.version,
      };
      // One transaction: the seat (never past capacity), the registration (never twice), and conditions that
      // the copies we just read are still current (event version, attendee name).
      const result = await this.#model.service.transaction
        .write(({ event: events, registration: registrations, user: users }) => [
          events
            .patch({ eventId })
            .add({ registeredCount: 1 })
            .where(
              (attr, op) =>
                `${op.name(attr.registeredCount)} < ${op.name(attr.capacity)} AND ${op.eq(attr.version, event.version)}`,
            )
            .commit({ response: "all_old" }),
          registrations.create(registration).commit({ response: "all_old" }),
          users
            .check({ userId })
            .where((attr, op) => op.eq(attr.name, user.name))
            .commit(),
        ])
        .go();
      const outcomes = cancelled(result);
      if (!outcomes) return toRegistration(registration);
      const [seat, created] = outcomes;
      if (created?.rejected && created.item) {
        // Ours: an earlier attempt of this call committed but its answer was lost. Anyone else's: a conflict.
        if (created.item.writeId === writeId)
          return toRegistration(created.item as unknown as Parameters<typeof toRegistration>[0]);
        throw new AlreadyRegisteredError();
      }
      if (seat?.rejected) {
        if (!seat.item) throw new NotFoundError("event");
        const current = seat.item as { registeredCount: number; capacity: number };
        if (current.registeredCount >= current.capacity) throw new EventFullError();
      }
      // The event or the attendee changed since we read them: read again so the copies are current.
      throw new TransactionConflict();
    });
  }

  async cancelRegistration(eventId: string, userId: string, actorId: string): Promise<void> {
    await retryOnConflict(async () => {
      const result = await this.#model.service.transaction
        .write(({ registration, event }) => [
          registration
            .remove({ eventId, userId })
            .where((attr, op) => `(${op.eq(attr.userId, actorId)} OR ${op.eq(attr.organizerId, actorId)})`)
            .commit({ response: "all_old" }),
          event
            .patch({ eventId })
            .add({ registeredCount: -1 })
            .where((attr, op) => op.gt(attr.registeredCount, 0))
            .commit({ response: "all_old" }),
        ])
        .go();
      const outcomes = cancelled(result);
      if (!outcomes) return;
      const [removal, seat] = outcomes;
      if (seat?.rejected && !seat.item) throw new NotFoundError("event");
      if (removal?.rejected && !removal.item) throw new NotFoundError("registration");
      if (removal?.rejected) throw new ForbiddenError("only the attendee or the organizer may cancel");
      throw new Error(`cancelRegistration cancelled: ${outcomes.map((o) => o.code).join(",")}`);
    });
  }

  /** The `attendance` collection: the event (first page only), then registrations by userId; one query a page. */
  async #attendancePage(eventId: string, page: PageRequest) {
    const { first, parent, items, cursor } = await collectionPage(
      this.#cursors,
      lists.registrationsOfEvent(eventId),
      page,
      async (cursor, limit) => {
        const result = await this.#model.service.collections.attendance({ eventId }).go({ ...GO, cursor, limit });
        return { parent: result.data.event[0], children: result.data.registration, cursor: result.cursor };
      },
    );
    if (first && !parent) throw new NotFoundError("event");
    return { event: parent, attendees: { items: items.map(toRegistration), cursor } };
  }

  async listRegistrations(eventId: string, page: PageRequest): Promise<Page<Registration>> {
    return (await this.#attendancePage(eventId, page)).attendees;
  }

  async getEventWithAttendees(eventId: string, page: PageRequest) {
    const { event, attendees } = await this.#attendancePage(eventId, { limit: page.limit });
    if (!event) throw new NotFoundError("event");
    return { event: toEvent(event), attendees };
  }

  /** AP16 — the `attendee` collection: the user (first page only), then registrations by event date. */
  async listUserRegistrations(userId: string, page: PageRequest): Promise<Page<Registration>> {
    const { first, parent, items, cursor } = await collectionPage(
      this.#cursors,
      lists.registrationsOfUser(userId),
      page,
      async (cursor, limit) => {
        const result = await this.#model.service.collections.attendee({ userId }).go({ ...GO, cursor, limit });
        return { parent: result.data.user[0], children: result.data.registration, cursor: result.cursor };
      },
    );
    if (first && !parent) throw new NotFoundError("user");
    return { items: items.map(toRegistration), cursor };
  }
}

/**
 * A copy whose refresh failed its condition: the registration was cancelled meanwhile, or (event copies) a newer
 * version's refresh already wrote it. Either way there is nothing left to update.
 */
function ignoreVanished(error: unknown): void {
  if (conditionFailure(error)) return;
  throw error;
}
