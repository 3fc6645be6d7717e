import type { CopyStrategy } from "../copies/strategy.js";
import type { TableDesign } from "../store.js";
import {
  eventsTable,
  idempotencyTable,
  multiTables,
  singleTable,
  type TableDefinition,
  usersTable,
} from "./definition.js";

/**
 * The switch between the two designs (`TABLE_DESIGN=single|multi`). Composition roots (dev server, Lambda,
 * tests, comparison) call only this: which tables a design needs, and the Store that serves it.
 */
export const TABLE_DESIGNS = ["single", "multi"] as const satisfies readonly TableDesign[];

export function parseTableDesign(value: string | undefined): TableDesign {
  const design = value ?? "single";
  if ((TABLE_DESIGNS as readonly string[]).includes(design)) return design as TableDesign;
  throw new Error(`TABLE_DESIGN must be one of ${TABLE_DESIGNS.join(", ")} (got "${design}")`);
}

/** The table definitions a design needs, each keyed by its logical id (`Table`; `Users`, `Emails`, …). */
export function tableDefinitions(design: TableDesign): TableDefinition[] {
  switch (design) {
    case "single":
      return [singleTable];
    case "multi":
      return [...multiTables];
    default:
      throw new Error(`no tables defined for design ${design}`);
  }
}

/**
 * The tables whose stream a design's copy consumer reads (COPIES=stream), with old and new images: the tables
 * holding the originals that registrations copy. Single: the one table (registrations' own records pass through
 * the consumer and are ignored). Multi: users and events; registrations, emails and idempotency records are never
 * copied, so their tables need no stream. Other strategies need no stream at all.
 */
export function tablesWithStream(design: TableDesign, copies: CopyStrategy): TableDefinition[] {
  if (copies !== "stream") return [];
  switch (design) {
    case "single":
      return [singleTable];
    case "multi":
      return [usersTable, eventsTable];
    default:
      throw new Error(`no streamed tables defined for design ${design}`);
  }
}

/**
 * Physical names: `<prefix>` for the single table; `<prefix>-<id in lower case>` for designs with several
 * (`app-users`, `app-events`, …). Lower case because DynamoDB Local folds table-name case: two names differing
 * only in case would collide there.
 */
export function defaultTableNames(design: TableDesign, prefix: string): Record<string, string> {
  const definitions = tableDefinitions(design);
  return Object.fromEntries(
    definitions.map((definition) => [
      definition.id,
      definitions.length === 1 ? prefix : `${prefix}-${definition.id.toLowerCase()}`,
    ]),
  );
}

/** Where a design keeps the API's idempotency records: which table, and how a record's key is laid out. */
export interface IdempotencyLayout {
  tableId: string;
  keyAttribute: string;
  /** For a composite primary key: the sort key attribute and the constant every record stores in it. */
  sortKey?: { attribute: string; value: string };
}

export function idempotencyLayout(design: TableDesign): IdempotencyLayout {
  switch (design) {
    case "single":
      return {
        tableId: singleTable.id,
        keyAttribute: singleTable.primaryIndex.hashKey,
        sortKey: { attribute: singleTable.primaryIndex.rangeKey, value: "IDEMPOTENCY" },
      };
    case "multi":
      return { tableId: idempotencyTable.id, keyAttribute: idempotencyTable.primaryIndex.hashKey };
    default:
      throw new Error(`no idempotency layout for design ${design}`);
  }
}
