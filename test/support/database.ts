import { randomBytes } from "node:crypto";
import {
  createDynamoClients,
  type DynamoClients,
  SingleTableStore,
  type Store,
  singleTable,
  type TableDesign,
} from "@tablelab/core";
import { ensureTable } from "@tablelab/core/local";
import { inject } from "vitest";

export const DESIGNS: TableDesign[] = ["single"];

export interface TestDatabase {
  clients: DynamoClients;
  tableName: string;
  store: Store;
}

/** A fresh table (named after the test file and a random suffix) on the run's DynamoDB Local. */
export async function createTestDatabase(design: TableDesign, label: string): Promise<TestDatabase> {
  const clients = createDynamoClients({ endpoint: inject("dynamoEndpoint"), maxSockets: 128 });
  const tableName = `${label}-${design}-${randomBytes(4).toString("hex")}`;
  await ensureTable(clients.client, singleTable, tableName);
  const store = new SingleTableStore({ document: clients.document, tableName, cursorSecret: "test-cursor-secret" });
  return { clients, tableName, store };
}
