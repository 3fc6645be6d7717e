import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { applyCopyChange } from "../copies/fan-out.js";
import { type CopyStrategy, MAX_SYNC_COPIES } from "../copies/strategy.js";
import { CursorCodec } from "../cursor.js";
import { EmailTakenError, ForbiddenError, NotFoundError, TooManyCopiesError } from "../domain/errors.js";
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
import { retryOnConflict, TransactionConflict } from "../dynamo/retry.js";
import { type BucketQueries, DEFAULT_BUCKET_QUERIES } from "../listing/buckets.js";
import type { DateRange, Page, PageRequest, Store } from "../store.js";
import { SingleTableCopyKeeper } from "./copy-keeper.js";
import { createEntities, type SingleTableModel } from "./entities.js";
import { EventLists } from "./event-lists.js";
import { EventSeats } from "./event-seats.js";
import { EventWrites } from "./event-writes.js";
import { toUser } from "./mapping.js";
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
  readonly #seats: EventSeats;
  readonly #events: EventLists;
  readonly #eventWrites: EventWrites;
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
    this.#seats = new EventSeats(this.#model, options.document, options.tableName);
    this.#events = new EventLists(this.#model, this.#seats, cursors, options.bucketQueries ?? DEFAULT_BUCKET_QUERIES);
    this.#eventWrites = new EventWrites(this.#model, this.#seats, this.copyKeeper, {
      copies: this.copies,
      maxSyncCopies: this.#maxSyncCopies,
      newId: this.#newId,
      timestamp: () => this.#timestamp(),
    });
    this.#registrationWrites = new RegistrationWrites(this.#model, options.document, options.tableName, {
      copies: this.copies,
      newId: this.#newId,
      timestamp: () => this.#timestamp(),
    });
    this.#registrations = new RegistrationLists(
      this.#model,
      this.#seats,
      options.document,
      options.tableName,
      cursors,
      this.copies,
    );
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

  createEvent(organizerId: string, input: CreateEventInput): Promise<Event> {
    return this.#eventWrites.create(organizerId, input);
  }

  /** AP6 — 1 Query: the event and its seats (event-seats.ts). */
  async getEvent(eventId: string): Promise<Event> {
    const event = await this.#seats.read(eventId);
    if (!event) throw new NotFoundError("event");
    return event;
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

  updateEvent(eventId: string, actorId: string, changes: UpdateEventInput, expectedVersion?: number): Promise<Event> {
    return this.#eventWrites.update(eventId, actorId, changes, expectedVersion);
  }

  deleteEvent(eventId: string, actorId: string): Promise<void> {
    return this.#eventWrites.delete(eventId, actorId);
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
