import {
  AlreadyRegisteredError,
  addDays,
  createDynamoClients,
  createStore,
  type Event,
  EventFullError,
  NotFoundError,
  type Store,
  type StoredUser,
  today,
} from "@tablelab/core";
import { cli, resolveScriptTarget, runScript, TARGET_HELP } from "./local.js";

/**
 * `pnpm seed`: a small, predictable demo data set: 12 users (ada@example.com, grace@example.com, …), 24 events
 * over the next six months organized by the first four, and registrations (some events full). Idempotent:
 * what exists already (a user by email, an event by organizer and name, a registration) is kept, never
 * duplicated, so a re-run only fills in what is missing.
 */
const DEMO_NAMES = [
  "Ada",
  "Grace",
  "Linus",
  "Barbara",
  "Ken",
  "Margaret",
  "Dennis",
  "Radia",
  "Edsger",
  "Frances",
  "Tim",
  "Hedy",
];
const TOPICS = [
  "Single-table design",
  "DynamoDB streams",
  "Hono on Lambda",
  "SST live dev",
  "ElectroDB",
  "Cost modelling",
];
const VENUES = ["Main hall", "Room 2", "Online", undefined];
const EVENT_COUNT = 24;

cli("seed")
  .description(
    `Seeds a predictable demo data set: ${DEMO_NAMES.length} users (${DEMO_NAMES.slice(0, 2)
      .map((name) => `${name.toLowerCase()}@example.com`)
      .join(", ")}, …), ${EVENT_COUNT} events over the next six months, registrations. ` +
      "Re-running it adds only what is missing.",
  )
  .addHelpText("after", TARGET_HELP)
  .parse();

async function demoUser(store: Store, name: string): Promise<{ user: StoredUser; created: boolean }> {
  const email = `${name.toLowerCase()}@example.com`;
  try {
    return { user: await store.findUserByEmail(email), created: false };
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  return { user: await store.createUser({ name, email }), created: true };
}

async function eventsOf(store: Store, userId: string): Promise<Map<string, Event>> {
  const byName = new Map<string, Event>();
  let cursor: string | undefined;
  do {
    const page = await store.listEventsByOrganizer(userId, { limit: 100, cursor });
    for (const event of page.items) byName.set(event.name, event);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return byName;
}

runScript(async () => {
  const { config, jwtSecret, where } = await resolveScriptTarget();
  const clients = createDynamoClients(config.dynamo);
  const store = createStore({ ...config, document: clients.document, cursorSecret: jwtSecret });
  const added = { users: 0, events: 0, registrations: 0 };
  try {
    const users: StoredUser[] = [];
    for (const name of DEMO_NAMES) {
      const { user, created } = await demoUser(store, name);
      users.push(user);
      if (created) added.users++;
    }
    const organizers = users.slice(0, 4);
    const existing = await Promise.all(organizers.map((organizer) => eventsOf(store, organizer.userId)));
    const events: Event[] = [];
    for (let index = 0; index < EVENT_COUNT; index++) {
      const organizer = organizers[index % organizers.length] as StoredUser;
      const name = `${TOPICS[index % TOPICS.length]} #${index + 1}`;
      const found = existing[index % organizers.length]?.get(name);
      if (found) {
        events.push(found);
        continue;
      }
      const venue = VENUES[index % VENUES.length];
      events.push(
        await store.createEvent(organizer.userId, {
          name,
          date: addDays(today(), 3 + index * 7),
          capacity: index % 5 === 0 ? 3 : 20,
          description: "A demo event created by `pnpm seed`.",
          ...(venue ? { venue } : {}),
        }),
      );
      added.events++;
    }
    for (const [index, event] of events.entries()) {
      for (const user of users.slice(4, 4 + (index % 8) + 1)) {
        try {
          await store.register(event.eventId, user.userId);
          added.registrations++;
        } catch (error) {
          if (!(error instanceof EventFullError || error instanceof AlreadyRegisteredError)) throw error;
        }
      }
    }
  } finally {
    clients.destroy();
  }
  console.log(
    `seeded ${config.design} design on ${where}: added ${added.users} users, ${added.events} events, ` +
      `${added.registrations} registrations (the rest existed already)`,
  );
  console.log("sign in as a demo user with: pnpm mint-token ada@example.com");
  return 0;
});
