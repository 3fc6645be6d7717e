import { addDays, createDynamoClients, createStore, EventFullError, today } from "@tablelab/core";
import { loadConfig } from "../src/config.js";
import { localEndpoint, localJwtSecret } from "./local.js";

/**
 * `pnpm seed`: a small demo data set in the running setup (started by `pnpm dev`, or DYNAMODB_ENDPOINT):
 * 12 users, 24 events over the next six months, and registrations — some events full.
 */
const NAMES = [
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

async function main() {
  const secret = localJwtSecret();
  const config = loadConfig({ ...process.env, DYNAMODB_ENDPOINT: localEndpoint() });
  const clients = createDynamoClients(config.dynamo);
  const store = createStore({ ...config, document: clients.document, cursorSecret: secret });
  const run = Date.now().toString(36);

  const users = [];
  for (const [index, name] of NAMES.entries()) {
    users.push(await store.createUser({ name, email: `${name.toLowerCase()}.${run}@example.com` }));
    if (index === 0) console.log(`first user: ${users[0]?.userId} (pnpm token ${users[0]?.userId})`);
  }
  const events = [];
  for (let index = 0; index < 24; index++) {
    const organizer = users[index % 4];
    if (!organizer) continue;
    const venue = VENUES[index % VENUES.length];
    events.push(
      await store.createEvent(organizer.userId, {
        name: `${TOPICS[index % TOPICS.length]} #${index + 1}`,
        date: addDays(today(), 3 + index * 7),
        capacity: index % 5 === 0 ? 3 : 20,
        description: "A demo event created by `pnpm seed`.",
        ...(venue ? { venue } : {}),
      }),
    );
  }
  let registrations = 0;
  for (const [index, event] of events.entries()) {
    for (const user of users.slice(4, 4 + (index % 8) + 1)) {
      try {
        await store.register(event.eventId, user.userId);
        registrations++;
      } catch (error) {
        if (!(error instanceof EventFullError)) throw error;
      }
    }
  }
  clients.destroy();
  console.log(
    `seeded ${users.length} users, ${events.length} events, ${registrations} registrations (${config.design} design)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
