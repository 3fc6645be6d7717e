import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { type _Record, DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { CopyKeeper } from "@tablelab/core";
import { startStreamPoller } from "@tablelab/core/local";
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createCopyStreamHandler } from "../../packages/api/src/copies/stream-handler.js";
import { createStreamWorld, type StreamWorld } from "./stream-world.js";

const context = { awsRequestId: "copies-req", functionName: "tablelab-copies" } as Context;

let world: StreamWorld;
let streamArn: string;
/** Every record of the world's stream, as GetRecords returned them, in stream order. */
let records: _Record[];

/**
 * The event Lambda's event source mapping delivers, made of real records read off DynamoDB Local's stream:
 * the same fields, with the creation time in epoch seconds and the stream's ARN, as Lambda sends them.
 */
function streamEvent(batch: readonly _Record[]): DynamoDBStreamEvent {
  return {
    Records: batch.map((record) => {
      const { ApproximateCreationDateTime, ...stream } = record.dynamodb ?? {};
      return {
        eventID: record.eventID,
        eventName: record.eventName,
        eventVersion: record.eventVersion,
        eventSource: record.eventSource,
        awsRegion: record.awsRegion,
        eventSourceARN: streamArn,
        dynamodb: {
          ...stream,
          ...(ApproximateCreationDateTime && {
            ApproximateCreationDateTime: ApproximateCreationDateTime.getTime() / 1000,
          }),
        },
      } as DynamoDBRecord;
    }),
  };
}

/** The world's keeper, except that copy writes for `broken` users fail (say, throttled past the SDK's retries). */
function keeperFailingFor(broken: Set<string>): CopyKeeper {
  return {
    ...world.keeper,
    writeUserCopy(key, source) {
      if (broken.has(key.userId)) return Promise.reject(new Error(`throttled writing ${key.userId}'s copy`));
      return world.keeper.writeUserCopy(key, source);
    },
  };
}

const sequenceOf = (record: _Record) => record.dynamodb?.SequenceNumber as string;
const profileOf = (userId: string) => (record: _Record) =>
  record.dynamodb?.Keys?.pk?.S === `USER#${userId}` && record.dynamodb?.Keys?.sk?.S === "PROFILE";

beforeAll(async () => {
  world = await createStreamWorld("stream-lambda");
  for (const user of ["ok-1", "broken", "ok-2"]) {
    await world.createUser(user, `${user} before`);
    for (const event of ["e1", "e2", "e3"]) await world.register(user, event);
  }
  for (const user of ["ok-1", "broken", "ok-2"]) await world.renameUser(user, `${user} after`);

  // Read the stream once, as the event source mapping would, without handling anything.
  const table = await world.clients.client.send(new DescribeTableCommand({ TableName: world.table }));
  streamArn = table.Table?.LatestStreamArn as string;
  const streams = new DynamoDBStreamsClient({
    endpoint: world.clients.client.config.endpoint,
    region: world.clients.client.config.region,
    credentials: world.clients.client.config.credentials,
  });
  const read: _Record[] = [];
  const poller = await startStreamPoller({
    dynamo: world.clients.client,
    streams,
    tableNames: [world.table],
    handleRecord: async (record) => {
      read.push(record.raw);
      return "ignored";
    },
  });
  await poller.waitUntilCaughtUp(20_000);
  await poller.stop();
  streams.destroy();
  records = read.sort((a, b) => sequenceOf(a).localeCompare(sequenceOf(b)));
});
afterAll(() => world.clients.destroy());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("the copies Lambda (Powertools batch, partial failures)", () => {
  it("reports exactly the records whose copies could not be written, and applies the others", async () => {
    // 3 users created, 9 registrations, 3 renames.
    expect(records).toHaveLength(15);
    const handler = createCopyStreamHandler(keeperFailingFor(new Set(["broken"])));
    const response = await handler(streamEvent(records), context);

    // The broken user's creation and rename carried a change and failed; its registrations' INSERTs did not.
    const failed = records.filter(profileOf("broken")).map(sequenceOf);
    expect(failed).toHaveLength(2);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(failed.sort());
    for (const user of ["ok-1", "ok-2"]) {
      for (const copy of await world.copiesOf(user))
        expect(copy).toMatchObject({ userName: `${user} after`, userRevision: 2 });
    }
    for (const copy of await world.copiesOf("broken")) expect(copy.userName).toBeUndefined();
  });

  it("a retry from the first failed record (what Lambda does next) brings the rest current, harmlessly again", async () => {
    const firstFailed = records.findIndex(profileOf("broken"));
    const handler = createCopyStreamHandler(keeperFailingFor(new Set()));
    const response = await handler(streamEvent(records.slice(firstFailed)), context);
    expect(response.batchItemFailures).toEqual([]);
    for (const user of ["ok-1", "broken", "ok-2"]) {
      for (const copy of await world.copiesOf(user))
        expect(copy).toMatchObject({ userName: `${user} after`, userRevision: 2 });
    }
  });

  it("a batch whose every record fails throws, so Lambda retries the whole batch", async () => {
    const handler = createCopyStreamHandler(keeperFailingFor(new Set(["broken"])));
    await expect(handler(streamEvent(records.filter(profileOf("broken"))), context)).rejects.toThrow(
      /All records failed/,
    );
  });
});

describe("the copies Lambda's entry point", () => {
  it("refuses to start on a stage whose COPIES is not stream", async () => {
    vi.stubEnv("TABLE_DESIGN", "single");
    vi.stubEnv("TABLE_NAME", world.table);
    vi.stubEnv("COPIES", "sync");
    await expect(import("../../packages/api/src/copies-consumer.js")).rejects.toThrow(/serves COPIES=stream only/);
  });
});
