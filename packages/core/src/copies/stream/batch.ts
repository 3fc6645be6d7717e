/**
 * Items whose records are handled at once. One record's fan-out already runs up to 32 copy writes
 * (COPY_WRITE_CONCURRENCY); 8 items at a time keeps a burst of renames from queueing one behind the other
 * without putting hundreds of writes in flight against one DynamoDB Local.
 */
export const RECORD_CONCURRENCY = 8;

export interface BatchOutcome {
  /** Index of the first record (in stream order) whose handler threw; every record before it was handled. */
  firstFailure?: { index: number; error: unknown };
}

/**
 * Handles a batch of stream records: the records of one item one after another in stream order, different
 * items concurrently (at most `concurrency` items at a time). After a failure an item's later records are not
 * handled; other items go on. So every record before the first failed one (in stream order) was handled, and
 * reading again from the failed one delivers each remaining record at least once.
 */
export async function handleByItem<T>(
  records: readonly T[],
  itemOf: (record: T) => string,
  handle: (record: T) => Promise<void>,
  concurrency = RECORD_CONCURRENCY,
): Promise<BatchOutcome> {
  const byItem = new Map<string, number[]>();
  records.forEach((record, index) => {
    const item = itemOf(record);
    const indexes = byItem.get(item);
    if (indexes) indexes.push(index);
    else byItem.set(item, [index]);
  });
  const queue = [...byItem.values()];
  let firstFailure: BatchOutcome["firstFailure"];
  const worker = async () => {
    for (let indexes = queue.shift(); indexes; indexes = queue.shift()) {
      for (const index of indexes) {
        try {
          await handle(records[index] as T);
        } catch (error) {
          if (!firstFailure || index < firstFailure.index) firstFailure = { index, error };
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return firstFailure ? { firstFailure } : {};
}
