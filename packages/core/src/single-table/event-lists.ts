import { createConversions } from "electrodb";
import type { CursorCodec } from "../cursor.js";
import { monthsBetween } from "../domain/dates.js";
import { NotFoundError } from "../domain/errors.js";
import type { Event } from "../domain/schemas.js";
import {
  type BucketQueries,
  type BucketSource,
  decodeBucketPosition,
  encodeBucketPosition,
  walkBuckets,
} from "../listing/buckets.js";
import { type DateRange, lists, type Page, type PageRequest } from "../store.js";
import { collectionPage, isElectroCursor } from "./collection-page.js";
import type { SingleTableModel } from "./entities.js";
import type { EventSeats } from "./event-seats.js";
import type { EventItem } from "./mapping.js";

/** See store.ts: ElectroDB's reads hand back the SDK's own exception. */
const GO = { originalErr: true } as const;
/** Sorts after every Crockford base32 character: a key-range bound just past every id of a prefix. */
const AFTER_EVERY_ULID = "~";

/**
 * The event lists, AP7–AP9: the month buckets on gsi1 and the `organizer` collection on gsi2. Each page then
 * joins its events' seats (capacity, registeredCount) with one BatchGetItem: the counter is kept out of the
 * indexes so that registrations write no index partition, and the lists pay one request more per page for it.
 */
export class EventLists {
  readonly #model: SingleTableModel;
  readonly #seats: EventSeats;
  readonly #cursors: CursorCodec;
  readonly #bucketQueries: BucketQueries;

  constructor(model: SingleTableModel, seats: EventSeats, cursors: CursorCodec, bucketQueries: BucketQueries) {
    this.#model = model;
    this.#seats = seats;
    this.#cursors = cursors;
    this.#bucketQueries = bucketQueries;
  }

  /**
   * AP7 — one query per month bucket the page touches (see listing/buckets.ts), each clipped to the range. The
   * upper bound is `<to>#~`: "~" sorts after every ULID character, so it takes every event on `to` and nothing
   * later, without computing the day after `to` (there is none after 9999-12-31, and "10000-01-01" sorts before
   * it). The cursor carries the bucket and ElectroDB's cursor inside it.
   */
  async byDate(range: DateRange, page: PageRequest): Promise<Page<Event>> {
    const list = lists.eventsByDate(range);
    const months = monthsBetween(range.from, range.to);
    const start = page.cursor
      ? decodeBucketPosition(this.#cursors, list, page.cursor, months, isElectroCursor)
      : { bucket: months[0] as string, after: null };
    const events = this.#model.event;
    const source: BucketSource<EventItem, string> = {
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
    return { items: await this.#seats.join(items), cursor: encodeBucketPosition(this.#cursors, list, next) };
  }

  /** The `organizer` collection: the user's item (first page only) then their events by date; one query a page, + the seats. */
  async ofOrganizer(userId: string, page: PageRequest) {
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
    return { user: parent, events: { items: await this.#seats.join(items), cursor } };
  }
}
