import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { applyCopyChange } from "../copies/fan-out.js";
import type { RegistrationKey } from "../copies/keeper.js";
import { type CopyStrategy, MAX_SYNC_COPIES } from "../copies/strategy.js";
import { CursorCodec } from "../cursor.js";
import {
  CapacityConflictError,
  EmailTakenError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  TooManyCopiesError,
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
import { type BucketQueries, DEFAULT_BUCKET_QUERIES } from "../listing/buckets.js";
import type { DateRange, Page, PageRequest, Store } from "../store.js";
import { SingleTableCopyKeeper } from "./copy-keeper.js";
import { createEntities, type SingleTableModel } from "./entities.js";
import { EventLists } from "./event-lists.js";
import { toEvent, toUser } from "./mapping.js";
import { RegistrationLists } from "./registration-lists.js";
import { RegistrationWrites } from "./registration-writes.js";
import { cancelled } from "./transactions.js";

export interface SingleTableStoreOptions {
  document: DynamoDBDocumentClient;
  tableName: string;
  cursorSecret: string;
  /** Clock, for deterministic tests and seeded comparisons. */
  now?: () => Date;
  newId?: () => string;
  /** How AP7 queries the month buckets a page touches (measured in docs/comparison.md). */
  bucketQueries?: BucketQueries;
  /** How registrations keep copies of names (copies/strategy.ts); `sync`, this design's default, when absent. */
  copies?: CopyStrategy;
  /** The most copies one request may rewrite; MAX_SYNC_COPIES when absent. */
  maxSyncCopies?: number;
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

/**
 * The single-table design (entities.ts draws the layout). Copies of names on registrations follow `copies`:
 * `sync` rewrites them inside the request that changes the original (bounded by `maxSyncCopies`, refused with
 * TooManyCopiesError before anything is written), `stream` leaves them to the table's stream consumer (through
 * `copyKeeper`), `none` keeps none and joins the names at read time. In every strategy a registration keeps the
 * event date gsi1 sorts AP16 on: a key, rewritten by the event's date change in the request (bounded too) unless
 * the stream consumer does it.
 */
export class SingleTableStore implements Store {
  readonly design = "single" as const;
  readonly copies: CopyStrategy;
  readonly copyKeeper: SingleTableCopyKeeper;
  readonly #model: SingleTableModel;
  readonly #now: () => Date;
  readonly #newId: () => string;
  readonly #maxSyncCopies: number;
  readonly #events: EventLists;
  readonly #registrations: RegistrationLists;
  readonly #registrationWrites: RegistrationWrites;

  constructor(options: SingleTableStoreOptions) {
    this.#model = createEntities(options.document, options.tableName);
    this.#now = options.now ?? (() => new Date());
    this.#newId = options.newId ?? (() => ulid());
    this.copies = options.copies ?? "sync";
    this.#maxSyncCopies = options.maxSyncCopies ?? MAX_SYNC_COPIES;
    this.copyKeeper = new SingleTableCopyKeeper(this.#model, options.document, options.tableName, this.copies);
    const cursors = new CursorCodec(options.cursorSecret);
    this.#events = new EventLists(this.#model, cursors, options.bucketQueries ?? DEFAULT_BUCKET_QUERIES);
    this.#registrationWrites = new RegistrationWrites(this.#model, options.document, options.tableName, {
      copies: this.copies,
      newId: this.#newId,
      timestamp: () => this.#timestamp(),
    });
    this.#registrations = new RegistrationLists(this.#model, options.document, options.tableName, cursors, this.copies);
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
    // The marker carries a copy of the user, kept current in the same transactions: one GetItem. Eventually
    // consistent, as the per-entity design's EmailIndex query must be: the same consistency for the same question
    // (and half the read cost), so the comparison measures the layout, not a stronger read on one side.
    const { data } = await this.#model.emailMarker.get({ email: normalized }).go(GO);
    if (!data) throw new NotFoundError("user");
    return toUser(data);
  }

  async createUser(input: CreateUserInput): Promise<StoredUser> {
    const now = this.#timestamp();
    const user = { userId: this.#newId(), name: input.name, email: input.email, createdAt: now, updatedAt: now };
    await retryOnConflict(async () => {
      const result = await this.#model.service.transaction
        .write(({ user: users, emailMarker }) => [
          users.create({ ...user, revision: 1 }).commit(),
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
    // What the caller asked, not a comparison with the stored name: an attempt retried after a lost answer reads
    // the user already renamed, and the copies must still be brought up to date.
    const fanOut = changes.name !== undefined && this.copies === "sync";
    const user = await retryOnConflict(async () => {
      const { data: current } = await this.#model.user.get({ userId }).go({ ...GO, consistent: true });
      if (!current) throw new NotFoundError("user");
      if (actorId !== userId) throw new ForbiddenError("only the user may change their profile");
      if (fanOut) await this.#refuseTooManyUserCopies(userId);
      const next: StoredUser = {
        ...toUser(current),
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.email !== undefined && { email: changes.email }),
        updatedAt: this.#timestamp(),
      };
      const emailChanged = next.email !== current.email;
      const result = await this.#model.service.transaction
        .write(({ user, emailMarker }) => [
          // Optimistic: the email we are swapping out must still be the current one. Not the revision: concurrent
          // renames would then conflict one another, only one winning per round of retries.
          user
            .patch({ userId })
            .set({ name: next.name, email: next.email, updatedAt: next.updatedAt })
            .add({ revision: 1 })
            .where((attr, op) => op.eq(attr.email, current.email))
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
    if (fanOut) await this.#fanOutName(userId);
    return user;
  }

  /**
   * A transaction returns no values, so the rename reads the user back (one consistent GetItem) and fans out the
   * name and revision of that one item. Copy writes replace only older revisions, and the rename that commits
   * last reads the final revision, so once every concurrent rename has answered every copy shows the final name
   * — in whatever order their writes land, with no re-read loop.
   */
  async #fanOutName(userId: string): Promise<void> {
    const { data } = await this.#model.user.get({ userId }).go({ ...GO, consistent: true });
    if (!data) return;
    const source = { userId, name: data.name, revision: data.revision ?? 0 };
    await applyCopyChange(this.copyKeeper, { kind: "user", source });
  }

  /**
   * COPIES=sync: a rename rewrites one copy per registration; past the bound it is refused before anything is
   * written. Registrations made between this count and the rename's write slip past the bound: it caps the
   * request's work, it is not an invariant.
   */
  async #refuseTooManyUserCopies(userId: string): Promise<void> {
    const copies = await this.copyKeeper.countRegistrationsOfUser(userId, this.#maxSyncCopies + 1);
    if (copies > this.#maxSyncCopies) throw new TooManyCopiesError(copies, this.#maxSyncCopies);
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

  listEventsByDate(range: DateRange, page: PageRequest): Promise<Page<Event>> {
    return this.#events.byDate(range, page);
  }

  async listEventsByOrganizer(userId: string, page: PageRequest): Promise<Page<Event>> {
    return (await this.#events.ofOrganizer(userId, page)).events;
  }

  async getUserWithEvents(userId: string, page: PageRequest) {
    const { user, events } = await this.#events.ofOrganizer(userId, { limit: page.limit });
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
    // The copies this request rewrites: sync the name, date and venue; none only the date (gsi1sk's sort key, not
    // a display copy); stream none (its consumer does). One per registration, and registeredCount counts them, so
    // the bound is part of the update's own condition: refused atomically, before anything is written.
    const fanOut =
      this.copies === "sync"
        ? changes.name !== undefined || changes.date !== undefined || changes.venue !== undefined
        : this.copies === "none" && changes.date !== undefined;
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
            ...(fanOut ? [op.lte(attr.registeredCount, this.#maxSyncCopies)] : []),
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
        const registered = old.registeredCount as number;
        if (old.organizerId !== actorId) throw new ForbiddenError("only the organizer may change this event");
        if (expectedVersion !== undefined && old.version !== expectedVersion) {
          throw new PreconditionFailedError(old.version as number);
        }
        if (
          fanOut &&
          registered > this.#maxSyncCopies &&
          !(changes.capacity !== undefined && registered > changes.capacity)
        ) {
          throw new TooManyCopiesError(registered, this.#maxSyncCopies);
        }
        throw new CapacityConflictError(registered);
      }
      updated = toEvent(old as unknown as Parameters<typeof toEvent>[0]);
    }
    if (fanOut) {
      const { name, date, venue, version } = updated;
      await applyCopyChange(this.copyKeeper, { kind: "event", source: { eventId, name, date, venue, version } });
    }
    return updated;
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
      const keys: RegistrationKey[] = [];
      for await (const page of this.copyKeeper.registrationsOfEvent(eventId)) keys.push(...page);
      let pending = keys;
      for (let attempt = 0; pending.length > 0; attempt++) {
        const { unprocessed } = await this.#model.registration.delete(pending).go(GO);
        pending = unprocessed as typeof keys;
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      }
    });
  }

  // ---------------------------------------------------------------- registrations

  register(eventId: string, userId: string): Promise<Registration> {
    return this.#registrationWrites.register(eventId, userId);
  }

  cancelRegistration(eventId: string, userId: string, actorId: string): Promise<void> {
    return this.#registrationWrites.cancel(eventId, userId, actorId);
  }

  listRegistrations(eventId: string, page: PageRequest): Promise<Page<Registration>> {
    return this.#registrations.ofEvent(eventId, page).then(({ attendees }) => attendees);
  }

  async getEventWithAttendees(eventId: string, page: PageRequest) {
    const { event, attendees } = await this.#registrations.ofEvent(eventId, { limit: page.limit });
    if (!event) throw new NotFoundError("event");
    return { event, attendees };
  }

  listUserRegistrations(userId: string, page: PageRequest): Promise<Page<Registration>> {
    return this.#registrations.ofUser(userId, page);
  }
}
