import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { CopyChange } from "../changes.js";
import { applyCopyChange } from "../fan-out.js";
import type { CopyKeeper } from "../keeper.js";

/** One stream record as both consumers see it: the physical table it came from and its unmarshalled images. */
export interface CopyStreamRecord {
  /** Physical table name (what the record's stream ARN names), as the keeper's `changeFromRecord` expects. */
  table: string;
  oldImage: Record<string, unknown> | undefined;
  newImage: Record<string, unknown> | undefined;
}

/** What handling one record did: the change it carried (null: nothing copied changed) and the copies written. */
export interface CopyRecordOutcome {
  change: CopyChange | null;
  copies: number;
}

/**
 * The one record handler of COPIES=stream, shared by the local poller and the Lambda subscriber: the keeper
 * reads the change off the images, and the shared fan-out rewrites every copy of it.
 *
 * Safe to run more than once and out of order, by construction: every copy write is conditional on the stored
 * copy's revision/version being older than the change's, so a re-delivered record (a retried batch) writes
 * nothing, and an older image arriving after a newer one never overwrites the newer copy. Throws when a copy
 * write fails for any other reason: the caller retries the record (at least once, never skipped).
 */
export async function applyCopyRecord(keeper: CopyKeeper, record: CopyStreamRecord): Promise<CopyRecordOutcome> {
  const change = keeper.changeFromRecord(record.table, record.oldImage, record.newImage);
  if (!change) return { change: null, copies: 0 };
  return { change, copies: await applyCopyChange(keeper, change) };
}

/**
 * A stream image in DynamoDB's wire format (the SDK's, or the Lambda event's plain JSON) as a plain object.
 * Absent for the side a record does not have (no old image on INSERT, no new image on REMOVE).
 */
export function unmarshallImage(image: object | undefined): Record<string, unknown> | undefined {
  return image ? unmarshall(image as Record<string, AttributeValue>) : undefined;
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` → `<name>`. */
export function tableNameFromStreamArn(streamArn: string): string {
  const match = /:table\/([^/]+)\/stream\//.exec(streamArn);
  if (!match?.[1]) throw new Error(`not a DynamoDB stream ARN: ${streamArn}`);
  return match[1];
}
