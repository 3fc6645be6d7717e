import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { CopyStrategy } from "../copies/strategy.js";
import { AlreadyRegisteredError, EventFullError, ForbiddenError, NotFoundError } from "../domain/errors.js";
import type { Registration } from "../domain/schemas.js";
import { retryOnConflict, TransactionConflict } from "../dynamo/retry.js";
import { batchGetAll, type Key } from "../multi-table/batch.js";
import type { SingleTableModel } from "./entities.js";
import { IDENTIFIERS } from "./layout.js";
import { type EventItem, joinRegistration, type SeatsItem, toEvent, toUser } from "./mapping.js";
import { cancelled } from "./transactions.js";

/** What a stored registration (an ALL_OLD image, a BatchGetItem answer) holds at least. */
type StoredKey = { eventId: string; userId: string; registeredAt: string };

export interface RegistrationWriteOptions {
  copies: CopyStrategy;
  newId: () => string;
  timestamp: () => string;
}

/** AP12 and AP13: a registration and its seat (on the event's seats item), in one transaction each. */
export class RegistrationWrites {
  readonly #model: SingleTableModel;
  readonly #document: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #options: RegistrationWriteOptions;

  constructor(
    model: SingleTableModel,
    document: DynamoDBDocumentClient,
    table: string,
    options: RegistrationWriteOptions,
  ) {
    this.#model = model;
    this.#document = document;
    this.#table = table;
    this.#options = options;
  }

  async register(eventId: string, userId: string): Promise<Registration> {
    const writeId = this.#options.newId();
    const copies = this.#options.copies !== "none";
    return retryOnConflict(async () => {
      // One BatchGetItem reads what the registration copies (the event summary and the attendee's name) and
      // whether the registration exists: a caller who holds a seat hears already_registered, even when full.
      const keys = [
        this.#model.event.get({ eventId }).params().Key,
        this.#model.seats.get({ eventId }).params().Key,
        this.#model.user.get({ userId }).params().Key,
        this.#model.registration.get({ eventId, userId }).params().Key,
      ];
      // batchGetAll retries UnprocessedKeys: an unprocessed seats or event key must not read as "no such event".
      const found = await batchGetAll(
        (command) => this.#document.send(command),
        [{ table: this.#table, keys: keys as Key[], consistent: true }],
      );
      const items = found.get(this.#table) ?? [];
      const eventItem = items.find((item) => item[IDENTIFIERS.entity] === "event");
      const seatsItem = items.find((item) => item[IDENTIFIERS.entity] === "seats");
      const userItem = items.find((item) => item[IDENTIFIERS.entity] === "user");
      if (!eventItem || !seatsItem) throw new NotFoundError("event");
      if (!userItem) throw new NotFoundError("user");
      const event = toEvent(
        this.#model.event.parse({ Item: eventItem }).data as EventItem,
        this.#model.seats.parse({ Item: seatsItem }).data as SeatsItem,
      );
      const userData = this.#model.user.parse({ Item: userItem }).data as Parameters<typeof toUser>[0] & {
        revision?: number;
      };
      const user = toUser(userData);
      const existing = items.find((item) => item[IDENTIFIERS.entity] === "registration");
      if (existing) {
        // Ours: an earlier attempt of this call committed but its answer was lost.
        if (existing.writeId === writeId) return joinRegistration(existing as StoredKey, user, event);
        throw new AlreadyRegisteredError();
      }
      if (event.registeredCount >= event.capacity) throw new EventFullError();

      const revision = userData.revision;
      const registration = {
        eventId,
        userId,
        registeredAt: this.#options.timestamp(),
        writeId,
        // In every strategy: gsi1sk sorts AP16 on the date (a key, not a display copy), and the version it is from.
        eventDate: event.date,
        eventVersion: event.version,
        ...(copies && {
          userName: user.name,
          userRevision: revision ?? 0,
          eventName: event.name,
          ...(event.venue !== undefined && { eventVenue: event.venue }),
        }),
      };
      // One transaction: the seat (never past capacity; on the seats item, which no index copies), the
      // registration (never twice), and conditions that what it copies is still current (a ConditionCheck of the
      // event's version, which writes nothing; with copies, the attendee's revision).
      const result = await this.#model.service.transaction
        .write(({ seats, event: events, registration: registrations, user: users }) => [
          seats
            .patch({ eventId })
            .add({ registeredCount: 1 })
            .where((attr, op) => `${op.name(attr.registeredCount)} < ${op.name(attr.capacity)}`)
            .commit({ response: "all_old" }),
          registrations.create(registration).commit({ response: "all_old" }),
          events
            .check({ eventId })
            .where((attr, op) => op.eq(attr.version, event.version))
            .commit({ response: "all_old" }),
          // Under none nothing of the attendee is copied, and users are never deleted: no check (as per entity).
          ...(copies
            ? [
                users
                  .check({ userId })
                  .where((attr, op) =>
                    revision === undefined
                      ? `${op.exists(attr.userId)} AND ${op.notExists(attr.revision)}`
                      : op.eq(attr.revision, revision),
                  )
                  .commit(),
              ]
            : []),
        ])
        .go();
      const outcomes = cancelled(result);
      if (!outcomes) return joinRegistration(registration, user, event);
      const [seat, created, current] = outcomes;
      if (created?.rejected && created.item) {
        // Ours: an earlier attempt of this call committed but its answer was lost. Anyone else's: a conflict.
        if (created.item.writeId === writeId) return joinRegistration(created.item as StoredKey, user, event);
        throw new AlreadyRegisteredError();
      }
      if (seat?.rejected) {
        if (!seat.item) throw new NotFoundError("event");
        const counted = seat.item as { registeredCount: number; capacity: number };
        if (counted.registeredCount >= counted.capacity) throw new EventFullError();
      }
      if (current?.rejected && !current.item) throw new NotFoundError("event");
      // The event or the attendee changed since we read them: read again so the copies are current.
      throw new TransactionConflict();
    });
  }

  /**
   * The attendee may cancel; anyone else only if they organize the event — a condition on the seats update in the
   * same transaction (the seats item keeps the organizer for it), so the registration needs no copy of the
   * organizer and the event item is not touched.
   */
  async cancel(eventId: string, userId: string, actorId: string): Promise<void> {
    const byOrganizer = actorId !== userId;
    await retryOnConflict(async () => {
      const result = await this.#model.service.transaction
        .write(({ registration, seats }) => [
          registration.remove({ eventId, userId }).commit({ response: "all_old" }),
          seats
            .patch({ eventId })
            .add({ registeredCount: -1 })
            .where((attr, op) =>
              [op.gt(attr.registeredCount, 0), ...(byOrganizer ? [op.eq(attr.organizerId, actorId)] : [])].join(
                " AND ",
              ),
            )
            .commit({ response: "all_old" }),
        ])
        .go();
      const outcomes = cancelled(result);
      if (!outcomes) return;
      const [removal, seat] = outcomes;
      if (seat?.rejected && !seat.item) throw new NotFoundError("event");
      if (removal?.rejected) throw new NotFoundError("registration");
      if (seat?.rejected && byOrganizer && seat.item?.organizerId !== actorId) {
        throw new ForbiddenError("only the attendee or the organizer may cancel");
      }
      throw new Error(`cancelRegistration cancelled: ${outcomes.map((o) => o.code).join(",")}`);
    });
  }
}
