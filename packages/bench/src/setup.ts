import {
  createDynamoClients,
  createStore,
  type DynamoClients,
  defaultTableNames,
  type TableDesign,
  tableDefinitions,
} from "@tablelab/core";
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from "@tablelab/core/local";

/** TABLE_NAME of the benchmark's tables: the single table's name, the multi-table design's prefix. */
export const TABLE_PREFIX = "bench";
export const JWT_SECRET = "bench-secret-not-for-production";
export const ATTENDEES = 10;

export interface BenchDatabase {
  local: DynamoDbLocal;
  clients: DynamoClients;
  /** The seeded event per design (its id and the JSON the API answers with). */
  events: Partial<Record<TableDesign, string>>;
  stop(): Promise<void>;
}

/**
 * A DynamoDB Local of its own (in memory, a free port), the tables of the given designs, and per design one
 * event with ATTENDEES registrations, written through the Store as the API would write them.
 */
export async function startDatabase(designs: readonly TableDesign[]): Promise<BenchDatabase> {
  const local = await startDynamoDbLocal({ maxHeap: "512m" });
  const clients = createDynamoClients({ endpoint: local.endpoint, metrics: false });
  const events: Partial<Record<TableDesign, string>> = {};
  try {
    for (const design of designs) {
      const tableNames = defaultTableNames(design, TABLE_PREFIX);
      for (const definition of tableDefinitions(design)) {
        await ensureTable(clients.client, definition, tableNames[definition.id] as string);
      }
      const store = createStore({ design, document: clients.document, tableNames, cursorSecret: JWT_SECRET });
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
      events[design] = event.eventId;
    }
  } catch (error) {
    clients.destroy();
    await local.stop();
    throw error;
  }
  return {
    local,
    clients,
    events,
    async stop() {
      clients.destroy();
      await local.stop();
    },
  };
}
