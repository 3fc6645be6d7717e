import type { Page, Store } from "@tablelab/core";
import type { Dataset } from "../dataset.js";
import type { Random } from "../random.js";

export const PATTERNS = [
  { id: "AP1", title: "get a user by id", kind: "read" },
  { id: "AP2", title: "find a user by email", kind: "read" },
  { id: "AP3", title: "create a user (email unused)", kind: "write" },
  { id: "AP4", title: "update a user's name or email", kind: "write" },
  { id: "AP5", title: "create an event", kind: "write" },
  { id: "AP6", title: "get an event by id", kind: "read" },
  { id: "AP7", title: "list events between two dates", kind: "read" },
  { id: "AP8", title: "list the events a user organizes", kind: "read" },
  { id: "AP9", title: "user + first page of their events", kind: "read" },
  { id: "AP10", title: "update an event (If-Match)", kind: "write" },
  { id: "AP11", title: "delete an event with its registrations", kind: "write" },
  { id: "AP12", title: "register for an event", kind: "write" },
  { id: "AP13", title: "cancel a registration", kind: "write" },
  { id: "AP14", title: "list an event's registrations with names", kind: "read" },
  { id: "AP15", title: "event + first page of its registrations", kind: "read" },
  { id: "AP16", title: "list a user's registrations with event names", kind: "read" },
] as const;

export type PatternId = (typeof PATTERNS)[number]["id"];
export type PatternKind = "read" | "write";

/** What one operation reports besides its cost. */
export interface OpResult {
  /** Items returned (reads) or touched (fan-outs), for context. */
  items?: number;
}

/** A walk of a whole paginated list (measured apart from the one-page operations). */
export interface WalkResult {
  pages: number;
  items: number;
}

/** One planned operation: targets are chosen when planning, once, and shared by every design. */
export interface PlannedOp {
  /** A sub-case of the pattern (e.g. AP4 "rename" vs "email"), reported separately as well. */
  subCase?: string;
  /** Unmeasured set-up the operation needs (AP10 reads the ETag; AP11 creates the event it deletes). */
  prepare?: (store: Store) => Promise<unknown>;
  run: (store: Store, prepared: unknown) => Promise<OpResult>;
}

export interface PlanContext {
  dataset: Dataset;
  random: Random;
  ops: number;
  pageSize: number;
}

export interface Workload {
  id: PatternId;
  title: string;
  kind: PatternKind;
  /** Plans the operations (and, for paginated lists, a few full walks). */
  plan(context: PlanContext): { ops: PlannedOp[]; walks?: Array<(store: Store) => Promise<WalkResult>> };
}

/** Walks every page of a list by passing each cursor back. */
export async function walkAll<T>(
  fetch: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = 1000,
): Promise<WalkResult> {
  let cursor: string | undefined;
  let pages = 0;
  let items = 0;
  do {
    const page = await fetch(cursor);
    pages++;
    items += page.items.length;
    cursor = page.cursor ?? undefined;
  } while (cursor && pages < maxPages);
  return { pages, items };
}
