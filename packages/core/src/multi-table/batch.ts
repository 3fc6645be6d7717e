import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import { UnavailableError } from "../domain/errors.js";

/**
 * Batch reads and writes with the retries DynamoDB asks for. A BatchGetItem / BatchWriteItem can succeed while
 * leaving part of the request undone (`UnprocessedKeys` / `UnprocessedItems`: the table was throttled or the
 * response hit 16 MB); the caller must resend that part, with backoff. The SDK's own retries do not cover it.
 */
export type Key = Record<string, unknown>;
export type Item = Record<string, unknown>;

export type BatchGetSend = (command: BatchGetCommand) => Promise<BatchGetCommandOutput>;
export type BatchWriteSend = (command: BatchWriteCommand) => Promise<BatchWriteCommandOutput>;

export interface BatchRetryOptions {
  /** Requests per chunk, the first included, before giving up with an UnavailableError. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
}

export interface BatchGetRequest {
  table: string;
  keys: Key[];
  /** Strongly consistent (1 RCU per 4 KB instead of 0.5). */
  consistent?: boolean;
}

/** DynamoDB's limits: 100 keys per BatchGetItem, 25 requests per BatchWriteItem. */
export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full-jitter exponential backoff, as AWS recommends for unprocessed batch items. */
function backoff(attempt: number, options: BatchRetryOptions): number {
  const base = options.baseDelayMs ?? 20;
  const cap = options.maxDelayMs ?? 1000;
  return Math.random() * Math.min(cap, base * 2 ** attempt);
}

type GetRequestItems = NonNullable<BatchGetCommand["input"]["RequestItems"]>;

/** Splits the keys of several tables into request bodies of at most 100 keys each. */
function chunkGets(requests: BatchGetRequest[]): GetRequestItems[] {
  const chunks: GetRequestItems[] = [];
  let current: GetRequestItems = {};
  let size = 0;
  for (const request of requests) {
    for (const key of request.keys) {
      if (size === BATCH_GET_LIMIT) {
        chunks.push(current);
        current = {};
        size = 0;
      }
      const entry = current[request.table] ?? { Keys: [], ...(request.consistent && { ConsistentRead: true }) };
      entry.Keys = [...(entry.Keys ?? []), key];
      current[request.table] = entry;
      size++;
    }
  }
  if (size > 0) chunks.push(current);
  return chunks;
}

/**
 * Reads every key (any number, across tables) and returns the items found per table, in no particular order.
 * Cost: one BatchGetItem per 100 keys (chunks are sent in parallel), plus one per retry of unprocessed keys.
 * Keys must be distinct: DynamoDB rejects a batch that names one key twice.
 */
export async function batchGetAll(
  send: BatchGetSend,
  requests: BatchGetRequest[],
  options: BatchRetryOptions = {},
): Promise<Map<string, Item[]>> {
  const found = new Map<string, Item[]>(requests.map((request) => [request.table, []]));
  const attempts = options.attempts ?? 8;
  const sleep = options.sleep ?? defaultSleep;
  await Promise.all(
    chunkGets(requests).map(async (chunk) => {
      let pending: GetRequestItems | undefined = chunk;
      for (let attempt = 1; pending && Object.keys(pending).length > 0; attempt++) {
        if (attempt > 1) await sleep(backoff(attempt - 1, options));
        const response: BatchGetCommandOutput = await send(new BatchGetCommand({ RequestItems: pending }));
        for (const [table, items] of Object.entries(response.Responses ?? {})) {
          const list = found.get(table) ?? [];
          list.push(...(items as Item[]));
          found.set(table, list);
        }
        pending = response.UnprocessedKeys as GetRequestItems | undefined;
        if (pending && Object.keys(pending).length > 0 && attempt >= attempts) {
          throw new UnavailableError("BatchGetItem kept leaving keys unprocessed");
        }
      }
    }),
  );
  return found;
}

type WriteRequestItems = NonNullable<BatchWriteCommand["input"]["RequestItems"]>;

/**
 * Deletes every key of one table. Cost: one BatchWriteItem per 25 keys (sent in parallel), plus one per retry
 * of unprocessed items. Deleting an absent key is not an error.
 */
export async function batchDeleteAll(
  send: BatchWriteSend,
  table: string,
  keys: Key[],
  options: BatchRetryOptions = {},
): Promise<void> {
  const attempts = options.attempts ?? 8;
  const sleep = options.sleep ?? defaultSleep;
  const chunks: WriteRequestItems[] = [];
  for (let start = 0; start < keys.length; start += BATCH_WRITE_LIMIT) {
    chunks.push({ [table]: keys.slice(start, start + BATCH_WRITE_LIMIT).map((Key) => ({ DeleteRequest: { Key } })) });
  }
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending: WriteRequestItems | undefined = chunk;
      for (let attempt = 1; pending && Object.keys(pending).length > 0; attempt++) {
        if (attempt > 1) await sleep(backoff(attempt - 1, options));
        const response: BatchWriteCommandOutput = await send(new BatchWriteCommand({ RequestItems: pending }));
        pending = response.UnprocessedItems as WriteRequestItems | undefined;
        if (pending && Object.keys(pending).length > 0 && attempt >= attempts) {
          throw new UnavailableError("BatchWriteItem kept leaving items unprocessed");
        }
      }
    }),
  );
}
