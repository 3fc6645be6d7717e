import {
  createDynamoClients,
  createStore,
  type DesignVariant,
  type DynamoClients,
  defaultTableNames,
  tableDefinitions,
  tablesWithStream,
} from "@tablelab/core";
import {
  type DynamoDbLocal,
  ensureTable,
  type LocalCopyConsumer,
  startDynamoDbLocal,
  startLocalCopyConsumer,
} from "@tablelab/core/local";

/** TABLE_NAME of the baselines' tables (the single table's name), and of the API's when it reads the same items. */
export const TABLE_PREFIX = "bench";
export const JWT_SECRET = "bench-secret-not-for-production";
export const ATTENDEES = 10;
/** What the baselines read: the single table with copies on its registrations, as `sync` writes them. */
export const BASELINE_CELL: DesignVariant = { design: "single", copies: "sync" };
/** How long the consumer may take to reach the end of the streams before the load starts. */
const CATCH_UP_MS = 60_000;

/** Where one cell's seed lives: its tables and the event every benchmark request reads. */
export interface SeededCell {
  /** TABLE_NAME: the single table's name, or the multi-table design's prefix. */
  tablePrefix: string;
  eventId: string;
}

export interface BenchDatabase {
  local: DynamoDbLocal;
  clients: DynamoClients;
  baseline: SeededCell;
  /** The API's tables; the baseline's own when the API's items are what the baselines read (bodies compared). */
  api: SeededCell & { sharesBaselineItems: boolean };
  stop(): Promise<void>;
}

/**
 * The single table's items are the same under `sync` and `stream` (the strategies differ in who rewrites copies,
 * not in what a registration holds), so the API reads the baselines' very items there; under `none` its
 * registrations hold no names, and the other design has other tables.
 */
function sharesBaselineItems(api: DesignVariant): boolean {
  return api.design === BASELINE_CELL.design && api.copies !== "none";
}

/**
 * Tables of one cell and one event with ATTENDEES registrations, written through the Store; a stream cell's streams
 * are turned on after the seed (DynamoDB Local writes a streamed table several times slower, and data that
 * predates the stream needs no consumer: its copies were written with it).
 */
async function seedCell(clients: DynamoClients, cell: DesignVariant, tablePrefix: string): Promise<SeededCell> {
  const tableNames = defaultTableNames(cell.design, tablePrefix);
  for (const definition of tableDefinitions(cell.design)) {
    await ensureTable(clients.client, definition, tableNames[definition.id] as string);
  }
  const store = createStore({ ...cell, document: clients.document, tableNames, cursorSecret: JWT_SECRET });
  const organizer = await store.createUser({ email: "organizer@example.com", name: "Organizer" });
  const event = await store.createEvent(organizer.userId, {
    name: "Benchmarks, measured",
    description: "The event every benchmark request reads.",
    venue: "Main hall",
    date: "2030-06-15",
    capacity: 100,
  });
  for (let i = 0; i < ATTENDEES; i++) {
    const user = await store.createUser({ email: `attendee${i}@example.com`, name: `Attendee ${i}` });
    await store.register(event.eventId, user.userId);
  }
  for (const definition of tablesWithStream(cell.design, cell.copies)) {
    await ensureTable(clients.client, definition, tableNames[definition.id] as string, { stream: true });
  }
  return { tablePrefix, eventId: event.eventId };
}

/**
 * COPIES=stream: the local consumer of the API's table streams, as `pnpm dev` runs it (the API process only writes
 * originals), caught up before any load so that its start does not overlap the measurement.
 */
async function startCopyConsumer(clients: DynamoClients, api: DesignVariant, tablePrefix: string) {
  const tableNames = defaultTableNames(api.design, tablePrefix);
  const consumer = await startLocalCopyConsumer({
    client: clients.client,
    tableNames: tablesWithStream(api.design, api.copies).map((table) => tableNames[table.id] as string),
    keeper: createStore({ ...api, document: clients.document, tableNames, cursorSecret: JWT_SECRET }).copyKeeper,
  });
  try {
    await consumer.waitUntilCaughtUp(CATCH_UP_MS);
  } catch (error) {
    await consumer.stop();
    throw error;
  }
  return consumer;
}

/**
 * A DynamoDB Local of its own (in memory, a free port), the baselines' tables and the API's cell, each seeded
 * with one event and ATTENDEES registrations written through the Store as the API would write them; for a stream
 * cell, the local stream consumer, stopped by `stop()` before the database.
 */
export async function startDatabase(api: DesignVariant): Promise<BenchDatabase> {
  const local = await startDynamoDbLocal({ maxHeap: "512m" });
  const clients = createDynamoClients({ endpoint: local.endpoint, metrics: false });
  let consumer: LocalCopyConsumer | undefined;
  const stop = async () => {
    await consumer?.stop();
    clients.destroy();
    await local.stop();
  };
  try {
    const shared = sharesBaselineItems(api);
    // Seeded under the API's strategy when shared: a stream cell's table gets its stream.
    const baseline = await seedCell(clients, shared ? api : BASELINE_CELL, TABLE_PREFIX);
    const apiCell = shared ? baseline : await seedCell(clients, api, `${TABLE_PREFIX}-api`);
    if (api.copies === "stream") consumer = await startCopyConsumer(clients, api, apiCell.tablePrefix);
    return { local, clients, baseline, api: { ...apiCell, sharesBaselineItems: shared }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
