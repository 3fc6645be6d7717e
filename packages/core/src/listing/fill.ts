/**
 * One page of a list kept in one partition, read until it holds `limit` items or the list ends.
 *
 * A single query answers a full page whenever DynamoDB evaluated only items the page shows: then a continuation
 * exists only if `Limit` was reached, and this costs nothing more than that query. It reads on when a query
 * comes back short but with a continuation — ElectroDB's collection queries filter on the entity identity
 * (its identity attributes, single-table/layout.ts `IDENTIFIERS`), so items of another entity or model version count against `Limit` and vanish;
 * the per-entity design leaves out registrations whose event is being deleted; DynamoDB stops at 1 MB — so that
 * a page is never empty, nor short, before the end of the list (api.md, Pagination).
 */
export interface Chunk<T, C> {
  items: T[];
  /** Where the list continues; null when it has no more items. */
  next: C | null;
}

export async function fillPage<T, C>(
  limit: number,
  start: C | null,
  read: (after: C | null, limit: number) => Promise<Chunk<T, C>>,
): Promise<Chunk<T, C>> {
  const items: T[] = [];
  let next = start;
  do {
    const chunk = await read(next, limit - items.length);
    items.push(...chunk.items);
    next = chunk.next;
  } while (next !== null && items.length < limit);
  return { items, next };
}
