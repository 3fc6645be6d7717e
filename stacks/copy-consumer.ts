import { COPY_SOURCE_TABLES, STREAM_READ_ACTIONS } from "./copy-sources";
import type { createDevDatabase } from "./dev-database";
import { COPIES_HANDLER } from "./lambda-package";
import type { Storage } from "./storage";

/**
 * COPIES=stream: one Lambda, subscribed to the stream of every table copies are taken from, applies each change to
 * the copies (the same `applyCopyChange` the local consumer runs). It is a plain `sst.aws.Function`, subscribed by
 * its ARN, so its build arguments are recorded and checked like the API's (test/infra/bundle.test.ts) and it runs
 * live on this machine under `sst dev` like the API. Nothing for other strategies: undefined.
 *
 * Delivery: Lambda polls each shard in order, at least once. The handler reports the records it could not apply
 * (`ReportBatchItemFailures`); Lambda then retries from the first of them, so one failure neither loses the
 * records after it nor redoes the ones before. Retries last as long as the stream keeps records (24 h): never
 * dropped before that. Starting at TRIM_HORIZON, a consumer added to a stage also applies what the stream already
 * holds. Only MODIFY records can make a copy stale (a new user or event has no copies yet; a deleted event takes
 * its registrations with it in the request), so the others are filtered out before Lambda is invoked.
 *
 * With `TABLELAB_DEV_DB=local` the API of `sst dev` writes DynamoDB Local, whose stream this cloud subscription
 * never sees: there the local consumer runs with the database (scripts/sst-dev-database.ts).
 */
export function createCopyConsumer(storage: Storage, devDatabase: ReturnType<typeof createDevDatabase>) {
  if (storage.copies !== "stream") return undefined;
  const sources = COPY_SOURCE_TABLES[storage.design].map((id) => {
    const table = storage.tables[id];
    if (!table) throw new Error(`no table ${id} in the ${storage.design} design`);
    return { id, table };
  });

  const consumer = new sst.aws.Function("CopiesConsumer", {
    handler: COPIES_HANDLER,
    runtime: "nodejs24.x",
    architecture: "arm64",
    memory: "1024 MB",
    // A batch may hold renames of users and events with many registrations each; the fan-out is bounded (32 in
    // flight), so thousands of copies take seconds. Generous, as Lambda bills by the millisecond used.
    timeout: "300 seconds",
    // Links grant read/write on every table and index of the design: the consumer queries registrations by
    // user and by event and updates them.
    link: Object.values(storage.tables),
    permissions: [
      { actions: [...STREAM_READ_ACTIONS], resources: sources.map(({ table }) => table.nodes.table.streamArn) },
    ],
    environment: {
      TABLE_DESIGN: storage.design,
      COPIES: storage.copies,
      ...(devDatabase && { DYNAMODB_ENDPOINT: devDatabase.endpoint }),
    },
    logging: { retention: "1 month" },
    // Nothing in `nodejs`: every build option must be one scripts/lambda-build.ts reproduces (bundle.test.ts).
  });

  for (const { id, table } of sources) {
    table.subscribe(`${id}Copies`, consumer.arn, {
      filters: [{ eventName: ["MODIFY"] }],
      transform: {
        eventSourceMapping: {
          functionResponseTypes: ["ReportBatchItemFailures"],
          startingPosition: "TRIM_HORIZON",
        },
      },
    });
  }
  return consumer;
}
