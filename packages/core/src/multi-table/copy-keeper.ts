import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { CopyChange, EventCopySource, UserCopySource } from "../copies/changes.js";
import type { CopyKeeper, RegistrationKey } from "../copies/keeper.js";
import type { CopyStrategy } from "../copies/strategy.js";
import type { Key } from "./batch.js";
import type { MultiTableNames } from "./context.js";
import { names } from "./dynamo.js";
import { dateEventId } from "./mapping.js";

/** Registration keys per Query of a fan-out: one Query per 100 copies, then ⌈100 / 32⌉ waves of UpdateItems. */
export const COPY_KEYS_PER_QUERY = 100;

/**
 * Where the per-entity design keeps copies and how it writes one. A registration item (table `Registrations`)
 * holds, under `sync` and `stream`, `userName` + `userRevision` and `eventName`, `eventDate`, `eventVenue` (absent
 * when the event has none) + `eventVersion`. In every strategy it holds `dateEventId`, the sort key of
 * `UserIndex`: a key, not a display copy — a user's registrations are listed by event date — so it is kept
 * current under `none` too (with `eventVersion`, which orders its rewrites).
 */
export class MultiTableCopyKeeper implements CopyKeeper {
  constructor(
    private readonly document: DynamoDBDocumentClient,
    private readonly tables: MultiTableNames,
    private readonly copies: CopyStrategy,
  ) {}

  /** From `UserIndex` (eventually consistent, keys only): 1 Query per 100 registrations. */
  registrationsOfUser(userId: string): AsyncIterable<RegistrationKey[]> {
    return this.#keys({
      IndexName: "UserIndex",
      KeyConditionExpression: "#userId = :id",
      ExpressionAttributeValues: { ":id": userId },
    });
  }

  /** From the base table, strongly consistent: 1 Query per 100 registrations. */
  registrationsOfEvent(eventId: string): AsyncIterable<RegistrationKey[]> {
    return this.#keys({
      KeyConditionExpression: "#eventId = :id",
      ExpressionAttributeValues: { ":id": eventId },
      ConsistentRead: true,
    });
  }

  async *#keys(query: {
    IndexName?: string;
    KeyConditionExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
    ConsistentRead?: boolean;
  }): AsyncGenerator<RegistrationKey[]> {
    let start: Key | undefined;
    do {
      const output = await this.document.send(
        new QueryCommand({
          TableName: this.tables.registrations,
          ...query,
          ProjectionExpression: "#eventId, #userId",
          ExpressionAttributeNames: names("eventId", "userId"),
          Limit: COPY_KEYS_PER_QUERY,
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      const items = (output.Items ?? []) as RegistrationKey[];
      if (items.length > 0) yield items.map(({ eventId, userId }) => ({ eventId, userId }));
      start = output.LastEvaluatedKey as Key | undefined;
    } while (start);
  }

  /** Under `none` there is no copy of the user's name to write: resolves without a request. */
  async writeUserCopy(key: RegistrationKey, source: UserCopySource): Promise<void> {
    if (this.copies === "none") return;
    await this.document.send(
      new UpdateCommand({
        TableName: this.tables.registrations,
        Key: { eventId: key.eventId, userId: key.userId },
        UpdateExpression: "SET #userName = :name, #userRevision = :revision",
        ConditionExpression:
          "attribute_exists(#userId) AND (attribute_not_exists(#userRevision) OR #userRevision < :revision)",
        ExpressionAttributeNames: names("userName", "userRevision", "userId"),
        ExpressionAttributeValues: { ":name": source.name, ":revision": source.revision },
      }),
    );
  }

  /** Under `none`, only the date key (`dateEventId`) and `eventVersion`; else the names too. */
  async writeEventCopy(key: RegistrationKey, source: EventCopySource): Promise<void> {
    const set = ["#dateEventId = :dateEventId", "#eventVersion = :version"];
    const attributes = ["dateEventId", "eventVersion", "userId"];
    const values: Record<string, unknown> = {
      ":dateEventId": dateEventId(source.date, source.eventId),
      ":version": source.version,
    };
    let remove = "";
    if (this.copies !== "none") {
      set.push("#eventName = :name", "#eventDate = :date");
      attributes.push("eventName", "eventDate", "eventVenue");
      values[":name"] = source.name;
      values[":date"] = source.date;
      if (source.venue === undefined) remove = " REMOVE #eventVenue";
      else {
        set.push("#eventVenue = :venue");
        values[":venue"] = source.venue;
      }
    }
    await this.document.send(
      new UpdateCommand({
        TableName: this.tables.registrations,
        Key: { eventId: key.eventId, userId: key.userId },
        UpdateExpression: `SET ${set.join(", ")}${remove}`,
        ConditionExpression:
          "attribute_exists(#userId) AND (attribute_not_exists(#eventVersion) OR #eventVersion < :version)",
        ExpressionAttributeNames: names(...attributes),
        ExpressionAttributeValues: values,
      }),
    );
  }

  /**
   * A record of the users table whose name changed, or of the events table whose name, date or venue changed
   * (under `none`: only the date, the one field copied). Inserts and deletions change no copy: a new item has no
   * registrations yet, and a deleted event's registrations are removed with it.
   */
  changeFromRecord(
    table: string,
    oldImage: Record<string, unknown> | undefined,
    newImage: Record<string, unknown> | undefined,
  ): CopyChange | null {
    if (!oldImage || !newImage) return null;
    if (table === this.tables.users) {
      if (this.copies === "none" || oldImage.name === newImage.name) return null;
      return { kind: "user", source: userCopySource(newImage) };
    }
    if (table === this.tables.events) {
      const fields = this.copies === "none" ? ["date"] : ["name", "date", "venue"];
      if (fields.every((field) => oldImage[field] === newImage[field])) return null;
      return { kind: "event", source: eventCopySource(newImage) };
    }
    return null;
  }
}

/** A user item as the source of its copies (`revision` missing on items older than the copies: 0). */
export function userCopySource(item: Record<string, unknown>): UserCopySource {
  return {
    userId: item.userId as string,
    name: item.name as string,
    revision: typeof item.revision === "number" ? item.revision : 0,
  };
}

export function eventCopySource(item: Record<string, unknown>): EventCopySource {
  return {
    eventId: item.eventId as string,
    name: item.name as string,
    date: item.date as string,
    ...(item.venue !== undefined && { venue: item.venue as string }),
    version: item.version as number,
  };
}
