import { randomBytes } from "node:crypto";
import {
  createDynamoClients,
  createStore,
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

export interface TestDatabase {
  design: TableDesign;
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
export async function createTestDatabase(design: TableDesign, label: string): Promise<TestDatabase> {
  const clients = createDynamoClients({ endpoint: inject("dynamoEndpoint"), maxSockets: 128 });
  const tablePrefix = `${label}-${design}-${randomBytes(4).toString("hex")}`;
  const tableNames = defaultTableNames(design, tablePrefix);
  for (const definition of tableDefinitions(design)) {
    await ensureTable(clients.client, definition, tableNames[definition.id] as string);
  }
  const storeWith = (options: { cursorSecret: string }) =>
    createStore({ design, document: clients.document, tableNames, cursorSecret: options.cursorSecret });
  return {
    design,
    clients,
    tablePrefix,
    tableNames,
    store: storeWith({ cursorSecret: TEST_CURSOR_SECRET }),
    storeWith,
  };
}
