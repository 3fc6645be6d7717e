import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  type CopyStrategy,
  IDENTIFIERS,
  KEYS,
  type KeyLayout,
  multiTables,
  type SingleTableLayout,
  singleTable,
  type TableDefinition,
} from "@tablelab/core";
import { censusOf, indexEntrySize, itemSize } from "./census.js";
import { type DatasetSizes, generateDataset } from "./dataset.js";
import { type Item, multiTableItems, singleTableItemsIn } from "./seed/items.js";

/**
 * The lean single-table item (issue 12 §2), measured one change at a time: the same data set's items built by
 * the model under each layout, sized by DynamoDB's rules (census.ts), and each GSI entry sized by what the
 * index projects. Nothing is written: the items are ElectroDB's own `create(...).params()`.
 *
 *   pnpm exec tsx packages/compare/src/lean-items.ts [--users 200 --events 100 --registrations 1000 --seed lean]
 */

/** The key layout before: one word per prefix (what the README drew until then). */
export const VERBOSE_KEYS = {
  user: "USER#",
  userItem: "PROFILE",
  email: "EMAIL#",
  emailItem: "EMAIL",
  event: "EVENT#",
  eventItem: "$EVENT",
  seatsItem: "$EVENT#SEATS",
  registration: "REG#",
  attendee: "ATTENDEE#",
  month: "MONTH#",
  organizer: "ORGANIZER#",
  userInCollection: "$USER",
  attended: "EVENT#",
  organized: "EVENT#",
} as const satisfies KeyLayout;

/** ElectroDB's default identity attribute names. */
export const ELECTRODB_IDENTIFIERS = { entity: "__edb_e__", version: "__edb_v__" } as const;

/** The table as it was: both GSIs project ALL. */
const projectingAll: TableDefinition = {
  ...singleTable,
  globalIndexes: {
    gsi1: { ...singleTable.globalIndexes.gsi1, projection: "all" },
    gsi2: { ...singleTable.globalIndexes.gsi2, projection: "all" },
  },
};

export interface Step {
  name: string;
  layout: SingleTableLayout;
  table: TableDefinition;
}

/** Each change on top of the one before. */
export const STEPS: Step[] = [
  { name: "before", layout: { identifiers: ELECTRODB_IDENTIFIERS, keys: VERBOSE_KEYS }, table: projectingAll },
  { name: "+ identifiers `_e`/`_v`", layout: { identifiers: IDENTIFIERS, keys: VERBOSE_KEYS }, table: projectingAll },
  { name: "+ short key prefixes", layout: { identifiers: IDENTIFIERS, keys: KEYS }, table: projectingAll },
  { name: "+ INCLUDE projections", layout: { identifiers: IDENTIFIERS, keys: KEYS }, table: singleTable },
];

export type ItemKind =
  | "user"
  | "email marker"
  | "event"
  | "seats"
  | "registration (none)"
  | "registration (sync, stream)";
export const ITEM_KINDS: ItemKind[] = [
  "user",
  "email marker",
  "event",
  "seats",
  "registration (none)",
  "registration (sync, stream)",
];

/** Mean bytes of one kind of item: the item, its entry in each GSI (0 when it has none), and the three together. */
export interface KindSize {
  item: number;
  gsi1: number;
  gsi2: number;
  stored: number;
}

export interface StepMeasure {
  step: string;
  kinds: Record<ItemKind, KindSize>;
  /** Over the data set's items under each copy strategy: mean item bytes, and billable bytes per item. */
  dataset: Record<"none" | "sync", { bytesPerItem: number; billablePerItem: number }>;
}

const document = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" }));
const TABLE_NAMES = { [singleTable.id]: "lean-items" };

function kindOf(item: Item, identifiers: SingleTableLayout["identifiers"], copies: CopyStrategy): ItemKind {
  const entity = item[identifiers.entity];
  if (entity === "user") return "user";
  if (entity === "emailMarker") return "email marker";
  if (entity === "event") return "event";
  if (entity === "seats") return "seats";
  if (entity === "registration") return copies === "none" ? "registration (none)" : "registration (sync, stream)";
  throw new Error(`an item of no known entity: ${JSON.stringify(entity)}`);
}

const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

