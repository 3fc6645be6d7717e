import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { handleByItem } from "./batch.js";
import { writtenAtOf } from "./lag.js";
import { type CopyStreamRecord, unmarshallImage } from "./records.js";
import { type ShardState, trackShards } from "./shards.js";

/** A record read off a table's stream, its images unmarshalled. */
export interface PolledRecord extends CopyStreamRecord {
  eventName: "INSERT" | "MODIFY" | "REMOVE";
  shardId: string;
  sequenceNumber: string;
  /** The record as GetRecords returned it (wire-format images), e.g. to replay it through the Lambda handler. */
  raw: _Record;
}

/** "ignored": the record changed nothing the handler cares about, so it is left out of the lag samples. */
export type RecordHandler = (record: PolledRecord) => Promise<"applied" | "ignored" | undefined>;

export interface StreamPollerOptions {
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  /** Physical names of the tables to follow; each must have a stream (see `ensureTable`'s `stream` option). */
  tableNames: readonly string[];
  handleRecord: RecordHandler;
  /** Pause after a round in which no shard had a record; DEFAULT_IDLE_MS when absent. */
  idleMs?: number;
  /** Each further empty round doubles the pause, up to this; DEFAULT_MAX_IDLE_MS (or `idleMs`, if longer). */
  maxIdleMs?: number;
  /** Backoff of a shard whose record failed: doubles from `firstRetryMs` up to `maxRetryMs`. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** Errors the poller survives (a failed record, an unreachable stream): it logs them and retries. */
  onError?: (error: unknown, where: { table: string; shardId?: string; sequenceNumber?: string }) => void;
}

export interface StreamPoller {
  /** Ends the poll loop once the batch in hand is handled; resolves when no request or timer is left. */
  stop(): Promise<void>;
  /** Resolves once every record written before the call has been handled; rejects after `timeoutMs`. */
  waitUntilCaughtUp(timeoutMs: number): Promise<void>;
  /** Write-to-handled lag in ms of every record the handler applied, in handling order. */
  lagSamples(): readonly number[];
}

/**
 * The idle poll interval. An empty GetRecords on DynamoDB Local answers in ~5–10 ms, a write is visible to the
 * next GetRecords at once (write → record read: ~20 ms), so 25 ms adds ~12 ms on average to the lag while an idle
 * consumer costs ~40 cheap requests a second per shard. Measured (test/copies/stream-consumer.test.ts, 200
 * renames of users with 5 copies each, one every ~20 ms, on a 2-core machine shared with other test runs, load
 * average 16–24; four runs): lag from the rename's updatedAt to its last copy written p50 0.44–0.54 s, p99
 * 1.75–2.9 s, max 1.98–3.1 s. Almost all of it is DynamoDB Local answering slowly under that load, not this
 * sleep. Stated local bound: copies converge within 3 s at p99 (a guard in the test fails past 10 s).
 */
export const DEFAULT_IDLE_MS = 25;
/**
 * The longest idle pause: a quiet consumer backs off from DEFAULT_IDLE_MS to this (doubling per empty round).
 * Polling every 25 ms for good cost a quiet consumer ~0.1 s of DynamoDB Local's CPU and ~0.1 s of its own per
 * second (measured on a 2-core machine: one idle single-table consumer, 10 s), taken from whatever shares the
 * machine, e.g. a test run's other cells. 250 ms is the rate at which Lambda polls a shard on AWS (4 times a
 * second); it adds at most that to the lag of the first change after a quiet spell, not to a busy stream's (any
 * round with a record resets the pause), nor to `waitUntilCaughtUp`, which wakes the poller at once.
 */
export const DEFAULT_MAX_IDLE_MS = 250;
/** DescribeStream again at least this often: a shard closes and its children appear (on AWS every few hours). */
const SHARD_REFRESH_MS = 1000;

interface TableStream {
  table: string;
  streamArn: string;
  shards: ShardState[];
  /** performance.now() at the start of the last DescribeStream that completed. */
  describedAt: number;
  /** Consecutive rounds that failed on this stream (unreachable, iterator trouble), for the backoff. */
  failures: number;
  retryAt: number;
}

