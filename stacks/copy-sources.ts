import { eventsTable, singleTable, type TABLE_DESIGNS, usersTable } from "@tablelab/core/table";

/**
 * The tables whose changes make copies stale (users and events): under COPIES=stream they get a stream and the
 * copies consumer subscribes to it. Registrations, email markers and idempotency records change no copy. Free of
 * SST globals, so tests import it.
 */
export const COPY_SOURCE_TABLES: Readonly<Record<(typeof TABLE_DESIGNS)[number], readonly string[]>> = {
  single: [singleTable.id],
  multi: [usersTable.id, eventsTable.id],
};

/** What the stream delivers: both images, so the consumer sees what changed and the version it changed to. */
export const COPY_STREAM_VIEW = "new-and-old-images";

/** What the consumer's role may do with the streams (SST grants the same when it builds a subscriber itself). */
export const STREAM_READ_ACTIONS = [
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "dynamodb:ListStreams",
] as const;
