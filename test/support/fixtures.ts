import { randomBytes } from "node:crypto";
import {
  type CopyStrategy,
  CreateEventInput,
  CreateUserInput,
  type Event,
  type Page,
  type PageRequest,
  type Store,
  type StoredUser,
  type TableDesign,
} from "@tablelab/core";
import { afterAll, beforeAll, expect } from "vitest";
import { createTestDatabase, releaseTestDatabase, type TestDatabase } from "./database.js";

/**
 * Fixtures for the contract suite. Inputs go through the same zod schemas the API uses, so the store only
 * ever sees what a request could have produced.
 */

/** A well-formed ULID that no test ever creates. */
export const MISSING_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
/** The contract's timestamps: ISO-8601 UTC with milliseconds. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** One table set per grid cell and test file, created before the file's tests and released after them. */
export function useDatabase(
  design: TableDesign,
  label: string,
  copies?: CopyStrategy,
  options?: { consumer?: boolean },
): () => TestDatabase {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(design, label, copies, options);
  });
  afterAll(() => releaseTestDatabase(db));
  return () => {
    if (!db) throw new Error("the test database is not ready (used outside a test?)");
    return db;
  };
}

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}@example.com`;
}

export function makeUser(store: Store, fields: { name?: string; email?: string } = {}): Promise<StoredUser> {
  return store.createUser(
    CreateUserInput.parse({ name: fields.name ?? "Ada Lovelace", email: fields.email ?? uniqueEmail() }),
  );
}

export function makeEvent(
  store: Store,
  organizerId: string,
  fields: Partial<Record<keyof CreateEventInput, unknown>> = {},
): Promise<Event> {
  return store.createEvent(
    organizerId,
    CreateEventInput.parse({ name: "Launch party", date: "2026-06-15", capacity: 10, ...fields }),
  );
}

/** `[T, T, …]` of length N, so that `const [a, b] = await makeUsers(store, 2)` needs no undefined checks. */
type Tuple<T, N extends number, R extends T[] = []> = R["length"] extends N ? R : Tuple<T, N, [T, ...R]>;

/** Creates `count` users at once (in batches of 50, so the shared DynamoDB Local stays responsive). */
export async function makeUsers<N extends number>(
  store: Store,
  count: N,
  name = (i: number) => `Attendee ${i}`,
): Promise<Tuple<StoredUser, N>> {
  const users: StoredUser[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, i) =>
      makeUser(store, { name: name(start + i) }),
    );
    users.push(...(await Promise.all(batch)));
  }
  return users as Tuple<StoredUser, N>;
}

/**
 * Follows cursors from the first page until `cursor` is null, with the page size cycling through `limits`
 * (the contract lets `limit` change between pages). Returns every item in the order received.
 */
export async function collectPages<T>(
  fetchPage: (page: PageRequest) => Promise<Page<T>>,
  limits: readonly number[] = [20],
  maxPages = 1000,
): Promise<{ items: T[]; pages: Page<T>[] }> {
  const items: T[] = [];
  const pages: Page<T>[] = [];
  let cursor: string | undefined;
  do {
    const limit = limits[pages.length % limits.length] as number;
    const page = await fetchPage({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    // api.md: a page is empty only when it is the last — a client may stop at the first empty page.
    if (page.items.length === 0) expect(page.cursor, `empty page ${pages.length + 1} with a cursor`).toBeNull();
    pages.push(page);
    items.push(...page.items);
    cursor = page.cursor ?? undefined;
    if (pages.length > maxPages) throw new Error(`more than ${maxPages} pages: the cursor never ends`);
  } while (cursor);
  return { items, pages };
}

/** Resolves with the error the promise rejects with, failing the test if it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** Outcome counts of `Promise.allSettled`: how many fulfilled, and rejections by error class name. */
export function tally(results: PromiseSettledResult<unknown>[]) {
  const rejected: Record<string, number> = {};
  let fulfilled = 0;
  for (const result of results) {
    if (result.status === "fulfilled") fulfilled += 1;
    else {
      const name = (result.reason as Error)?.name ?? String(result.reason);
      rejected[name] = (rejected[name] ?? 0) + 1;
    }
  }
  return { fulfilled, rejected };
}

/** Order helpers: the contract's list orders, computed independently of the store. */
export const byDateThenId = (a: { date: string; eventId: string }, b: { date: string; eventId: string }) =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;

export const ascending = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
