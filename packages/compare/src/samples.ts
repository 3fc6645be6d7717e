import type { TableDefinition } from "@tablelab/core";
import type { Dataset } from "./dataset.js";
import { rowId } from "./highlights.js";
import type { Item, SeedItem } from "./seed/items.js";

/**
 * Sample items for the "table layout" view: one user (who organizes events and attends others), one of their
 * events with a few registrations, and one of their own registrations — the same domain entities in every design,
 * each design's items grouped by table and partition key, the way single-table layouts are usually drawn.
 */
export interface SamplePartition {
  partitionKey: string;
  items: Item[];
}

export interface SampleTable {
  tableId: string;
  hashKey: string;
  rangeKey?: string;
  partitions: SamplePartition[];
}

const MAX_CHILDREN = 3;

/** DynamoDB orders string keys by their UTF-8 bytes: for ASCII keys, plain code-unit order. */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface SampleFocus {
  userId: string;
  email: string;
  eventId: string;
  otherEventId?: string;
}

/** Picks the entities to show, from the data set only, so every design shows the same ones. */
export function sampleFocus(dataset: Dataset): SampleFocus | undefined {
  const attending = new Map<string, string>();
  for (const registration of dataset.registrations) {
    if (!attending.has(registration.userId)) attending.set(registration.userId, registration.eventId);
  }
  for (const event of dataset.events) {
    if (event.registeredCount === 0) continue;
    const user = dataset.users.find((candidate) => candidate.userId === event.organizerId);
    if (!user) continue;
    const otherEventId = attending.get(user.userId);
    return { userId: user.userId, email: user.email, eventId: event.eventId, ...(otherEventId && { otherEventId }) };
  }
  const event = dataset.events[0];
  const user = dataset.users[0];
  return event && user ? { userId: user.userId, email: user.email, eventId: event.eventId } : undefined;
}

function mentions(item: Item, focus: SampleFocus): boolean {
  const values = Object.values(item).filter((value): value is string => typeof value === "string");
  const ids = [focus.userId, focus.eventId, focus.email, ...(focus.otherEventId ? [focus.otherEventId] : [])];
  return values.some((value) => ids.some((id) => value === id || value.endsWith(`#${id}`)));
}

/** Items a probe returned are drawn too (up to this many per partition), so each highlight has its rows. */
const MAX_INCLUDED = 8;

export function sampleTables(
  definitions: readonly TableDefinition[],
  items: readonly SeedItem[],
  focus: SampleFocus | undefined,
  include: ReadonlySet<string> = new Set(),
): SampleTable[] {
  if (!focus) return [];
  return definitions.map((definition) => {
    const { hashKey, rangeKey } = definition.primaryIndex;
    const partitions = new Map<string, Item[]>();
    const included = (item: Item) => include.has(rowId(definition, item));
    for (const { tableId, item } of items) {
      if (tableId !== definition.id || !(mentions(item, focus) || included(item))) continue;
      const key = String(item[hashKey]);
      const list = partitions.get(key) ?? [];
      list.push(item);
      partitions.set(key, list);
    }
    return {
      tableId: definition.id,
      hashKey,
      ...(rangeKey !== undefined && { rangeKey }),
      partitions: [...partitions.entries()]
        .sort(([a], [b]) => byteOrder(a, b))
        .map(([partitionKey, list]) => ({
          partitionKey,
          items: [...list]
            .sort((a, b) => byteOrder(String(a[rangeKey ?? hashKey]), String(b[rangeKey ?? hashKey])))
            .filter((item, index) => index <= MAX_CHILDREN || (included(item) && index < MAX_INCLUDED + 1)),
        }))
        .slice(0, 12),
    };
  });
}
