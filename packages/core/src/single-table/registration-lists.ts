import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { CopyStrategy } from "../copies/strategy.js";
import type { CursorCodec } from "../cursor.js";
import { NotFoundError } from "../domain/errors.js";
import type { Event, Registration } from "../domain/schemas.js";
import { batchGetAll, type Item } from "../multi-table/batch.js";
import { lists, type Page, type PageRequest } from "../store.js";
import { collectionPage } from "./collection-page.js";
import type { SingleTableModel } from "./entities.js";
import type { EventSeats } from "./event-seats.js";
import { IDENTIFIERS } from "./layout.js";
import {
  type EventItem,
  joinRegistration,
  type RegistrationItem,
  type SeatsItem,
  toRegistration,
  type toUser,
} from "./mapping.js";

/** See store.ts: ElectroDB's reads hand back the SDK's own exception. */
const GO = { originalErr: true } as const;

type UserItem = Parameters<typeof toUser>[0];

/**
 * The registration lists, AP14–AP16: one collection query per page. Under COPIES=sync|stream each registration
 * carries the names it is listed with; under COPIES=none the page adds one BatchGetItem for the originals (the
 * attendees' names for AP14/AP15, the events for AP16, plus the collection's parent item on pages after the
 * first) — the read-time join the per-entity design makes, so the grid compares like with like.
 */
export class RegistrationLists {
  readonly #model: SingleTableModel;
  readonly #document: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #cursors: CursorCodec;
  readonly #copies: CopyStrategy;
  readonly #seats: EventSeats;

  constructor(
    model: SingleTableModel,
    seats: EventSeats,
    document: DynamoDBDocumentClient,
    table: string,
    cursors: CursorCodec,
    copies: CopyStrategy,
  ) {
    this.#model = model;
    this.#seats = seats;
    this.#document = document;
    this.#table = table;
    this.#cursors = cursors;
    this.#copies = copies;
  }

  /**
   * The `attendance` collection: the event and its seats (first page only: two parent items), then registrations
   * by userId — AP15 stays one request.
   */
  async ofEvent(
    eventId: string,
    page: PageRequest,
  ): Promise<{ event: Event | undefined; attendees: Page<Registration> }> {
    const { first, parent, items, cursor } = await collectionPage(
      this.#cursors,
      lists.registrationsOfEvent(eventId),
      page,
      async (cursor, limit) => {
        const result = await this.#model.service.collections.attendance({ eventId }).go({ ...GO, cursor, limit });
        const event = result.data.event[0];
        const seats: SeatsItem | undefined = result.data.seats[0];
        const registrations = result.data.registration;
        const children =
          this.#copies === "none"
            ? await this.#withAttendees(eventId, event, registrations)
            : registrations.map(toRegistration);
        const parent = event && seats ? await this.#seats.pair(event, seats) : undefined;
        return { parent, children, cursor: result.cursor };
      },
      2,
    );
    if (first && !parent) throw new NotFoundError("event");
    return { event: parent, attendees: { items, cursor } };
  }

  /** AP16 — the `attendee` collection: the user (first page only), then registrations by event date. */
  async ofUser(userId: string, page: PageRequest): Promise<Page<Registration>> {
    const { first, parent, items, cursor } = await collectionPage(
      this.#cursors,
      lists.registrationsOfUser(userId),
      page,
      async (cursor, limit) => {
        const result = await this.#model.service.collections.attendee({ userId }).go({ ...GO, cursor, limit });
        const user = result.data.user[0];
        const registrations = result.data.registration;
        const children =
          this.#copies === "none"
            ? await this.#withEvents(userId, user, registrations)
            : registrations.map(toRegistration);
        return { parent: user, children, cursor: result.cursor };
      },
    );
    if (first && !parent) throw new NotFoundError("user");
    return { items, cursor };
  }

  /** COPIES=none, AP14/AP15: one BatchGetItem for the attendees (and the event when this query did not read it). */
  async #withAttendees(
    eventId: string,
    event: EventItem | undefined,
    registrations: RegistrationItem[],
  ): Promise<Registration[]> {
    if (registrations.length === 0) return [];
    const found = await this.#read([
      ...(event ? [] : [this.#model.event.get({ eventId }).params().Key]),
      ...registrations.map(({ userId }) => this.#model.user.get({ userId }).params().Key),
    ]);
    const current = event ?? found.events.get(eventId);
    if (!current) throw new NotFoundError("event");
    return registrations.map((registration) => {
      const user = found.users.get(registration.userId);
      // Users are never deleted and a registration is only written for an existing user: a miss is corruption.
      if (!user) throw new Error(`registration refers to a missing user ${registration.userId}`);
      return joinRegistration(registration, user, current);
    });
  }

  /**
   * COPIES=none, AP16: one BatchGetItem for the events (and the user when this query did not read it). A
   * registration whose event is gone (deleted, its registrations being removed) is left out, as the per-entity
   * design does; `collectionPage` reads on when that leaves the page short.
   */
  async #withEvents(
    userId: string,
    user: UserItem | undefined,
    registrations: RegistrationItem[],
  ): Promise<Registration[]> {
    if (registrations.length === 0) return [];
    const found = await this.#read([
      ...(user ? [] : [this.#model.user.get({ userId }).params().Key]),
      ...registrations.map(({ eventId }) => this.#model.event.get({ eventId }).params().Key),
    ]);
    const attendee = user ?? found.users.get(userId);
    if (!attendee) throw new NotFoundError("user");
    const joined: Registration[] = [];
    for (const registration of registrations) {
      const event = found.events.get(registration.eventId);
      if (event) joined.push(joinRegistration(registration, attendee, event));
    }
    return joined;
  }

  /** Users and events by key: one BatchGetItem per 100 keys, eventually consistent like every list read. */
  async #read(keys: Item[]): Promise<{ users: Map<string, UserItem>; events: Map<string, EventItem> }> {
    const found = await batchGetAll((command) => this.#document.send(command), [{ table: this.#table, keys }]);
    const users = new Map<string, UserItem>();
    const events = new Map<string, EventItem>();
    for (const item of found.get(this.#table) ?? []) {
      if (item[IDENTIFIERS.entity] === "user") {
        const user = this.#model.user.parse({ Item: item }).data;
        if (user) users.set(user.userId, user);
      } else if (item[IDENTIFIERS.entity] === "event") {
        const event = this.#model.event.parse({ Item: item }).data;
        if (event) events.set(event.eventId, event);
      }
    }
    return { users, events };
  }
}
