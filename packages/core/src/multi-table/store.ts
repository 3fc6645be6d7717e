import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import type { CopyKeeper } from "../copies/keeper.js";
import { type CopyStrategy, DEFAULT_COPIES, MAX_SYNC_COPIES } from "../copies/strategy.js";
import { CursorCodec } from "../cursor.js";
import type {
  CreateEventInput,
  CreateUserInput,
  Event,
  Registration,
  StoredUser,
  UpdateEventInput,
  UpdateUserInput,
} from "../domain/schemas.js";
import { type BucketQueries, DEFAULT_BUCKET_QUERIES } from "../listing/buckets.js";
import type { DateRange, Page, PageRequest, Store } from "../store.js";
import { MultiTableContext, type MultiTableNames } from "./context.js";
import { MultiTableCopyKeeper } from "./copy-keeper.js";
import { deleteEvent, updateEvent } from "./event-changes.js";
import { createEvent, getEvent, getUserWithEvents, listEventsByDate, listEventsByOrganizer } from "./events.js";
import {
  cancelRegistration,
  getEventWithAttendees,
  listRegistrations,
  listUserRegistrations,
  register,
} from "./registrations.js";
import { createUser, findUserByEmail, getUser, updateUser } from "./users.js";

export type { MultiTableNames } from "./context.js";
export { MultiTableCopyKeeper } from "./copy-keeper.js";

export interface MultiTableStoreOptions {
  document: DynamoDBDocumentClient;
  tables: MultiTableNames;
  cursorSecret: string;
  /** Clock, for deterministic tests and seeded comparisons. */
  now?: () => Date;
  newId?: () => string;
  /** How AP7 queries the month buckets a page touches (measured in docs/comparison.md). */
  bucketQueries?: BucketQueries;
  /** How registrations keep copies of names (COPIES); `none` (read-time joins) when absent. */
  copies?: CopyStrategy;
  /** The most copies one request may rewrite; MAX_SYNC_COPIES when absent. */
  maxSyncCopies?: number;
}

/**
 * The one-table-per-entity design: the contrast to the single-table store, written the way an introductory
 * DynamoDB article teaches (one table per entity keyed by its id, a GSI per other lookup, the plain document
 * client). Same port, same invariants, same errors and cursors contract; see `table/definition.ts` for the
 * tables and why each index exists. The access patterns live in users.ts, events.ts, event-changes.ts and
 * registrations.ts; copy maintenance in copy-keeper.ts and the shared copies/fan-out.ts.
 *
 * Copies (COPIES): under `none` (this design's default) registrations keep no copies of names and lists join at
 * read time (Query, then one BatchGetItem across the users and events tables). Under `sync` and `stream` each
 * registration carries the user's name and the event's name, date and venue, so lists are one Query; `sync`
 * rewrites them in the request that renames, `stream` leaves that to a stream consumer. In every strategy each
 * registration keeps its event's date in `dateEventId`, the sort key of `UserIndex` (a key, not a display copy),
 * rewritten in the request when the event's date changes (under `stream`, by the consumer).
 *
 * Fan-outs go through the shared `applyCopyChange` (copies/fan-out.ts). One request rewrites at most
 * `maxSyncCopies` (MAX_SYNC_COPIES) copies — `sync`'s name copies, or `none`'s date keys on a date change —
 * past it the change is refused with too_many_copies before anything is written (an event's bound is a condition
 * on its seats in the change's transaction; a user's registrations are counted first).
 *
 * Request cost per access pattern (a transaction counts as one request; "‖" = sent in parallel; n = the copies a
 * change rewrites, each fan-out being 1 Query per 100 registrations + n UpdateItems, 32 in flight). Patterns not
 * listed under a strategy cost what they cost under `none`:
 *
 * | AP   | none                                                                                                  |
 * |------|-------------------------------------------------------------------------------------------------------|
 * | AP1  | 1 GetItem                                                                                             |
 * | AP2  | 1 Query (EmailIndex); +1 GetItem (Emails) only if a lagging index shows two users with the address    |
 * | AP3  | 1 TransactWriteItems (user + email item)                                                              |
 * | AP4  | name only: 1 UpdateItem; email change: 1 GetItem + 1 TransactWriteItems (user, old and new email item) |
 * | AP5  | 1 TransactWriteItems (event + seats)                                                                  |
 * | AP6  | 1 BatchGetItem (event + seats, two tables)                                                            |
 * | AP7  | 1 Query (DateIndex) per month bucket the page touches + 1 BatchGetItem (the page's seats)             |
 * | AP8  | 1 Query (OrganizerIndex) + 1 BatchGetItem (seats) per page; +1 GetItem (user) for an empty first page |
 * | AP9  | 3: GetItem (user) ‖ Query (OrganizerIndex), then BatchGetItem (seats)                                 |
 * | AP10 | UpdateItem ‖ GetItem (seats); capacity: TransactWriteItems (event + seats) + BatchGetItem; + date fan-out |
 * | AP11 | 1 TransactWriteItems (event + seats) + 1 Query per 100 + 1 BatchWriteItem per 25 registrations        |
 * | AP12 | 2: BatchGetItem (event + seats + user) + TransactWriteItems (seats + registration + event check)      |
 * | AP13 | 1 TransactWriteItems (registration + seats)                                                           |
 * | AP14 | 2 per page: Query (Registrations) + BatchGetItem (event + attendees; 2 for a 100-item page)           |
 * | AP15 | 2: Query (Registrations) + BatchGetItem (the event, its seats + attendees)                           |
 * | AP16 | 2 per page: Query (UserIndex) + BatchGetItem (user + events; 2 for a 100-item page); a page left      |
 * |      | short by registrations whose event is gone reads on (another Query + BatchGetItem)                    |
 *
 * | AP   | sync                                                                | stream                          |
 * |------|---------------------------------------------------------------------|---------------------------------|
 * | AP4  | a name given: +1 Query (COUNT on UserIndex) first, then the fan-out | as none                         |
 * | AP10 | 1 UpdateItem; a name, date or venue change adds the fan-out         | 1 UpdateItem                    |
 * | AP12 | 2, the transaction also a ConditionCheck (the user's revision)      | as sync                         |
 * | AP14 | 1 per page: Query (Registrations); the first page ‖ BatchGetItem    | as sync                         |
 * | AP15 | 2: Query (Registrations) ‖ BatchGetItem (event + seats)             | as sync                         |
 * | AP16 | 1 per page: Query (UserIndex); the first page ‖ GetItem (user)      | as sync                         |
 *
 * An empty page after the first (`cursor` given, no items) costs only its Query.
 */
