import type { CursorCodec } from "../cursor.js";
import { InvalidCursorError } from "../domain/errors.js";
import { fillPage } from "../listing/fill.js";
import type { PageRequest } from "../store.js";

/** What one query of an ElectroDB collection answers: the parent item if the query reached it, then children. */
export interface CollectionChunk<P, C> {
  parent: P | undefined;
  children: C[];
  cursor: string | null;
}

export interface CollectionPage<P, C> {
  /** True on the list's first page: the one whose query reads the parent (a missing parent is a 404). */
  first: boolean;
  parent: P | undefined;
  items: C[];
  cursor: string | null;
}

/** ElectroDB's cursors are strings; what one holds is ElectroDB's business (our HMAC vouches for it). */
export function isElectroCursor(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

/**
 * One page of a collection whose parent sorts first (`$`-prefixed sort key): the list's first query asks for
 * `parentItems` more (the parent: one item, or two for an event and its seats), so "does it exist?" and the first
 * page are one request. Read through `fillPage`, so a
 * page whose items ElectroDB filtered out (another entity or model version in the partition) reads on instead of
 * answering an empty page with a cursor. The cursor wraps ElectroDB's, bound to `list` by `cursors`.
 */
export async function collectionPage<P, C>(
  cursors: CursorCodec,
  list: string,
  page: PageRequest,
  query: (cursor: string | null, limit: number) => Promise<CollectionChunk<P, C>>,
  parentItems = 1,
): Promise<CollectionPage<P, C>> {
  const start = page.cursor ? cursors.decode<unknown>(list, page.cursor) : null;
  if (start !== null && !isElectroCursor(start)) throw new InvalidCursorError();
  let parent: P | undefined;
  const { items, next } = await fillPage(page.limit, start, async (after, limit) => {
    const chunk = await query(after, after === null ? limit + parentItems : limit);
    if (after === null) parent = chunk.parent;
    return { items: chunk.children, next: chunk.cursor };
  });
  return { first: start === null, parent, items, cursor: next === null ? null : cursors.encode(list, next) };
}
