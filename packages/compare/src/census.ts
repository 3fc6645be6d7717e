import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandOutput } from "@aws-sdk/lib-dynamodb";
import type { GlobalIndex, TableDefinition } from "@tablelab/core";
import { IDENTIFIERS, runAsAdmin } from "@tablelab/core";
import type { Item } from "./seed/items.js";

/**
 * Items and bytes stored per design. Sizes follow DynamoDB's item-size rules (attribute names + values: strings
 * and binaries by UTF-8/raw bytes, numbers ≈ 1 byte per 2 significant digits + 1, booleans and nulls 1 byte,
 * lists and maps 3 bytes + 1 per element + their contents). Billable storage adds AWS's 100 bytes of overhead
 * per item, in the table and again in every index the item is projected into. An index entry is what the index
 * projects of the item: all of it (ALL), or the table's and the index's keys (KEYS_ONLY) plus the listed
 * attributes the item has (INCLUDE).
 */
const utf8 = (text: string) => Buffer.byteLength(text, "utf8");

function numberSize(value: number | bigint): number {
  const digits = String(value)
    .replace(/^-/, "")
    .replace(/e.*$/i, "")
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === "boolean") return 1;
  if (typeof value === "string") return utf8(value);
  if (typeof value === "number" || typeof value === "bigint") return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, element) => sum + valueSize(element), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === "object") {
    return 3 + Object.entries(value).reduce((sum, [name, element]) => sum + 1 + utf8(name) + valueSize(element), 0);
  }
  return 0;
}

/** The size DynamoDB counts for an item (what 1 KB write units and 4 KB read units are measured against). */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

/** The size of an item's entry in a GSI: what the index projects of it (see the header). */
export function indexEntrySize(item: Item, primaryIndex: TableDefinition["primaryIndex"], index: GlobalIndex): number {
  if (index.projection === "all") return itemSize(item);
  const keys = [primaryIndex.hashKey, primaryIndex.rangeKey, index.hashKey, index.rangeKey];
  const names = new Set([...keys, ...(index.projection === "keys-only" ? [] : index.projection)]);
  return Object.entries(item).reduce(
    (sum, [name, value]) => (names.has(name) ? sum + utf8(name) + valueSize(value) : sum),
    0,
  );
}

export const STORAGE_OVERHEAD_BYTES = 100;

export interface TableCensus {
  tableId: string;
  items: number;
  /** Sum of item sizes. */
  itemBytes: number;
  /** Entries per global secondary index (items that carry the index's key attributes). */
  indexEntries: Record<string, number>;
  /** Table + index bytes with the 100-byte per-item overhead: what storage is billed on. */
  billableBytes: number;
}

/**
 * The domain entity an item stores (or serves, like an email-uniqueness marker, counted with its user, or an
 * event's seats item / `EventSeats` row, counted with its event).
 */
export type EntityKind = "user" | "event" | "registration" | "other";

/** ElectroDB's entity attribute where there is one; otherwise the table it is in (`Users`, `Emails`, …). */
export function entityOf(tableId: string, item: Item): EntityKind {
  const entity = item[IDENTIFIERS.entity];
  const name = (typeof entity === "string" ? entity : tableId).toLowerCase();
  if (name.startsWith("registration")) return "registration";
  if (name.startsWith("event") || name === "seats") return "event";
  if (name.startsWith("user") || name.startsWith("email")) return "user";
  return "other";
}

export interface StorageCensus {
  items: number;
  /** Items and billable bytes per entity kind (what per-entity storage is projected from). */
  byEntity: Record<EntityKind, { items: number; billableBytes: number }>;
  itemBytes: number;
  indexEntries: number;
  billableBytes: number;
  tables: TableCensus[];
}

function hasKeys(item: Item, keys: { hashKey: string; rangeKey?: string }): boolean {
  return item[keys.hashKey] !== undefined && (keys.rangeKey === undefined || item[keys.rangeKey] !== undefined);
}

/** The census of a set of items, per table of the design. */
export function censusOf(definitions: readonly TableDefinition[], items: Iterable<{ tableId: string; item: Item }>) {
  const tables = new Map<string, TableCensus>(
    definitions.map((definition) => [
      definition.id,
      {
        tableId: definition.id,
        items: 0,
        itemBytes: 0,
        indexEntries: Object.fromEntries(Object.keys(definition.globalIndexes).map((name) => [name, 0])),
        billableBytes: 0,
      },
    ]),
  );
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));
  const byEntity: StorageCensus["byEntity"] = {
    user: { items: 0, billableBytes: 0 },
    event: { items: 0, billableBytes: 0 },
    registration: { items: 0, billableBytes: 0 },
    other: { items: 0, billableBytes: 0 },
  };
  for (const { tableId, item } of items) {
    const table = tables.get(tableId);
    const definition = byId.get(tableId);
    if (!table || !definition) throw new Error(`item of an unknown table ${tableId}`);
    const size = itemSize(item);
    table.items += 1;
    table.itemBytes += size;
    table.billableBytes += size + STORAGE_OVERHEAD_BYTES;
    const entity = byEntity[entityOf(tableId, item)];
    entity.items += 1;
    entity.billableBytes += size + STORAGE_OVERHEAD_BYTES;
    for (const [name, index] of Object.entries(definition.globalIndexes)) {
      if (!hasKeys(item, index)) continue;
      const entry = indexEntrySize(item, definition.primaryIndex, index);
      table.indexEntries[name] = (table.indexEntries[name] ?? 0) + 1;
      table.billableBytes += entry + STORAGE_OVERHEAD_BYTES;
      entity.billableBytes += entry + STORAGE_OVERHEAD_BYTES;
    }
  }
  const list = [...tables.values()];
  return {
    items: list.reduce((sum, table) => sum + table.items, 0),
    itemBytes: list.reduce((sum, table) => sum + table.itemBytes, 0),
    indexEntries: list.reduce((sum, table) => sum + Object.values(table.indexEntries).reduce((a, b) => a + b, 0), 0),
    billableBytes: list.reduce((sum, table) => sum + table.billableBytes, 0),
    byEntity,
    tables: list,
  } satisfies StorageCensus;
}

/**
 * The same census read back from the tables with Scan — a measurement of the harness, run once after seeding,
 * never part of a workload (no code path of the API or the workloads scans). It checks that what is stored is
 * what the seeder meant to write.
 */
export async function scanCensus(
  document: DynamoDBDocumentClient,
  definitions: readonly TableDefinition[],
  tableNames: Record<string, string>,
): Promise<StorageCensus> {
  const items: Array<{ tableId: string; item: Item }> = [];
  for (const definition of definitions) {
    let start: Record<string, unknown> | undefined;
    do {
      // Marked as an admin call, like the integrity checker's scans: a measurement, never a workload path.
      const page: ScanCommandOutput = await runAsAdmin(() =>
        document.send(
          new ScanCommand({ TableName: tableNames[definition.id], ...(start && { ExclusiveStartKey: start }) }),
        ),
      );
      for (const item of page.Items ?? []) items.push({ tableId: definition.id, item });
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return censusOf(definitions, items);
}
