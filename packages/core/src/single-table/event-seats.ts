import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { caughtMidChange } from "../domain/event-snapshot.js";
import type { Event } from "../domain/schemas.js";
import { retryOnConflict } from "../dynamo/retry.js";
import { batchGetAll } from "../multi-table/batch.js";
import { singleTable } from "../table/definition.js";
import type { SingleTableModel } from "./entities.js";
import { IDENTIFIERS } from "./layout.js";
import { type EventItem, type SeatsItem, toEvent } from "./mapping.js";
import { cancelled } from "./transactions.js";

/**
 * An Event is the event item joined with its seats item (entities.ts: the counter no index copies). Both sort
 * under the event's partition with sort keys that start with the event's own (`$E`, `$E#S`), so one
 * Query reads them together; a page of event lists joins its seats with one BatchGetItem. Neither read is
 * isolated from a capacity change's transaction: a pair caught half-way is read again, isolated
 * (domain/event-snapshot.ts).
 */
export class EventSeats {
  readonly #model: SingleTableModel;
  readonly #document: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(model: SingleTableModel, document: DynamoDBDocumentClient, table: string) {
    this.#model = model;
    this.#document = document;
    this.#table = table;
  }

  /**
   * AP6 — 1 Query: the event's partition, sort keys beginning with the event's (`$E`): the event and its
   * seats, and nothing else (registrations sort under `R#`). Undefined when there is no event.
   */
  async read(eventId: string, options: { consistent?: boolean } = {}): Promise<Event | undefined> {
    const key = this.#model.event.get({ eventId }).params().Key as Record<string, string>;
    const { hashKey, rangeKey } = singleTable.primaryIndex;
    const { Items = [] } = await this.#document.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :sk)",
        ExpressionAttributeNames: { "#pk": hashKey, "#sk": rangeKey },
        ExpressionAttributeValues: { ":pk": key[hashKey], ":sk": key[rangeKey] },
        ConsistentRead: options.consistent === true,
      }),
    );
    let event: EventItem | undefined;
    let seats: SeatsItem | undefined;
    for (const item of Items) {
      if (item[IDENTIFIERS.entity] === "event") event = this.#model.event.parse({ Item: item }).data ?? undefined;
      else if (item[IDENTIFIERS.entity] === "seats") seats = this.#model.seats.parse({ Item: item }).data ?? undefined;
    }
    // Event and seats are created and deleted in one transaction; a read that catches one without the other (a
    // non-transactional read may see half of a transaction) sees the event not yet there, or already gone.
    if (!event || !seats) return undefined;
    return this.pair(event, seats);
  }

  /**
   * The Event of an event item and seats item read together, not isolated: theirs, unless the read caught a
   * capacity change half-way — then 1 TransactGetItems reads both again. Undefined when the event is gone since.
   */
  async pair(event: EventItem, seats: SeatsItem): Promise<Event | undefined> {
    return caughtMidChange(event, seats) ? this.#readIsolated(event.eventId) : toEvent(event, seats);
  }

  /** 1 TransactGetItems: the event and its seats as one committed state (retried while a write is in flight). */
  async #readIsolated(eventId: string): Promise<Event | undefined> {
    return retryOnConflict(async () => {
      const result = await this.#model.service.transaction
        .get(({ event, seats }) => [event.get({ eventId }).commit(), seats.get({ eventId }).commit()])
        .go();
      if (cancelled(result)) throw new Error(`reading event ${eventId} was cancelled without a reason`);
      const [event, seats] = result.data.map((outcome) => outcome.item) as [EventItem | null, SeatsItem | null];
      return event && seats ? toEvent(event, seats) : undefined;
    });
  }

  /**
   * AP7–AP9: a page of event items with their seats — 1 BatchGetItem per page (none for an empty page),
   * eventually consistent like the list's own query. The price of keeping the counter out of the indexes: the
   * lists that were one request per page are two.
   */
  async join(events: EventItem[]): Promise<Event[]> {
    if (events.length === 0) return [];
    const keys = events.map(({ eventId }) => this.#model.seats.get({ eventId }).params().Key);
    const found = await batchGetAll((command) => this.#document.send(command), [{ table: this.#table, keys }]);
    const seats = new Map<string, SeatsItem>();
    for (const item of found.get(this.#table) ?? []) {
      const data = this.#model.seats.parse({ Item: item }).data;
      if (data) seats.set(data.eventId, data);
    }
    // An event whose seats are gone was deleted (its index entry lags the delete): left out, as a deleted event is.
    const joined = await Promise.all(
      events.map((event) => {
        const found = seats.get(event.eventId);
        return found ? this.pair(event, found) : undefined;
      }),
    );
    return joined.filter((event) => event !== undefined);
  }
}
