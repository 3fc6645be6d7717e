import { BatchWriteCommand, type BatchWriteCommandOutput, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SeedItem } from "./items.js";

/**
 * Bulk load with BatchWriteItem: 25 put requests per call (DynamoDB's limit; a call may mix tables), a few calls
 * in flight, and `UnprocessedItems` resent with full-jitter exponential backoff until none are left.
 */
export const BATCH_WRITE_SIZE = 25;

export interface BatchWriteOptions {
  /** Calls in flight. */
  parallel?: number;
  /** Called with the number of items just written. */
  onProgress?: (written: number) => void;
  /** Calls per chunk, the first included, before giving up. */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

type RequestItems = NonNullable<BatchWriteCommand["input"]["RequestItems"]>;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

function requestItems(items: SeedItem[]): RequestItems {
  const body: RequestItems = {};
  for (const { table, item } of items) {
    const requests = body[table] ?? [];
    requests.push({ PutRequest: { Item: item } });
    body[table] = requests;
  }
  return body;
}

function count(body: RequestItems | undefined): number {
  return Object.values(body ?? {}).reduce((sum, requests) => sum + requests.length, 0);
}

export async function batchWriteAll(
  document: DynamoDBDocumentClient,
  items: SeedItem[],
  options: BatchWriteOptions = {},
): Promise<void> {
  const chunks = chunk(items, BATCH_WRITE_SIZE);
  const attempts = options.attempts ?? 10;
  const sleep = options.sleep ?? defaultSleep;
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const current = chunks[next++] as SeedItem[];
      let pending: RequestItems | undefined = requestItems(current);
      for (let attempt = 1; count(pending) > 0; attempt++) {
        if (attempt > 1) await sleep(Math.random() * Math.min(2000, 25 * 2 ** attempt));
        const sent = count(pending);
        const output: BatchWriteCommandOutput = await document.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = output.UnprocessedItems as RequestItems | undefined;
        options.onProgress?.(sent - count(pending));
        if (count(pending) > 0 && attempt >= attempts) {
          throw new Error(`BatchWriteItem left ${count(pending)} items unprocessed after ${attempts} attempts`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel ?? 4, chunks.length) }, worker));
}
