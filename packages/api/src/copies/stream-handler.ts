import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { applyCopyRecord, type CopyKeeper, tableNameFromStreamArn, unmarshallImage, writtenAtOf } from "@tablelab/core";
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";

/** What the handler and Powertools' batch processor log through; Powertools' Logger satisfies it. */
export interface CopyStreamLogger {
  debug(...content: unknown[]): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
}

export const silentCopyStreamLogger: CopyStreamLogger = { debug() {}, warn() {}, error() {} };

/**
 * The DynamoDB Streams Lambda of COPIES=stream: every record goes through the same handler as the local poller
 * (`applyCopyRecord`). A record whose copies could not be written is reported in `batchItemFailures` (the event
 * source mapping needs `ReportBatchItemFailures`): Lambda then retries from the first failed record, so nothing is
 * lost, and the records after it that did succeed come again harmlessly (copy writes are conditional on the
 * copy being older). If every record fails, Powertools throws and Lambda retries the whole batch.
 *
 * Records are handled one after another, in shard order, as the local poller does: a batch's records of one item
 * are then applied oldest first (the conditions would keep the newest anyway, but without wasted writes).
 */
export function createCopyStreamHandler(keeper: CopyKeeper, logger: CopyStreamLogger = silentCopyStreamLogger) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams, { logger });
  const handleRecord = async (record: DynamoDBRecord) => {
    if (!record.eventSourceARN) throw new Error("stream record without eventSourceARN");
    const newImage = unmarshallImage(record.dynamodb?.NewImage);
    const outcome = await applyCopyRecord(keeper, {
      table: tableNameFromStreamArn(record.eventSourceARN),
      oldImage: unmarshallImage(record.dynamodb?.OldImage),
      newImage,
    });
    if (outcome.change) {
      const creation = record.dynamodb?.ApproximateCreationDateTime;
      logger.debug("copies applied", {
        kind: outcome.change.kind,
        copies: outcome.copies,
        lagMs: Date.now() - writtenAtOf(newImage, creation === undefined ? undefined : new Date(creation * 1000)),
      });
    }
  };
  return (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> =>
    processPartialResponse(event, handleRecord, processor, { context, processInParallel: false });
}
