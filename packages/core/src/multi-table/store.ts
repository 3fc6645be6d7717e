import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import type { CopyKeeper } from "../copies/keeper.js";
import type { CopyStrategy } from "../copies/strategy.js";
import { CursorCodec } from "../cursor.js";
import { monthOf, monthsBetween } from "../domain/dates.js";
import {
  AlreadyRegisteredError,
  CapacityConflictError,
  EmailTakenError,
  EventFullError,
  ForbiddenError,
  InvalidCursorError,
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
import { retryOnConflict, retryWhileUnavailable, TransactionConflict } from "../dynamo/retry.js";
import {
  type BucketQueries,
  type BucketSource,
  DEFAULT_BUCKET_QUERIES,
  decodeBucketPosition,
  encodeBucketPosition,
  walkBuckets,
} from "../listing/buckets.js";
import { fillPage } from "../listing/fill.js";
import { type DateRange, lists, type Page, type PageRequest, type Store } from "../store.js";
import { type BatchGetRequest, batchDeleteAll, batchGetAll, type Item, type Key } from "./batch.js";
import { cancellation, conditionFailure, isKeyOf, names, type Outcome } from "./dynamo.js";
import { dateEventId, type RegistrationItem, toEvent, toRegistration, toUser } from "./mapping.js";

/** Physical table names, by role. */
export interface MultiTableNames {
  users: string;
  emails: string;
  events: string;
  registrations: string;
}

export interface MultiTableStoreOptions {
  document: DynamoDBDocumentClient;
  tables: MultiTableNames;
  cursorSecret: string;
  /** Clock, for deterministic tests and seeded comparisons. */
  now?: () => Date;
  newId?: () => string;
  /** How AP7 queries the month buckets a page touches (measured in docs/comparison.md). */
  bucketQueries?: BucketQueries;
}

const ALL_OLD = "ALL_OLD" as const;

/** The key attributes a cursor of each list carries: the primary key plus the index key of the index queried. */
const KEYS = {
  dateIndex: ["eventId", "month", "dateEventId"],
  organizerIndex: ["eventId", "organizerId", "dateEventId"],
  registrations: ["eventId", "userId"],
  userIndex: ["eventId", "userId", "dateEventId"],
} as const;

/** A page as DynamoDB answers it. */
interface QueryPage {
  items: Item[];
  lastKey: Key | undefined;
}

/**
 * The one-table-per-entity design: the contrast to the single-table store, written the way an introductory
 * DynamoDB article teaches (one table per entity keyed by its id, a GSI per other lookup, the plain document
 * client). Same port, same invariants, same errors and cursors contract; see `table/definition.ts` for the
 * tables and why each index exists.
 *
 * It keeps no copies of names: lists join at read time (Query, then one BatchGetItem across the users and
 * events tables), so "copies stay current" holds trivially. The one copy it keeps is the event's date on each
 * registration — the by-user index sorts on it — rewritten when the event's date changes.
 *
 * Request cost per access pattern (a transaction counts as one request; "‖" = sent in parallel):
 *
 * | AP   | requests                                                                                                  |
 * |------|-----------------------------------------------------------------------------------------------------------|
 * | AP1  | 1 GetItem                                                                                                 |
 * | AP2  | 1 Query (EmailIndex); +1 GetItem (Emails) only if a lagging index shows two users with the address          |
 * | AP3  | 1 TransactWriteItems (user + email item)                                                                  |
 * | AP4  | name only: 1 UpdateItem; email change: 1 GetItem + 1 TransactWriteItems (user, old and new email items)    |
 * | AP5  | 1 PutItem                                                                                                 |
 * | AP6  | 1 GetItem                                                                                                 |
 * | AP7  | 1 Query (DateIndex) per month bucket the page touches                                                     |
 * | AP8  | 1 Query (OrganizerIndex) per page; +1 GetItem (user) when a first page is empty, to tell 404 from none     |
 * | AP9  | 2: GetItem (user) ‖ Query (OrganizerIndex)                                                                 |
 * | AP10 | 1 UpdateItem; a date change adds 1 Query per 100 registrations + 1 UpdateItem per registration   |
 * | AP11 | 1 DeleteItem + 1 Query per 100 registrations + 1 BatchWriteItem per 25 registrations              |
 * | AP12 | 2: BatchGetItem (event + user) + TransactWriteItems (seat + registration)                                  |
 * | AP13 | 1 TransactWriteItems (registration + seat)                                                                |
 * | AP14 | 2 per page: Query (Registrations) + BatchGetItem (the event + attendees); a 100-item page needs 2 BatchGets  |
 * | AP15 | 2: Query (Registrations) + BatchGetItem (the event + attendees)                                            |
 * | AP16 | 2 per page: Query (UserIndex) + BatchGetItem (the user + events); a 100-item page needs 2 BatchGets; a    |
 * |      | page left short by registrations whose event is gone reads on (another Query + BatchGetItem)              |
 *
 * An empty page after the first (`cursor` given, no items) costs only its Query.
 */
export class MultiTableStore implements Store {
  readonly design = "multi" as const;
  // Placeholder so the Store port compiles on this branch: the copies-multi branch implements both (take theirs).
  readonly copies: CopyStrategy = "none";
  get copyKeeper(): CopyKeeper {
    throw new Error("the multi-table CopyKeeper lands with the copies-multi branch");
  }
  readonly #document: DynamoDBDocumentClient;
  readonly #tables: MultiTableNames;
  readonly #cursors: CursorCodec;
  readonly #now: () => Date;
  readonly #newId: () => string;
  readonly #bucketQueries: BucketQueries;

  constructor(options: MultiTableStoreOptions) {
    this.#document = options.document;
    this.#tables = options.tables;
    this.#cursors = new CursorCodec(options.cursorSecret);
    this.#now = options.now ?? (() => new Date());
    this.#newId = options.newId ?? (() => ulid());
    this.#bucketQueries = options.bucketQueries ?? DEFAULT_BUCKET_QUERIES;
  }

  #timestamp(): string {
    return this.#now().toISOString();
  }

  // ---------------------------------------------------------------- plumbing

  async #query(input: QueryCommandInput): Promise<QueryPage> {
    const output = await this.#document.send(new QueryCommand(input));
    return { items: (output.Items ?? []) as Item[], lastKey: output.LastEvaluatedKey as Key | undefined };
  }

  /** Joins: one BatchGetItem per 100 keys, unprocessed keys retried with backoff. */
  #batchGet(requests: BatchGetRequest[]): Promise<Map<string, Item[]>> {
    return batchGetAll((command) => this.#document.send(command), requests);
  }

  /** One TransactWriteItems: undefined when it committed, the per-action outcomes when a condition failed. */
  async #transact(items: TransactWriteCommandInput["TransactItems"]): Promise<Outcome[] | undefined> {
    try {
      await this.#document.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      const outcomes = cancellation(error);
      if (!outcomes) throw error;
      return outcomes;
    }
  }

  #encode(list: string, position: unknown): string {
    return this.#cursors.encode(list, position);
  }

  /** The ExclusiveStartKey a cursor carries; a cursor of another shape (say, another design's) is invalid. */
  #decodeKey(list: string, cursor: string, attributes: readonly string[]): Key {
    const key = this.#cursors.decode<unknown>(list, cursor);
    if (!isKeyOf(key, attributes)) throw new InvalidCursorError();
    return key;
  }

  // ---------------------------------------------------------------- users

  /** AP1 — 1 GetItem. */
  async getUser(userId: string): Promise<StoredUser> {
    const { Item } = await this.#document.send(new GetCommand({ TableName: this.#tables.users, Key: { userId } }));
    if (!Item) throw new NotFoundError("user");
    return toUser(Item);
  }

  /**
   * AP2 — 1 Query on `EmailIndex`. The index is eventually consistent: right after an email swap it may still
   * show the old owner under the address as well; then the Emails table (strongly consistent) says whose it is.
   */
  async findUserByEmail(email: string): Promise<StoredUser> {
    const normalized = normalizeEmail(email);
    // No stored address is empty or longer (creation validates it), and such a key value is a
    // ValidationException, not a miss.
    if (normalized.length === 0 || normalized.length > LIMITS.email) throw new NotFoundError("user");
    const { items } = await this.#query({
      TableName: this.#tables.users,
      IndexName: "EmailIndex",
      KeyConditionExpression: "#email = :email",
      ExpressionAttributeNames: names("email"),
      ExpressionAttributeValues: { ":email": normalized },
    });
    if (items.length <= 1) {
      if (!items[0]) throw new NotFoundError("user");
      return toUser(items[0]);
    }
    const { Item: owner } = await this.#document.send(
      new GetCommand({ TableName: this.#tables.emails, Key: { email: normalized }, ConsistentRead: true }),
    );
    const user = items.find((item) => item.userId === owner?.userId);
    if (!user) throw new NotFoundError("user");
    return toUser(user);
  }

  /** AP3 — 1 TransactWriteItems: the user and its email item, which must not exist yet. */
  async createUser(input: CreateUserInput): Promise<StoredUser> {
    const now = this.#timestamp();
    const user: StoredUser = {
      userId: this.#newId(),
      name: input.name,
      email: input.email,
      createdAt: now,
      updatedAt: now,
    };
    const outcomes = await retryOnConflict(() =>
      this.#transact([
        {
          Put: {
            TableName: this.#tables.users,
            Item: user,
            ConditionExpression: "attribute_not_exists(#userId)",
            ExpressionAttributeNames: names("userId"),
          },
        },
        {
          Put: {
            TableName: this.#tables.emails,
            Item: { email: user.email, userId: user.userId },
            ConditionExpression: "attribute_not_exists(#email)",
            ExpressionAttributeNames: names("email"),
            ReturnValuesOnConditionCheckFailure: ALL_OLD,
          },
        },
      ]),
    );
    const marker = outcomes?.[1];
    // A marker that is ours already: an earlier attempt of this very call committed (its answer was lost).
    if (marker?.rejected && marker.item?.userId === user.userId) return user;
    if (marker?.rejected) throw new EmailTakenError();
    if (outcomes) throw new Error(`createUser cancelled: ${outcomes.map((o) => o.code).join(",")}`);
    return user;
  }

  /**
   * AP4 — a rename is 1 UpdateItem, with the ownership check inside its condition (ALL_OLD tells 404 from 403).
   * An email change must know the old address to release it: 1 GetItem (consistent), then 1 TransactWriteItems
   * (user, old email item deleted, new one created). No copies of the name exist: nothing to fan out.
   */
  async updateUser(userId: string, actorId: string, changes: UpdateUserInput): Promise<StoredUser> {
    if (changes.email === undefined) return this.#patchUser(userId, actorId, changes.name);
    const newEmail = changes.email;
    return retryOnConflict(async () => {
      const { Item } = await this.#document.send(
        new GetCommand({ TableName: this.#tables.users, Key: { userId }, ConsistentRead: true }),
      );
      if (!Item) throw new NotFoundError("user");
      if (actorId !== userId) throw new ForbiddenError("only the user may change their profile");
      const current = toUser(Item);
      if (newEmail === current.email) return this.#patchUser(userId, actorId, changes.name);
      const next: StoredUser = {
        ...current,
        ...(changes.name !== undefined && { name: changes.name }),
        email: newEmail,
        updatedAt: this.#timestamp(),
      };
      const outcomes = await this.#transact([
        {
          // Optimistic: the email we release must still be the user's current one.
          Update: {
            TableName: this.#tables.users,
            Key: { userId },
            UpdateExpression: "SET #name = :name, #email = :email, #updatedAt = :now",
            ConditionExpression: "#userId = :actor AND #email = :old",
            ExpressionAttributeNames: names("name", "email", "updatedAt", "userId"),
            ExpressionAttributeValues: {
              ":name": next.name,
              ":email": next.email,
              ":now": next.updatedAt,
              ":actor": actorId,
              ":old": current.email,
            },
          },
        },
        {
          Delete: {
            TableName: this.#tables.emails,
            Key: { email: current.email },
            ConditionExpression: "#userId = :userId",
            ExpressionAttributeNames: names("userId"),
            ExpressionAttributeValues: { ":userId": userId },
          },
        },
        {
          Put: {
            TableName: this.#tables.emails,
            Item: { email: next.email, userId },
            ConditionExpression: "attribute_not_exists(#email)",
            ExpressionAttributeNames: names("email"),
            ReturnValuesOnConditionCheckFailure: ALL_OLD,
          },
        },
      ]);
      if (!outcomes) return next;
      if (outcomes[2]?.rejected && outcomes[2].item) throw new EmailTakenError();
      // The user changed between our read and the write: read again.
      throw new TransactionConflict();
    });
  }

  /** 1 UpdateItem: `updatedAt` and maybe the name, only by the user themself. */
  async #patchUser(userId: string, actorId: string, name: string | undefined): Promise<StoredUser> {
    try {
      const { Attributes } = await this.#document.send(
        new UpdateCommand({
          TableName: this.#tables.users,
          Key: { userId },
          UpdateExpression: name === undefined ? "SET #updatedAt = :now" : "SET #updatedAt = :now, #name = :name",
          ConditionExpression: "#userId = :actor",
          ExpressionAttributeNames: names("updatedAt", "userId", ...(name === undefined ? [] : ["name"])),
          ExpressionAttributeValues: {
            ":now": this.#timestamp(),
            ":actor": actorId,
            ...(name !== undefined && { ":name": name }),
          },
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: ALL_OLD,
        }),
      );
      return toUser(Attributes as Item);
    } catch (error) {
      const failure = conditionFailure(error);
      if (!failure) throw error;
      if (!failure.item) throw new NotFoundError("user");
      throw new ForbiddenError("only the user may change their profile");
    }
  }

  // ---------------------------------------------------------------- events

  /** AP5 — 1 PutItem (insert only). */
  async createEvent(organizerId: string, input: CreateEventInput): Promise<Event> {
    const now = this.#timestamp();
    const event: Event = {
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
      await this.#document.send(
        new PutCommand({
          TableName: this.#tables.events,
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
  async getEvent(eventId: string): Promise<Event> {
    const { Item } = await this.#document.send(new GetCommand({ TableName: this.#tables.events, Key: { eventId } }));
    if (!Item) throw new NotFoundError("event");
    return toEvent(Item);
  }

  /**
   * AP7 — 1 Query on `DateIndex` per month bucket the page touches (see listing/buckets.ts), each clipped to the
   * range. The cursor carries the bucket and DynamoDB's LastEvaluatedKey within it.
   */
  async listEventsByDate(range: DateRange, page: PageRequest): Promise<Page<Event>> {
    const list = lists.eventsByDate(range);
    const months = monthsBetween(range.from, range.to);
    const start = page.cursor
      ? decodeBucketPosition(this.#cursors, list, page.cursor, months, isDateIndexKey)
      : { bucket: months[0] as string, after: null };
    const source: BucketSource<Item, Key> = {
      // `<to>#~` sorts after every `<to>#<eventId>` ("~" sorts after every ULID character) and before any later
      // date: BETWEEN covers exactly the range. (Not the day after `to`: after 9999-12-31 that is
      // "+010000-01-01", which sorts before every date, and DynamoDB refuses the BETWEEN.)
      query: async (month, after, limit) => {
        const { items, lastKey } = await this.#query({
          TableName: this.#tables.events,
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
    const { items, next } = await walkBuckets(source, months, start, page.limit, this.#bucketQueries);
    return { items: items.map(toEvent), cursor: encodeBucketPosition(this.#cursors, list, next) };
  }

  /** One page of `OrganizerIndex`: 1 Query. */
  async #organizedEvents(userId: string, page: PageRequest): Promise<{ page: Page<Event>; first: boolean }> {
    const list = lists.eventsByOrganizer(userId);
    const start = page.cursor ? this.#decodeKey(list, page.cursor, KEYS.organizerIndex) : undefined;
    const { items, lastKey } = await this.#query({
      TableName: this.#tables.events,
      IndexName: "OrganizerIndex",
      KeyConditionExpression: "#organizerId = :organizerId",
      ExpressionAttributeNames: names("organizerId"),
      ExpressionAttributeValues: { ":organizerId": userId },
      Limit: page.limit,
      ...(start && { ExclusiveStartKey: start }),
    });
    return {
      page: { items: items.map(toEvent), cursor: lastKey ? this.#encode(list, lastKey) : null },
      first: start === undefined,
    };
  }

  /**
   * AP8 — 1 Query per page. Events exist only for existing users (an organizer is an authenticated user, and
   * users are never deleted), so only an empty first page needs a GetItem to tell "no such user" (404) from
   * "organizes nothing".
   */
  async listEventsByOrganizer(userId: string, page: PageRequest): Promise<Page<Event>> {
    const result = await this.#organizedEvents(userId, page);
    if (result.first && result.page.items.length === 0) await this.getUser(userId);
    return result.page;
  }

  /** AP9 — 2 requests in parallel: GetItem (user) ‖ Query (OrganizerIndex). Its cursor continues on AP8. */
  async getUserWithEvents(userId: string, page: PageRequest): Promise<{ user: StoredUser; events: Page<Event> }> {
    const [user, events] = await Promise.all([
      this.getUser(userId),
      this.#organizedEvents(userId, { limit: page.limit }),
    ]);
    return { user, events: events.page };
  }

  /**
   * AP10 — 1 UpdateItem whose condition carries every check (organizer, If-Match, capacity ≥ registeredCount);
   * ALL_OLD on failure tells 404 → 403 → 412 → 409 apart without a read. A date change moves the event in both
   * date-sorted indexes (its `month` and `dateEventId`) and is copied to each registration's `dateEventId`.
   */
  async updateEvent(
    eventId: string,
    actorId: string,
    changes: UpdateEventInput,
    expectedVersion?: number,
  ): Promise<Event> {
    // The call that last changed the event: a retried update whose first attempt committed unseen recognises it.
    const writeId = this.#newId();
    const attributes = ["organizerId", "version", "updatedAt", "writeId"];
    const values: Record<string, unknown> = {
      ":actor": actorId,
      ":one": 1,
      ":now": this.#timestamp(),
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
    let updated: Event;
    try {
      const { Attributes } = await this.#document.send(
        new UpdateCommand({
          TableName: this.#tables.events,
          Key: { eventId },
          UpdateExpression: `SET ${set.join(", ")} ADD #version :one${remove.length ? ` REMOVE ${remove.join(", ")}` : ""}`,
          ConditionExpression: conditions.join(" AND "),
          ExpressionAttributeNames: names(...new Set(attributes)),
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: ALL_OLD,
        }),
      );
      updated = toEvent(Attributes as Item);
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
      updated = toEvent(old);
    }
    if (changes.date !== undefined) await this.#refreshRegistrationDates(eventId, dateEventId(updated.date, eventId));
    return updated;
  }

  /**
   * The one copy this design keeps: each registration's `dateEventId`, the sort key of `UserIndex`. Cost: 1 Query
   * per page of keys plus 1 UpdateItem per registration (names are joined at read time, so a rename costs nothing).
   */
  async #refreshRegistrationDates(eventId: string, sortKey: string): Promise<void> {
    for await (const keys of this.#registrationKeys(eventId)) {
      await Promise.all(
        keys.map((key) =>
          this.#document
            .send(
              new UpdateCommand({
                TableName: this.#tables.registrations,
                Key: key,
                UpdateExpression: "SET #dateEventId = :dateEventId",
                ConditionExpression: "attribute_exists(#userId)",
                ExpressionAttributeNames: names("dateEventId", "userId"),
                ExpressionAttributeValues: { ":dateEventId": sortKey },
              }),
            )
            .catch(ignoreVanished),
        ),
      );
    }
  }

  /** Every registration key of an event, page by page, from the base table (strongly consistent). */
  async *#registrationKeys(eventId: string): AsyncGenerator<Key[]> {
    let start: Key | undefined;
    do {
      const { items, lastKey } = await this.#query({
        TableName: this.#tables.registrations,
        KeyConditionExpression: "#eventId = :eventId",
        ProjectionExpression: "#eventId, #userId",
        ExpressionAttributeNames: names("eventId", "userId"),
        ExpressionAttributeValues: { ":eventId": eventId },
        ConsistentRead: true,
        Limit: 100,
        ...(start && { ExclusiveStartKey: start }),
      });
      if (items.length > 0) yield items;
      start = lastKey;
    } while (start);
  }

  /**
   * AP11 — 1 DeleteItem (organizer check in its condition; ALL_OLD tells 404 from 403), then the registrations:
   * 1 Query per 100 keys + 1 BatchWriteItem per 25.
   */
  async deleteEvent(eventId: string, actorId: string): Promise<void> {
    try {
      await this.#document.send(
        new DeleteCommand({
          TableName: this.#tables.events,
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
      await this.#removeRegistrationsOf(eventId);
      throw new NotFoundError("event");
    }
    await this.#removeRegistrationsOf(eventId);
  }

  /**
   * Once the event item is gone no registration can commit (each one's transaction updates the event under a
   * condition), so a consistent read of the partition sees every registration there will ever be. Idempotent,
   * so retried as a whole while DynamoDB is unavailable.
   */
  async #removeRegistrationsOf(eventId: string): Promise<void> {
    await retryWhileUnavailable(async () => {
      const keys: Key[] = [];
      for await (const page of this.#registrationKeys(eventId)) keys.push(...page);
      await batchDeleteAll((command) => this.#document.send(command), this.#tables.registrations, keys);
    });
  }

  // ---------------------------------------------------------------- registrations

  /**
   * AP12 — 2 requests. 1 BatchGetItem (consistent) reads the event and the attendee across both tables: they
   * answer 404s and "full" early, give the date the registration sorts by, and fill in the response. Then 1
   * TransactWriteItems: the seat (`registeredCount < capacity`, and the event version we read, so the copied
   * date is current) and the registration (`attribute_not_exists`: never twice).
   */
  async register(eventId: string, userId: string): Promise<Registration> {
    // Which call wrote the registration: a retry whose first attempt committed unseen recognises its own.
    const writeId = this.#newId();
    return retryOnConflict(async () => {
      // One BatchGetItem: the event, the attendee, and whether the registration exists — a caller who holds a
      // seat hears already_registered, even when the event is full.
      const found = await this.#batchGet([
        { table: this.#tables.events, keys: [{ eventId }], consistent: true },
        { table: this.#tables.users, keys: [{ userId }], consistent: true },
        { table: this.#tables.registrations, keys: [{ eventId, userId }], consistent: true },
      ]);
      const eventItem = found.get(this.#tables.events)?.[0];
      const userItem = found.get(this.#tables.users)?.[0];
      if (!eventItem) throw new NotFoundError("event");
      if (!userItem) throw new NotFoundError("user");
      const existing = found.get(this.#tables.registrations)?.[0];
      if (existing) {
        // Ours: an earlier attempt of this call committed but its answer was lost.
        if (existing.writeId === writeId) return toRegistration(existing, userItem, eventItem);
        throw new AlreadyRegisteredError();
      }
      const event = toEvent(eventItem);
      if (event.registeredCount >= event.capacity) throw new EventFullError();

      const registration: RegistrationItem = {
        eventId,
        userId,
        registeredAt: this.#timestamp(),
        dateEventId: dateEventId(event.date, eventId),
        writeId,
      };
      const outcomes = await this.#transact([
        {
          Update: {
            TableName: this.#tables.events,
            Key: { eventId },
            UpdateExpression: "SET #registeredCount = #registeredCount + :one",
            ConditionExpression: "#registeredCount < #capacity AND #version = :version",
            ExpressionAttributeNames: names("registeredCount", "capacity", "version"),
            ExpressionAttributeValues: { ":one": 1, ":version": event.version },
            ReturnValuesOnConditionCheckFailure: ALL_OLD,
          },
        },
        {
          Put: {
            TableName: this.#tables.registrations,
            Item: registration,
            ConditionExpression: "attribute_not_exists(#userId)",
            ExpressionAttributeNames: names("userId"),
            ReturnValuesOnConditionCheckFailure: ALL_OLD,
          },
        },
      ]);
      if (!outcomes) return toRegistration(registration, userItem, eventItem);
      const [seat, created] = outcomes;
      if (created?.rejected && created.item) {
        if (created.item.writeId === writeId) return toRegistration(created.item, userItem, eventItem);
        throw new AlreadyRegisteredError();
      }
      if (seat?.rejected) {
        if (!seat.item) throw new NotFoundError("event");
        const current = seat.item as { registeredCount: number; capacity: number };
        if (current.registeredCount >= current.capacity) throw new EventFullError();
      }
      // The event changed since we read it: read again so the copied date and the response are current.
      throw new TransactionConflict();
    });
  }

  /**
   * AP13 — 1 TransactWriteItems: delete the registration (it must exist) and free the seat. Who may cancel is
   * checked inside the same transaction without keeping a copy of the organizer on the registration: the
   * attendee needs no check, anyone else must be the event's organizer (a condition on the event update).
   */
  async cancelRegistration(eventId: string, userId: string, actorId: string): Promise<void> {
    const byOrganizer = actorId !== userId;
    const outcomes = await retryOnConflict(() =>
      this.#transact([
        {
          Delete: {
            TableName: this.#tables.registrations,
            Key: { eventId, userId },
            ConditionExpression: "attribute_exists(#userId)",
            ExpressionAttributeNames: names("userId"),
            ReturnValuesOnConditionCheckFailure: ALL_OLD,
          },
        },
        {
          Update: {
            TableName: this.#tables.events,
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
   * One page of an event's registrations with the joins: 1 Query on the base table, then 1 BatchGetItem for the
   * event and every attendee on the page (both tables in one request). The event is read on every page that has
   * items (each Registration shows its name, date and venue) and on the first page (404 if it does not exist).
   */
  async #attendancePage(
    eventId: string,
    page: PageRequest,
  ): Promise<{ event: Item | undefined; attendees: Page<Registration> }> {
    const list = lists.registrationsOfEvent(eventId);
    const start = page.cursor ? this.#decodeKey(list, page.cursor, KEYS.registrations) : undefined;
    const { items, lastKey } = await this.#query({
      TableName: this.#tables.registrations,
      KeyConditionExpression: "#eventId = :eventId",
      ExpressionAttributeNames: names("eventId"),
      ExpressionAttributeValues: { ":eventId": eventId },
      Limit: page.limit,
      ...(start && { ExclusiveStartKey: start }),
    });
    const cursor = lastKey ? this.#encode(list, lastKey) : null;
    if (start && items.length === 0) return { event: undefined, attendees: { items: [], cursor } };
    const found = await this.#batchGet([
      { table: this.#tables.events, keys: [{ eventId }] },
      { table: this.#tables.users, keys: items.map((item) => ({ userId: item.userId })) },
    ]);
    const event = found.get(this.#tables.events)?.[0];
    if (!event) throw new NotFoundError("event");
    const users = byKey(found.get(this.#tables.users), "userId");
    return {
      event,
      attendees: { items: items.map((item) => toRegistration(item, joined(users, item.userId), event)), cursor },
    };
  }

  /** AP14 — 2 requests per page: Query (Registrations) + BatchGetItem (the event and the attendees). */
  async listRegistrations(eventId: string, page: PageRequest): Promise<Page<Registration>> {
    return (await this.#attendancePage(eventId, page)).attendees;
  }

  /** AP15 — 2 requests: the first page of AP14, whose BatchGetItem already reads the event. */
  async getEventWithAttendees(
    eventId: string,
    page: PageRequest,
  ): Promise<{ event: Event; attendees: Page<Registration> }> {
    const { event, attendees } = await this.#attendancePage(eventId, { limit: page.limit });
    if (!event) throw new NotFoundError("event");
    return { event: toEvent(event), attendees };
  }

  /**
   * AP16 — 2 requests per page: 1 Query on `UserIndex` (by event date, then eventId), then 1 BatchGetItem for the
   * user (404 on the first page; their name on every item) and the page's events (names, dates, venues).
   * A registration whose event is gone (deleted, its registrations being removed) is left out.
   */
  async listUserRegistrations(userId: string, page: PageRequest): Promise<Page<Registration>> {
    const list = lists.registrationsOfUser(userId);
    const start = page.cursor ? this.#decodeKey(list, page.cursor, KEYS.userIndex) : null;
    // Read on while registrations whose event is gone leave the page short (see listing/fill.ts).
    const { items, next } = await fillPage(page.limit, start, async (after, limit) => {
      const { items, lastKey } = await this.#query({
        TableName: this.#tables.registrations,
        IndexName: "UserIndex",
        KeyConditionExpression: "#userId = :userId",
        ExpressionAttributeNames: names("userId"),
        ExpressionAttributeValues: { ":userId": userId },
        Limit: limit,
        ...(after && { ExclusiveStartKey: after }),
      });
      return { items: await this.#withEvents(userId, items, after === null), next: lastKey ?? null };
    });
    return { items, cursor: next ? this.#encode(list, next) : null };
  }

  /**
   * AP16's join: 1 BatchGetItem for the user (404 on the list's first page; their name on every item) and the
   * events of `items`, which it leaves out when their event is gone (deleted, its registrations being removed).
   * No request when a later query found nothing.
   */
  async #withEvents(userId: string, items: Item[], first: boolean): Promise<Registration[]> {
    if (!first && items.length === 0) return [];
    const found = await this.#batchGet([
      { table: this.#tables.users, keys: [{ userId }] },
      { table: this.#tables.events, keys: items.map((item) => ({ eventId: item.eventId })) },
    ]);
    const user = found.get(this.#tables.users)?.[0];
    if (!user) throw new NotFoundError("user");
    const events = byKey(found.get(this.#tables.events), "eventId");
    const registrations: Registration[] = [];
    for (const item of items) {
      const event = events.get(item.eventId as string);
      if (event) registrations.push(toRegistration(item, user, event));
    }
    return registrations;
  }
}

/** The named attributes of an item: a key to start a query after it. */
function pick(item: Item, attributes: readonly string[]): Key {
  return Object.fromEntries(attributes.map((name) => [name, item[name]])) as Key;
}

function isDateIndexKey(value: unknown): value is Key {
  return isKeyOf(value, KEYS.dateIndex);
}

function byKey(items: Item[] | undefined, attribute: string): Map<string, Item> {
  return new Map((items ?? []).map((item) => [item[attribute] as string, item]));
}

/** Users are never deleted and a registration is only written for an existing user: a miss is corruption. */
function joined(items: Map<string, Item>, id: unknown): Item {
  const item = items.get(id as string);
  if (!item) throw new Error(`registration refers to a missing user ${String(id)}`);
  return item;
}

/** A copy to refresh whose registration was cancelled meanwhile: nothing left to update. */
function ignoreVanished(error: unknown): void {
  if (conditionFailure(error)) return;
  throw error;
}