interface Waiter {
  since: number;
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Follows the streams of some tables and hands every record to `handleRecord`, at least once, the records of
 * one item in stream order (different items concurrently, see `handleByItem`): a record whose handler throws
 * is read again from its own sequence number (after a backoff), never skipped.
 * Shards are read from TRIM_HORIZON the first time (nothing written while no consumer ran is lost) and resumed
 * AFTER_SEQUENCE_NUMBER of the last handled record; a child shard is read once its parent is exhausted, so the
 * records of one item stay in order across shard splits.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const maxIdleMs = Math.max(idleMs, options.maxIdleMs ?? DEFAULT_MAX_IDLE_MS);
  let nextIdleMs = idleMs;
  const firstRetryMs = options.firstRetryMs ?? 100;
  const maxRetryMs = options.maxRetryMs ?? 5000;
  const report = options.onError ?? (() => {});
  const tables: TableStream[] = [];
  for (const table of options.tableNames) {
    const description = await options.dynamo.send(new DescribeTableCommand({ TableName: table }));
    const streamArn = description.Table?.LatestStreamArn;
    if (!streamArn || !description.Table?.StreamSpecification?.StreamEnabled)
      throw new Error(`table ${table} has no stream: create it with ensureTable(…, { stream: true })`);
    tables.push({ table, streamArn, shards: [], describedAt: Number.NEGATIVE_INFINITY, failures: 0, retryAt: 0 });
  }

  const backoff = (failures: number) => Math.min(maxRetryMs, firstRetryMs * 2 ** (failures - 1));
  const lags: number[] = [];
  const waiters = new Set<Waiter>();
  let stopped = false;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function refreshShards(stream: TableStream): Promise<void> {
    const startedAt = performance.now();
    let exclusiveStartShardId: string | undefined;
    const listed = [];
    do {
      const page = await options.streams.send(
        new DescribeStreamCommand({ StreamArn: stream.streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      listed.push(...(page.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    stream.shards = trackShards(stream.shards, listed);
    stream.describedAt = startedAt;
  }

  async function iteratorFor(stream: TableStream, shard: ShardState): Promise<string | undefined> {
    const { ShardIterator } = await options.streams.send(
      new GetShardIteratorCommand({
        StreamArn: stream.streamArn,
        ShardId: shard.id,
        ...(shard.lastSequence
          ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: shard.lastSequence }
          : { ShardIteratorType: "TRIM_HORIZON" }),
      }),
    );
    return ShardIterator;
  }

  /** One GetRecords on a shard and its records handled in order; true if it had any. */
  async function pollShard(stream: TableStream, shard: ShardState): Promise<boolean> {
    const startedAt = performance.now();
    shard.iterator ??= await iteratorFor(stream, shard);
    if (!shard.iterator) {
      shard.exhausted = true;
      return false;
    }
    let page: Awaited<ReturnType<typeof getRecords>>;
    try {
      page = await getRecords(shard.iterator);
    } catch (error) {
      const name = (error as { name?: string }).name;
      // An iterator lives 15 minutes: a fresh one resumes after the last handled record.
      if (name === "ExpiredIteratorException") shard.iterator = undefined;
      // DynamoDB Local 3.3.0 answers the NextShardIterator of an empty read at TRIM_HORIZON with
      // TrimmedDataAccessException (seen with the multi design's quiet users table): a fresh iterator from the
      // same position reads on. Not a failure, so no backoff.
      if (name === "TrimmedDataAccessException") {
        shard.iterator = undefined;
        return false;
      }
      throw error;
    }
    const records = (page.Records ?? []).map((raw) => polledRecord(stream.table, shard.id, raw));
    const { firstFailure } = await handleByItem(records, itemOf, async (record) => {
      const verdict = await options.handleRecord(record);
      if (verdict === "ignored") return;
      const lag = Date.now() - writtenAtOf(record.newImage, record.raw.dynamodb?.ApproximateCreationDateTime);
      if (Number.isFinite(lag)) lags.push(lag);
    });
    if (firstFailure) {
      // Read again from the failed record once the backoff has passed: it and the records after it (some of
      // them already handled, harmlessly again) are delivered at least once more.
      shard.lastSequence = records[firstFailure.index - 1]?.sequenceNumber ?? shard.lastSequence;
      shard.iterator = undefined;
      shard.failures += 1;
      shard.retryAt = performance.now() + backoff(shard.failures);
      const failed = records[firstFailure.index] as PolledRecord;
      report(firstFailure.error, { table: stream.table, shardId: shard.id, sequenceNumber: failed.sequenceNumber });
      return false;
    }
    shard.lastSequence = records.at(-1)?.sequenceNumber ?? shard.lastSequence;
    shard.failures = 0;
    shard.iterator = page.NextShardIterator;
    // No next iterator: the shard is closed and read to its end; its children may start.
    if (!shard.iterator) shard.exhausted = true;
    if (records.length === 0) shard.emptySince = startedAt;
    return records.length > 0;
  }

  function getRecords(iterator: string) {
    return options.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
  }

  /** Every shard either exhausted or found empty by a read that started after `since`, shards listed after it. */
  function caughtUpSince(since: number): boolean {
    return tables.every(
      (stream) =>
        stream.describedAt > since && stream.shards.every((shard) => shard.exhausted || shard.emptySince > since),
    );
  }

  function settleWaiters(): void {
    for (const waiter of waiters) {
      if (!caughtUpSince(waiter.since)) continue;
      waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
  }

  async function round(): Promise<boolean> {
    let busy = false;
    for (const stream of tables) {
      if (stopped) return busy;
      if (performance.now() < stream.retryAt) continue;
      try {
        if (waiters.size > 0 || performance.now() - stream.describedAt > SHARD_REFRESH_MS) await refreshShards(stream);
        for (const shard of stream.shards) {
          if (stopped) return busy;
          if (shard.exhausted || performance.now() < shard.retryAt || !parentDone(stream.shards, shard)) continue;
          if (await pollShard(stream, shard)) busy = true;
        }
        stream.failures = 0;
      } catch (error) {
        stream.failures += 1;
        stream.retryAt = performance.now() + backoff(stream.failures);
        report(error, { table: stream.table });
      }
    }
    return busy;
  }

  const loop = (async () => {
    while (!stopped) {
      const busy = await round();
      settleWaiters();
      if (busy) nextIdleMs = idleMs;
      else if (!stopped) {
        await pause(nextIdleMs);
        nextIdleMs = Math.min(maxIdleMs, nextIdleMs * 2);
      }
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error("stream consumer stopped before it caught up"));
      }
      waiters.clear();
    },
    waitUntilCaughtUp(timeoutMs) {
      if (stopped) return Promise.reject(new Error("stream consumer is stopped"));
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          since: performance.now(),
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(new Error(`stream consumer not caught up after ${timeoutMs} ms (${describeBacklog(tables)})`));
          }, timeoutMs),
        };
        waiters.add(waiter);
        // Someone just wrote: poll at once, and eagerly again until the stream is quiet.
        nextIdleMs = idleMs;
        wake?.();
      });
    },
    lagSamples: () => [...lags],
  };
}

