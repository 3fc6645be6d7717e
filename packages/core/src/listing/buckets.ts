import type { CursorCodec } from "../cursor.js";
import { InvalidCursorError } from "../domain/errors.js";

/**
 * A list kept in ordered buckets (AP7: one partition per month, so no date is a hot key), read a page at a time.
 * A page fills across buckets — one query per bucket it touches — so it holds `limit` items unless it is the
 * last, and is empty only when nothing is left: a client may stop at the first empty page (api.md, Pagination).
 * Both table designs walk their buckets here; each supplies only its per-bucket query.
 */

/** Where a walk stands: the bucket to read next, and where in it (`after`: null = from its start). */
export interface BucketPosition<K> {
  bucket: string;
  after: K | null;
}

/** One query's answer: up to `limit` items in order, and where the rest of the bucket starts (null: no rest). */
export interface BucketPage<T, K> {
  items: T[];
  next: K | null;
}

export interface BucketSource<T, K> {
  /** One request: the bucket's items after `after` (from its start when null), at most `limit`, in list order. */
  query(bucket: string, after: K | null, limit: number): Promise<BucketPage<T, K>>;
  /** The position right after `item` in `bucket`: a parallel walk can stop inside an answer. */
  positionAfter(bucket: string, item: T): K;
}

/**
 * How the buckets a page may need are queried. `sequential`: one bucket at a time, the next only if the page is
 * not full — as many requests as buckets the page touches, one round trip each. `parallel`: every remaining bucket
 * at once (each asked for what the page still needs), then trimmed in order — one round trip, but a request per
 * remaining bucket even when the first fills the page. docs/comparison.md has the measured trade-off.
 */
export type BucketQueries = "sequential" | "parallel";

/** The default, chosen from the measurements in docs/comparison.md ("Pagination across month buckets"). */
export const DEFAULT_BUCKET_QUERIES: BucketQueries = "sequential";

export interface BucketWalk<T, K> {
  items: T[];
  /** Where the next page starts; null when the list has no more items. */
  next: BucketPosition<K> | null;
}

/** One page of at most `limit` items from `start` on, walking `buckets` (the whole list's buckets, in order). */
export async function walkBuckets<T, K>(
  source: BucketSource<T, K>,
  buckets: readonly string[],
  start: BucketPosition<K>,
  limit: number,
  queries: BucketQueries,
): Promise<BucketWalk<T, K>> {
  const items: T[] = [];
  let index = buckets.indexOf(start.bucket);
  if (index < 0) throw new InvalidCursorError();
  let after = start.after;
  while (items.length < limit && index < buckets.length) {
    const wanted = limit - items.length;
    const round = buckets.slice(index, queries === "sequential" ? index + 1 : buckets.length);
    const answers = await Promise.all(round.map((bucket, i) => source.query(bucket, i === 0 ? after : null, wanted)));
    for (const [i, answer] of answers.entries()) {
      const bucket = round[i] as string;
      const room = limit - items.length;
      if (answer.items.length > room) {
        // The page fills inside this answer: continue right after the last item taken.
        const taken = answer.items.slice(0, room);
        items.push(...taken);
        return { items, next: { bucket, after: source.positionAfter(bucket, taken.at(-1) as T) } };
      }
      items.push(...answer.items);
      if (answer.next !== null) {
        // The bucket has more (the page is full, or DynamoDB stopped early): later answers of this round come
        // after it in the list, so they cannot be used yet.
        after = answer.next;
        break;
      }
      index += 1;
      after = null;
      if (items.length === limit) break;
    }
  }
  const bucket = buckets[index];
  return { items, next: bucket === undefined ? null : { bucket, after } };
}

/** The cursor of a bucket walk's next page, bound by `codec` to `list` (route, ids, range). */
export function encodeBucketPosition<K>(codec: CursorCodec, list: string, next: BucketPosition<K> | null) {
  return next ? codec.encode(list, { bucket: next.bucket, after: next.after }) : null;
}

/**
 * The position a cursor carries. Its bucket must be one of this list's and `isPosition` must accept the
 * design's in-bucket position; anything else is an InvalidCursorError (400), never a database call.
 */
export function decodeBucketPosition<K>(
  codec: CursorCodec,
  list: string,
  cursor: string,
  buckets: readonly string[],
  isPosition: (value: unknown) => value is K,
): BucketPosition<K> {
  const decoded = codec.decode<unknown>(list, cursor);
  if (!decoded || typeof decoded !== "object") throw new InvalidCursorError();
  const { bucket, after } = decoded as { bucket?: unknown; after?: unknown };
  if (typeof bucket !== "string" || !buckets.includes(bucket)) throw new InvalidCursorError();
  if (after !== null && !isPosition(after)) throw new InvalidCursorError();
  return { bucket, after: after as K | null };
}
