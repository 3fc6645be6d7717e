/**
 * The bucket walk's own logic, over every shape of list fast-check can think of: buckets empty or full, page
 * sizes that change between pages, and queries that stop early with a continuation (DynamoDB's 1 MB cap, or
 * items a filter dropped) — which the DynamoDB-backed tests cannot provoke on demand. The source below is the
 * walk's input (ordered buckets), not a stand-in for DynamoDB: the stores' queries are tested in test/contract.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BucketPosition, type BucketQueries, type BucketSource, walkBuckets } from "../src/listing/buckets.js";
import { fillPage } from "../src/listing/fill.js";

/** Buckets of numbered items; a query answers at most `limit`, cut short by `shortBy` when that is positive. */
function sourceOf(contents: number[][], buckets: string[], shortBy: () => number) {
  let requests = 0;
  const source: BucketSource<number, number> = {
    async query(bucket, after, limit) {
      requests += 1;
      const items = contents[buckets.indexOf(bucket)] ?? [];
      const from = after === null ? 0 : items.indexOf(after) + 1;
      const cut = Math.max(1, limit - shortBy());
      const answer = items.slice(from, from + Math.min(limit, cut));
      const end = from + answer.length;
      // Like DynamoDB: a continuation when the limit was reached or the query stopped early.
      const next = end < items.length || answer.length === limit ? (answer.at(-1) ?? null) : null;
      return { items: answer, next: answer.length === 0 ? null : next };
    },
    positionAfter: (_bucket, item) => item,
  };
  return { source, requests: () => requests };
}

const shapes = fc.record({
  sizes: fc.array(fc.nat({ max: 9 }), { minLength: 1, maxLength: 13 }),
  limits: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }),
  cuts: fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 7 }),
});

describe.each<BucketQueries>(["sequential", "parallel"])("walkBuckets — %s", (queries) => {
  it("returns every item once, in order; every page but the last is full; only the last may be empty", async () => {
    await fc.assert(
      fc.asyncProperty(shapes, async ({ sizes, limits, cuts }) => {
        let counter = 0;
        const contents = sizes.map((size) => Array.from({ length: size }, () => counter++));
        const buckets = sizes.map((_, i) => `b${String(i).padStart(2, "0")}`);
        let call = 0;
        const { source } = sourceOf(contents, buckets, () => cuts[call++ % cuts.length] as number);
        const seen: number[] = [];
        let position: BucketPosition<number> | null = { bucket: buckets[0] as string, after: null };
        for (let page = 0; position; page++) {
          const limit = limits[page % limits.length] as number;
          const result: Awaited<ReturnType<typeof walkBuckets<number, number>>> = await walkBuckets(
            source,
            buckets,
            position,
            limit,
            queries,
          );
          expect(result.items.length).toBeLessThanOrEqual(limit);
          if (result.next) expect(result.items).toHaveLength(limit);
          seen.push(...result.items);
          position = result.next;
          expect(page).toBeLessThan(counter + 2);
        }
        expect(seen).toEqual(Array.from({ length: counter }, (_, i) => i));
      }),
      { numRuns: 300 },
    );
  });

  it("a page that fills in its first bucket costs one request only when sequential", async () => {
    const buckets = ["a", "b", "c"];
    const { source, requests } = sourceOf([[1, 2, 3], [4], [5]], buckets, () => 0);
    const page = await walkBuckets(source, buckets, { bucket: "a", after: null }, 2, queries);
    expect(page).toEqual({ items: [1, 2], next: { bucket: "a", after: 2 } });
    expect(requests()).toBe(queries === "sequential" ? 1 : 3);
  });
});

describe("fillPage", () => {
  it("reads on while a chunk comes back short with a continuation, and stops at the limit or the end", async () => {
    const reads: Array<[number | null, number]> = [];
    // A list of 0…9 where each read returns at most 2 items (as if the rest of its `Limit` was filtered out).
    const result = await fillPage<number, number>(5, null, async (after, limit) => {
      reads.push([after, limit]);
      const from = after === null ? 0 : after + 1;
      const items = Array.from({ length: Math.min(2, limit, 10 - from) }, (_, i) => from + i);
      return { items, next: from + items.length < 10 ? (items.at(-1) ?? null) : null };
    });
    expect(result).toEqual({ items: [0, 1, 2, 3, 4], next: 4 });
    expect(reads).toEqual([
      [null, 5],
      [1, 3],
      [3, 1],
    ]);
  });
});
