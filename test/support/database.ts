import { randomBytes } from "node:crypto";
import {
  type CopyStrategy,
  createDynamoClients,
  createStore,
  DEFAULT_COPIES,
  DESIGN_VARIANTS,
  type DesignVariant,
  type DynamoClients,
  defaultTableNames,
  type Store,
  TABLE_DESIGNS,
  type TableDesign,
  tableDefinitions,
} from "@tablelab/core";
import { ensureTable } from "@tablelab/core/local";
import { inject } from "vitest";

/** Every design the contract must hold for; suites run once per entry. */
export const DESIGNS: readonly TableDesign[] = TABLE_DESIGNS;

/** Every (design × copies) cell of the grid: the suites that hold the contract run once per entry. */
export const GRID: readonly DesignVariant[] = DESIGN_VARIANTS;

export interface TestDatabase {
  design: TableDesign;
  copies: CopyStrategy;
  clients: DynamoClients;
  /** TABLE_NAME for this database: the single table's name, or the multi-table design's prefix. */
  tablePrefix: string;
  tableNames: Record<string, string>;
  store: Store;
  /** A second Store on the same tables (another process's view), e.g. for cursor-secret tests. */
  storeWith(options: { cursorSecret: string }): Store;
}

export const TEST_CURSOR_SECRET = "test-cursor-secret";

/** Fresh tables (named after the test file and a random suffix) on the run's DynamoDB Local. */
export async function createTestDatabase(
  design: TableDesign,
  label: string,
  copies: CopyStrategy = DEFAULT_COPIES[design],
): Promise<TestDatabase> {
  // Tests check outcomes, not the production latency budget: on a busy 2-core machine a race of hundreds of
  // transactions queues inside DynamoDB Local far longer than the 1 s connect / 2 s per-attempt defaults
  // (DEFAULT_TIMEOUTS), and opening 100+ sockets at once makes its accept queue the bottleneck.
  const clients = createDynamoClients({
    endpoint: inject("dynamoEndpoint"),
    maxSockets: 32,
    connectionTimeoutMs: 10_000,
    requestTimeoutMs: 20_000,
  });
  const tablePrefix = `${label}-${design}-${copies}-${randomBytes(4).toString("hex")}`;
  const tableNames = defaultTableNames(design, tablePrefix);
  for (const definition of tableDefinitions(design)) {
    await ensureTable(clients.client, definition, tableNames[definition.id] as string);
  }
  const storeWith = (options: { cursorSecret: string }) =>
    createStore({ design, copies, document: clients.document, tableNames, cursorSecret: options.cursorSecret });
  return {
    design,
    copies,
    clients,
    tablePrefix,
    tableNames,
    store: storeWith({ cursorSecret: TEST_CURSOR_SECRET }),
    storeWith,
  };
}