export class MultiTableStore implements Store {
  readonly design = "multi" as const;
  readonly copies: CopyStrategy;
  readonly copyKeeper: CopyKeeper;
  readonly #ctx: MultiTableContext;

  constructor(options: MultiTableStoreOptions) {
    this.copies = options.copies ?? DEFAULT_COPIES.multi;
    const keeper = new MultiTableCopyKeeper(options.document, options.tables, this.copies);
    this.copyKeeper = keeper;
    this.#ctx = new MultiTableContext({
      document: options.document,
      tables: options.tables,
      cursors: new CursorCodec(options.cursorSecret),
      now: options.now ?? (() => new Date()),
      newId: options.newId ?? (() => ulid()),
      bucketQueries: options.bucketQueries ?? DEFAULT_BUCKET_QUERIES,
      copies: this.copies,
      maxSyncCopies: options.maxSyncCopies ?? MAX_SYNC_COPIES,
      copyKeeper: keeper,
    });
  }

  getUser(userId: string): Promise<StoredUser> {
    return getUser(this.#ctx, userId);
  }

  findUserByEmail(email: string): Promise<StoredUser> {
    return findUserByEmail(this.#ctx, email);
  }

  createUser(input: CreateUserInput): Promise<StoredUser> {
    return createUser(this.#ctx, input);
  }

  updateUser(userId: string, actorId: string, changes: UpdateUserInput): Promise<StoredUser> {
    return updateUser(this.#ctx, userId, actorId, changes);
  }

  createEvent(organizerId: string, input: CreateEventInput): Promise<Event> {
    return createEvent(this.#ctx, organizerId, input);
  }

  getEvent(eventId: string): Promise<Event> {
    return getEvent(this.#ctx, eventId);
  }

  listEventsByDate(range: DateRange, page: PageRequest): Promise<Page<Event>> {
    return listEventsByDate(this.#ctx, range, page);
  }

  listEventsByOrganizer(userId: string, page: PageRequest): Promise<Page<Event>> {
    return listEventsByOrganizer(this.#ctx, userId, page);
  }

  getUserWithEvents(userId: string, page: PageRequest): Promise<{ user: StoredUser; events: Page<Event> }> {
    return getUserWithEvents(this.#ctx, userId, page);
  }

  updateEvent(eventId: string, actorId: string, changes: UpdateEventInput, expectedVersion?: number): Promise<Event> {
    return updateEvent(this.#ctx, eventId, actorId, changes, expectedVersion);
  }

  deleteEvent(eventId: string, actorId: string): Promise<void> {
    return deleteEvent(this.#ctx, eventId, actorId);
  }

  register(eventId: string, userId: string): Promise<Registration> {
    return register(this.#ctx, eventId, userId);
  }

  cancelRegistration(eventId: string, userId: string, actorId: string): Promise<void> {
    return cancelRegistration(this.#ctx, eventId, userId, actorId);
  }

  listRegistrations(eventId: string, page: PageRequest): Promise<Page<Registration>> {
    return listRegistrations(this.#ctx, eventId, page);
  }

  getEventWithAttendees(eventId: string, page: PageRequest): Promise<{ event: Event; attendees: Page<Registration> }> {
    return getEventWithAttendees(this.#ctx, eventId, page);
  }

  listUserRegistrations(userId: string, page: PageRequest): Promise<Page<Registration>> {
    return listUserRegistrations(this.#ctx, userId, page);
  }
}
