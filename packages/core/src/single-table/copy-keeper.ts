import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import type { CopyChange, EventCopySource, UserCopySource } from "../copies/changes.js";
import type { CopyKeeper, RegistrationKey } from "../copies/keeper.js";
import type { CopyStrategy } from "../copies/strategy.js";
import { registrationKeyOf, type SingleTableModel } from "./entities.js";
import { IDENTIFIERS } from "./layout.js";

/** See store.ts: ElectroDB's single-item calls hand back the SDK's own exception. */
const GO = { originalErr: true } as const;
/** Keys per Query page: 8 waves of 32 copy writes (fan-out.ts) per page. */
const KEY_PAGE = 256;

type KeyQuery = Pick<
  QueryCommandInput,
  "TableName" | "IndexName" | "KeyConditionExpression" | "ExpressionAttributeNames" | "ExpressionAttributeValues"
>;

/**
 * Where the single table keeps copies and how one is written (the CopyKeeper port of copies/keeper.ts). The key
 * queries project only `pk, sk` (every index projection holds them); each copy write is one conditional
 * UpdateItem: the registration exists and its copy is absent or older than the source, so writes that arrive out
 * of order — concurrent renames, a redelivered stream record — never replace a newer copy.
 *
 * Under COPIES=none registrations copy only the event date (gsi1sk sorts AP16 on it): user changes touch no
 * registration, and an event's copy write sets only `eventDate` and `eventVersion`.
 */
export class SingleTableCopyKeeper implements CopyKeeper {
  readonly #model: SingleTableModel;
  readonly #document: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #copies: CopyStrategy;

  constructor(model: SingleTableModel, document: DynamoDBDocumentClient, table: string, copies: CopyStrategy) {
    this.#model = model;
    this.#document = document;
    this.#table = table;
    this.#copies = copies;
  }

  /** The `attendee` index (gsi1): eventually consistent, as every GSI read is. */
  registrationsOfUser(userId: string): AsyncIterable<RegistrationKey[]> {
    return this.#keyPages(this.#model.registration.query.attendee({ userId }).params<KeyQuery>(), false);
  }

  /** The event's partition of the base table, strongly consistent. */
  registrationsOfEvent(eventId: string): AsyncIterable<RegistrationKey[]> {
    return this.#keyPages(this.#model.registration.query.byEvent({ eventId }).params<KeyQuery>(), true);
  }

  /**
   * How many registrations the user has, counting no further than `atMost` (one Query, `Select: COUNT`, on gsi1;
   * another only past 1 MB): what a rename under COPIES=sync would rewrite, before it writes anything.
   */
  async countRegistrationsOfUser(userId: string, atMost: number): Promise<number> {
    const query = this.#model.registration.query.attendee({ userId }).params<KeyQuery>();
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#document.send(
        new QueryCommand({ ...query, Select: "COUNT", Limit: atMost - count, ExclusiveStartKey: start }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start && count < atMost);
    return count;
  }

  async writeUserCopy(key: RegistrationKey, source: UserCopySource): Promise<void> {
    if (this.#copies === "none") return;
    await this.#model.registration
      .patch(key)
      .set({ userName: source.name, userRevision: source.revision })
      .where((attr, op) => `(${op.notExists(attr.userRevision)} OR ${op.lt(attr.userRevision, source.revision)})`)
      .go(GO);
  }

  async writeEventCopy(key: RegistrationKey, source: EventCopySource): Promise<void> {
    const names =
      this.#copies === "none"
        ? {}
        : { eventName: source.name, ...(source.venue !== undefined && { eventVenue: source.venue }) };
    await this.#model.registration
      .patch(key)
      // The date is gsi1sk's composite (AP16's order): ElectroDB rewrites the key with it.
      .set({ eventDate: source.date, eventVersion: source.version, ...names })
      .remove(this.#copies !== "none" && source.venue === undefined ? ["eventVenue"] : [])
      .where((attr, op) => `(${op.notExists(attr.eventVersion)} OR ${op.lt(attr.eventVersion, source.version)})`)
      .go(GO);
  }

  /**
   * A record of the table's stream: a user item whose name changed, or an event item whose name, date or venue
   * changed (under COPIES=none: only the date). Inserts, removals and other items' changes copy nothing.
   */
  changeFromRecord(
    table: string,
    oldImage: Record<string, unknown> | undefined,
    newImage: Record<string, unknown> | undefined,
  ): CopyChange | null {
    if (table !== this.#table || !oldImage || !newImage) return null;
    const entity = newImage[IDENTIFIERS.entity];
    if (entity !== oldImage[IDENTIFIERS.entity]) return null;
    if (entity === "user") {
      if (this.#copies === "none" || oldImage.name === newImage.name) return null;
      const { userId, name, revision } = newImage;
      if (typeof userId !== "string" || typeof name !== "string") return null;
      return { kind: "user", source: { userId, name, revision: typeof revision === "number" ? revision : 0 } };
    }
    if (entity === "event") {
      const dateChanged = oldImage.date !== newImage.date;
      const copiedChanged = dateChanged || oldImage.name !== newImage.name || oldImage.venue !== newImage.venue;
      if (!(this.#copies === "none" ? dateChanged : copiedChanged)) return null;
      const { eventId, name, date, venue, version } = newImage;
      if (typeof eventId !== "string" || typeof name !== "string" || typeof date !== "string") return null;
      if (typeof version !== "number") return null;
      return {
        kind: "event",
        source: { eventId, name, date, ...(typeof venue === "string" && { venue }), version },
      };
    }
    return null;
  }

  async *#keyPages(query: KeyQuery, consistent: boolean): AsyncGenerator<RegistrationKey[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#document.send(
        new QueryCommand({
          ...query,
          ExpressionAttributeNames: { ...query.ExpressionAttributeNames, "#tablePk": "pk", "#tableSk": "sk" },
          ProjectionExpression: "#tablePk, #tableSk",
          ConsistentRead: consistent,
          Limit: KEY_PAGE,
          ExclusiveStartKey: start,
        }),
      );
      const keys = (page.Items ?? []).map(registrationKeyOf);
      if (keys.length > 0) yield keys;
      start = page.LastEvaluatedKey;
    } while (start);
  }
}