export function measureStep(step: Step, sizes: DatasetSizes, seed: string): StepMeasure {
  const dataset = generateDataset(sizes, seed);
  const build = singleTableItemsIn(step.layout);
  const samples = new Map<ItemKind, KindSize[]>(ITEM_KINDS.map((kind) => [kind, []]));
  const totals = {} as StepMeasure["dataset"];
  for (const copies of ["none", "sync"] as const) {
    const items = build(dataset, TABLE_NAMES, document, copies);
    for (const { item } of items) {
      const kind = kindOf(item, step.layout.identifiers, copies);
      // Users, markers and events are the same under every strategy: count them once.
      if (copies === "sync" && !kind.startsWith("registration")) continue;
      const entry = (name: "gsi1" | "gsi2") => {
        const index = step.table.globalIndexes[name];
        if (!index || item[index.hashKey] === undefined) return 0;
        return indexEntrySize(item, step.table.primaryIndex, index);
      };
      const size = { item: itemSize(item), gsi1: entry("gsi1"), gsi2: entry("gsi2") };
      samples.get(kind)?.push({ ...size, stored: size.item + size.gsi1 + size.gsi2 });
    }
    const census = censusOf([step.table], items);
    totals[copies] = {
      bytesPerItem: census.itemBytes / census.items,
      billablePerItem: census.billableBytes / census.items,
    };
  }
  const kinds = Object.fromEntries(
    [...samples].map(([kind, list]) => [
      kind,
      {
        item: mean(list.map((s) => s.item)),
        gsi1: mean(list.map((s) => s.gsi1)),
        gsi2: mean(list.map((s) => s.gsi2)),
        stored: mean(list.map((s) => s.stored)),
      },
    ]),
  ) as Record<ItemKind, KindSize>;
  return { step: step.name, kinds, dataset: totals };
}

/** The per-entity design's mean item bytes on the same data set, for scale. */
export function multiTableBytesPerItem(sizes: DatasetSizes, seed: string): Record<"none" | "sync", number> {
  const dataset = generateDataset(sizes, seed);
  const names = Object.fromEntries(multiTables.map((table) => [table.id, table.id]));
  const result = {} as Record<"none" | "sync", number>;
  for (const copies of ["none", "sync"] as const) {
    const census = censusOf(multiTables, multiTableItems(dataset, names, document, copies));
    result[copies] = census.itemBytes / census.items;
  }
  return result;
}

const round = (value: number) => Math.round(value);
const saved = (before: number, after: number) => (before === after ? "" : ` (−${round(before - after)})`);

/** The measured steps as Markdown: per kind of item, then over the whole data set. */
export function leanItemsMarkdown(measures: StepMeasure[], multi: Record<"none" | "sync", number>): string {
  const lines = [
    "| item | step | item bytes | gsi1 entry | gsi2 entry | item + entries |",
    "| ---- | ---- | ---------: | ---------: | ---------: | -------------: |",
  ];
  for (const kind of ITEM_KINDS) {
    measures.forEach((measure, i) => {
      const now = measure.kinds[kind];
      const before = (measures[i - 1] ?? measure).kinds[kind];
      const cell = (key: keyof KindSize) => `${round(now[key])}${saved(before[key], now[key])}`;
      lines.push(
        `| ${i === 0 ? kind : ""} | ${measure.step} | ${cell("item")} | ${now.gsi1 ? cell("gsi1") : "–"} | ${now.gsi2 ? cell("gsi2") : "–"} | ${cell("stored")} |`,
      );
    });
  }
  lines.push(
    "",
    "| step | bytes/item, COPIES=none | bytes/item, sync/stream | billable bytes/item (+ entries, 100 B each), none | billable, sync/stream |",
    "| ---- | ----------------------: | ----------------------: | -----------------------------------------------: | --------------------: |",
  );
  for (const measure of measures) {
    const { none, sync } = measure.dataset;
    lines.push(
      `| ${measure.step} | ${round(none.bytesPerItem)} | ${round(sync.bytesPerItem)} | ${round(none.billablePerItem)} | ${round(sync.billablePerItem)} |`,
    );
  }
  lines.push(`| per-entity design (for scale) | ${round(multi.none)} | ${round(multi.sync)} | | |`);
  return lines.join("\n");
}

export function measureLeanItems(sizes: DatasetSizes, seed: string): string {
  const measures = STEPS.map((step) => measureStep(step, sizes, seed));
  return leanItemsMarkdown(measures, multiTableBytesPerItem(sizes, seed));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      users: { type: "string", default: "200" },
      events: { type: "string", default: "100" },
      registrations: { type: "string", default: "1000" },
      seed: { type: "string", default: "lean" },
    },
  });
  const sizes = {
    users: Number(values.users),
    events: Number(values.events),
    registrations: Number(values.registrations),
  };
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  }
  console.log(measureLeanItems(sizes, values.seed));
}
