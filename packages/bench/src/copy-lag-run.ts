import { randomBytes } from "node:crypto";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import {
  createDynamoClients,
  createStore,
  defaultTableNames,
  type LagSummary,
  type Store,
  summarizeLag,
  type TableDesign,
  tableDefinitions,
  tablesWithStream,
} from "@tablelab/core";
import { ensureTable, startLocalCopyConsumer } from "@tablelab/core/local";

/**
 * COPIES=stream's convergence lag with the real stores and the real local consumer: per design, renames of users
 * and events that have registrations, one at a time at an interactive pace, through the Store as the API makes
 * them; the consumer (`startLocalCopyConsumer`, the same record handler as the Lambda subscriber) measures each
 * change from the write's `updatedAt` (set just before the write is sent, so the figure includes the write's own
 * round trip) to the last copy written.
 */

export interface CopyLagOptions {
  /** DynamoDB Local's endpoint; the run makes its own tables there and deletes them afterwards. */
  endpoint: string;
  designs: readonly TableDesign[];
  /** Renames per design, alternating a user's and an event's. */
  renames: number;
  /** Registrations of each renamed user and each renamed event: the copies one rename rewrites. */
  copiesPerRename: number;
  /** Pause between two renames (ms): interactive traffic, not a saturating burst. */
  intervalMs: number;
  onProgress?: (message: string) => void;
}

export interface CopyLagResult {
  design: TableDesign;
  renames: number;
  copiesPerRename: number;
  /** From each rename's write to its last copy written (ms). */
  lag: LagSummary;
  /** Whether every registration listed, after the consumer caught up, shows every user's and event's last name. */
  allCurrent: boolean;
}

/** Users and events that get renamed; each user is registered for `copiesPerRename` of the events. */
const SUBJECTS = 10;
const CAUGHT_UP_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureCopyLag(options: CopyLagOptions): Promise<CopyLagResult[]> {
  const results: CopyLagResult[] = [];
  for (const design of options.designs) results.push(await measureDesign(design, options));
  return results;
}

async function measureDesign(design: TableDesign, options: CopyLagOptions): Promise<CopyLagResult> {
  const say = options.onProgress ?? (() => {});
  const subjects = Math.max(SUBJECTS, options.copiesPerRename);
  // Generous timeouts: on a busy machine DynamoDB Local can queue a request past the local defaults.
  const clients = createDynamoClients({
    endpoint: options.endpoint,
    metrics: false,
    maxSockets: 32,
    connectionTimeoutMs: 10_000,
    requestTimeoutMs: 20_000,
  });
  const tableNames = defaultTableNames(design, `copy-lag-${design}-${randomBytes(3).toString("hex")}`);
  const streamed = tablesWithStream(design, "stream");
  let consumer: Awaited<ReturnType<typeof startLocalCopyConsumer>> | undefined;
  try {
    for (const definition of tableDefinitions(design)) {
      await ensureTable(clients.client, definition, tableNames[definition.id] as string, {
        stream: streamed.includes(definition),
      });
    }
    const store = createStore({
      design,
      copies: "stream",
      document: clients.document,
      tableNames,
      cursorSecret: "copy-lag",
    });
    consumer = await startLocalCopyConsumer({
      client: clients.client,
      tableNames: streamed.map((definition) => tableNames[definition.id] as string),
      keeper: store.copyKeeper,
    });
    say(`${design}: ${subjects} users and events, ${options.copiesPerRename} registrations each…`);
    const world = await populate(store, subjects, options.copiesPerRename);
    await consumer.waitUntilCaughtUp(CAUGHT_UP_TIMEOUT_MS);
    const before = consumer.lagSamples().length;

    say(`${design}: ${options.renames} renames, one every ${options.intervalMs} ms…`);
    for (let rename = 1; rename <= options.renames; rename++) {
      const index = Math.floor(rename / 2) % subjects;
      if (rename % 2 === 0) {
        const userId = world.users[index] as string;
        world.userNames.set(userId, `User ${index} renamed ${rename}`);
        await store.updateUser(userId, userId, { name: world.userNames.get(userId) as string });
      } else {
        const eventId = world.events[index] as string;
        world.eventNames.set(eventId, `Event ${index} renamed ${rename}`);
        await store.updateEvent(eventId, world.organizer, { name: world.eventNames.get(eventId) as string });
      }
      await sleep(options.intervalMs);
    }
    await consumer.waitUntilCaughtUp(CAUGHT_UP_TIMEOUT_MS);
    const lag = summarizeLag(consumer.lagSamples().slice(before));
    const allCurrent = await everyCopyCurrent(store, world, options.copiesPerRename);
    say(`${design}: p50 ${lag.p50} ms, p99 ${lag.p99} ms, max ${lag.max} ms over ${lag.count} renames`);
    return { design, renames: options.renames, copiesPerRename: options.copiesPerRename, lag, allCurrent };
  } finally {
    await consumer?.stop();
    for (const name of Object.values(tableNames)) {
      await clients.client.send(new DeleteTableCommand({ TableName: name })).catch(() => {});
    }
    clients.destroy();
  }
}

interface World {
  organizer: string;
  users: string[];
  events: string[];
  userNames: Map<string, string>;
  eventNames: Map<string, string>;
}

/** `subjects` users and events; user i registers for events i … i + copies − 1 (mod subjects). */
async function populate(store: Store, subjects: number, copies: number): Promise<World> {
  const organizer = await store.createUser({ email: "organizer@example.com", name: "Organizer" });
  const users = await Promise.all(
    Array.from({ length: subjects }, (_, index) =>
      store.createUser({ email: `user${index}@example.com`, name: `User ${index}` }),
    ),
  );
  const events = await Promise.all(
    Array.from({ length: subjects }, (_, index) =>
      store.createEvent(organizer.userId, {
        name: `Event ${index}`,
        date: "2030-06-15",
        venue: "Main hall",
        capacity: copies,
      }),
    ),
  );
  for (const [index, user] of users.entries()) {
    await Promise.all(
      Array.from({ length: copies }, (_, offset) =>
        store.register((events[(index + offset) % subjects] as (typeof events)[number]).eventId, user.userId),
      ),
    );
  }
  return {
    organizer: organizer.userId,
    users: users.map((user) => user.userId),
    events: events.map((event) => event.eventId),
    userNames: new Map(users.map((user) => [user.userId, user.name])),
    eventNames: new Map(events.map((event) => [event.eventId, event.name])),
  };
}

/** Every event's registrations (one page holds them all) show the attendee's and the event's last name. */
async function everyCopyCurrent(store: Store, world: World, copies: number): Promise<boolean> {
  for (const eventId of world.events) {
    const { items } = await store.listRegistrations(eventId, { limit: 100 });
    if (items.length !== copies) return false;
    for (const registration of items) {
      if (registration.event.name !== world.eventNames.get(eventId)) return false;
      if (registration.user.name !== world.userNames.get(registration.userId)) return false;
    }
  }
  return true;
}
