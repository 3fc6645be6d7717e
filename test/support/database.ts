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
  tablesWithStream,
  variantName,
} from "@tablelab/core";
import { ensureTable, startLocalCopyConsumer } from "@tablelab/core/local";
import { inject } from "vitest";

/** Every design the contract must hold for; suites run once per entry. */
export const DESIGNS: readonly TableDesign[] = TABLE_DESIGNS;

/**
 * Every (design × copies) cell of the grid: the suites that hold the contract run once per entry. Each entry
 * prints as its variant name, so `describe.each(GRID)("… %s", ({ design, copies }) => …)` names the cell
 * `single+sync`, `multi+stream`, ….
 */
export const GRID: readonly DesignVariant[] = DESIGN_VARIANTS.map((variant) =>
  Object.defineProperty({ ...variant }, "toString", { value: () => variantName(variant), enumerable: false }),
);

/** What the tests need of the stream consumer (the stream helper's `startLocalCopyConsumer` result). */
export interface TestCopyConsumer {
  waitUntilCaughtUp(timeoutMs: number): Promise<void>;
  stop(): Promise<void> | void;
}

export interface TestDatabase {
  design: TableDesign;
  copies: CopyStrategy;
  /** COPIES=stream: the consumer keeping this database's copies current (started by createTestDatabase). */
  copyConsumer?: TestCopyConsumer | undefined;
  clients: DynamoClients;
  /** TABLE_NAME for this database: the single table's name, or the multi-table design's prefix. */
  tablePrefix: string;
  tableNames: Record<string, string>;
  store: Store;
  /** A second Store on the same tables (another process's view), e.g. for cursor-secret tests. */
  storeWith(options: { cursorSecret: string }): Store;
}

export const TEST_CURSOR_SECRET = "test-cursor-secret";
/** Sockets of a test database's clients to DynamoDB Local: at most this many of its requests are in flight. */
export const TEST_MAX_SOCKETS = 32;

/** Fresh tables (named after the test file and a random suffix) on the run's DynamoDB Local. */
export async function createTestDatabase(
  design: TableDesign,
  label: string,
  copies: CopyStrategy = DEFAULT_COPIES[design],
  options: {
    /** `false` — a stream cell without its consumer, to see what the request alone writes. */
    consumer?: boolean;
    /**
     * Bulk data written before a stream cell's stream is turned on (DynamoDB Local writes a streamed table
     * several times slower): like data that predates COPIES=stream, it makes no stream records.
     */
    seed?: (tables: { clients: DynamoClients; tableNames: Record<string, string> }) => Promise<void>;
  } = {},
): Promise<TestDatabase> {
  // Tests check outcomes, not the production latency budget: on a busy 2-core machine a race of hundreds of
  // transactions queues inside DynamoDB Local far longer than the 1 s connect / 2 s per-attempt defaults
  // (DEFAULT_TIMEOUTS), and opening 100+ sockets at once makes its accept queue the bottleneck.
  const clients = createDynamoClients({
    endpoint: inject("dynamoEndpoint"),
    maxSockets: TEST_MAX_SOCKETS,
    connectionTimeoutMs: 10_000,
    requestTimeoutMs: 20_000,
  });
  const tablePrefix = `${label}-${design}-${copies}-${randomBytes(4).toString("hex")}`;
  const tableNames = defaultTableNames(design, tablePrefix);
  const streamed = tablesWithStream(design, copies);
  for (const definition of tableDefinitions(design)) {
    await ensureTable(clients.client, definition, tableNames[definition.id] as string, {
      stream: streamed.includes(definition) && !options.seed,
    });
  }
  if (options.seed) {
    await options.seed({ clients, tableNames });
    for (const definition of streamed) {
      await ensureTable(clients.client, definition, tableNames[definition.id] as string, { stream: true });
    }
  }
  const storeWith = (options: { cursorSecret: string }) =>
    createStore({ design, copies, document: clients.document, tableNames, cursorSecret: options.cursorSecret });
  const store = storeWith({ cursorSecret: TEST_CURSOR_SECRET });
  const copyConsumer =
    streamed.length === 0 || options.consumer === false
      ? undefined
      : await startLocalCopyConsumer({
          client: clients.client,
          tableNames: streamed.map((definition) => tableNames[definition.id] as string),
          keeper: store.copyKeeper,
        });
  return {
    design,
    copies,
    copyConsumer,
    clients,
    tablePrefix,
    tableNames,
    store,
    storeWith,
  };
}

/** Stops the database's consumer (if any) and its clients. */
export async function releaseTestDatabase(db: TestDatabase | undefined): Promise<void> {
  if (!db) return;
  await db.copyConsumer?.stop();
  db.clients.destroy();
}
