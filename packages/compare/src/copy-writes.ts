import { AsyncLocalStorage } from "node:async_hooks";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * Copy writes inside a measured request: the UpdateItems that rewrite a registration's copies (a `sync` rename's
 * fan-out; the event date's fan-out, a sort key kept in every strategy). Counted apart so the report can say what
 * copy maintenance costs inside the request, next to what the stream consumer spends outside it (copies.ts).
 *
 * A copy write is recognised by what it sets: an UpdateItem naming one of the copy attributes the designs agreed
 * on (`userName`/`userRevision`, `eventName`/`eventDate`/`eventVenue`/`eventVersion`), or `dateEventId` without
 * `month` (the per-entity registration's date key; the event item itself sets both). The key Queries that find
 * the registrations are not counted here: they are in the operation's requests like any read.
 */
export interface CopyWriteTally {
  requests: number;
  /** As DynamoDB reported them (UpdateItem is billed as reported). */
  writeUnits: number;
}

const COPY_ATTRIBUTES = new Set(["userName", "userRevision", "eventName", "eventDate", "eventVenue", "eventVersion"]);

export function isCopyWrite(command: string, input: { ExpressionAttributeNames?: Record<string, string> }): boolean {
  if (command !== "UpdateItem") return false;
  const names = new Set(Object.values(input.ExpressionAttributeNames ?? {}));
  if ([...names].some((name) => COPY_ATTRIBUTES.has(name))) return true;
  return names.has("dateEventId") && !names.has("month");
}

const counting = new AsyncLocalStorage<CopyWriteTally>();

/** Runs `operation`, adding the copy writes it makes to `tally`. */
export function countCopyWrites<T>(tally: CopyWriteTally, operation: () => Promise<T>): Promise<T> {
  return counting.run(tally, operation);
}

export function installCopyWriteCounter(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const tally = counting.getStore();
      const command = (context.commandName ?? "").replace(/Command$/, "");
      if (!tally || !isCopyWrite(command, args.input as never)) return next(args);
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
      tally.requests += 1;
      tally.writeUnits += consumed?.CapacityUnits ?? 0;
      return result;
    },
    { step: "initialize", name: "tablelabCopyWrites", priority: "low" },
  );
}