function parentDone(shards: readonly ShardState[], shard: ShardState): boolean {
  const parent = shard.parentId ? shards.find((candidate) => candidate.id === shard.parentId) : undefined;
  // A parent the stream no longer lists was trimmed (older than 24 h): nothing of it is left to read.
  return !parent || parent.exhausted;
}

function describeBacklog(tables: readonly TableStream[]): string {
  const behind = tables.flatMap((stream) =>
    stream.shards
      .filter((shard) => !shard.exhausted && shard.failures > 0)
      .map((shard) => `${stream.table}/${shard.id}: ${shard.failures} failed attempts`),
  );
  return behind.length > 0 ? behind.join("; ") : "no shard failing: still reading";
}

/** An item's identity within its table: its key attributes, as the record lists them (always in one order). */
function itemOf(record: PolledRecord): string {
  return JSON.stringify(record.raw.dynamodb?.Keys ?? record.sequenceNumber);
}

function polledRecord(table: string, shardId: string, raw: _Record): PolledRecord {
  const stream = raw.dynamodb;
  return {
    table,
    eventName: raw.eventName as PolledRecord["eventName"],
    shardId,
    sequenceNumber: stream?.SequenceNumber as string,
    oldImage: unmarshallImage(stream?.OldImage),
    newImage: unmarshallImage(stream?.NewImage),
    raw,
  };
}
