import { addDays, daysBetween, type Event, type StoredUser } from "@tablelab/core";
import { Random, seededUlid } from "./random.js";

/**
 * The domain data set both designs are seeded with: generated once from `--seed`, as plain domain objects, and
 * then written into each design by its own item builders (seed/items.ts).
 */
export interface DatasetSizes {
  users: number;
  events: number;
  registrations: number;
}

/** A registration as the domain knows it; each design adds the copies it keeps when it builds its item. */
export interface SeedRegistration {
  eventId: string;
  userId: string;
  registeredAt: string;
}

export interface Dataset {
  users: StoredUser[];
  events: Event[];
  registrations: SeedRegistration[];
  /** The first and last day events fall on: AP7's ranges are drawn from it. */
  firstDay: string;
  lastDay: string;
  /** The clock the data set ends at; workloads continue from it. */
  endsAt: number;
}

/** Fixed, so the data set never depends on the day of the run. */
export const DATASET_START = Date.UTC(2026, 0, 1);
export const FIRST_EVENT_DAY = "2027-01-01";
/** Events fall on the 12 months from FIRST_EVENT_DAY (exclusive end). */
const END_EVENT_DAY = "2028-01-01";
/** Share of events with a small capacity that the generator fills up ("some events full"). */
const FULL_SHARE = 0.08;

const FIRST = ["Ada", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Radia", "Edsger", "Frances"];
const MORE = ["Tim", "Hedy", "Alan", "Donald", "Leslie", "Niklaus", "Sophie", "Katherine", "John", "Anita"];
const LAST = ["Lovelace", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie", "Perlman", "Dijkstra"];
const TOPICS = [
  "Single-table design",
  "DynamoDB streams",
  "Serverless patterns",
  "Event sourcing",
  "Cost modelling",
  "TypeScript at scale",
  "Observability",
  "Data modelling workshop",
  "Edge computing",
  "Infrastructure as code",
];
const VENUES = ["Main hall", "Room 2", "Online", "Auditorium B", "Community centre, 2nd floor"];
const WORDS = ["practical", "hands-on", "deep", "dive", "into", "patterns", "pitfalls", "with", "live", "demos", "and"];

function sentence(random: Random, words: number): string {
  const parts = Array.from({ length: words }, () => random.pick(WORDS));
  const text = parts.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export function generateDataset(sizes: DatasetSizes, seed: number | string): Dataset {
  const random = Random.derive(seed, "dataset");
  const newId = seededUlid(Random.derive(seed, "dataset/ids"));
  let clock = DATASET_START;
  const tick = (ms: number) => {
    clock += ms;
    return clock;
  };

  const users: StoredUser[] = [];
  for (let index = 0; index < sizes.users; index++) {
    const time = tick(random.int(1, 60_000));
    const first = random.pick(index % 2 === 0 ? FIRST : MORE);
    const last = random.pick(LAST);
    const createdAt = new Date(time).toISOString();
    users.push({
      userId: newId(time),
      name: `${first} ${last}`,
      email: `${first}.${last}.${index}@example.com`.toLowerCase(),
      createdAt,
      updatedAt: createdAt,
    });
  }

  // A fifth of the users organize events; some organize many.
  const organizers = users.slice(0, Math.max(1, Math.round(users.length / 5)));
  const days = daysBetween(FIRST_EVENT_DAY, END_EVENT_DAY);
  const lastDay = addDays(FIRST_EVENT_DAY, days - 1);
  const events: Event[] = [];
  const small = new Set<number>();
  for (let index = 0; index < sizes.events; index++) {
    const time = tick(random.int(1, 60_000));
    const createdAt = new Date(time).toISOString();
    const isSmall = random.chance(FULL_SHARE);
    if (isSmall) small.add(index);
    const description = random.chance(0.6) ? sentence(random, random.int(8, 40)) : undefined;
    const venue = random.chance(0.75) ? random.pick(VENUES) : undefined;
    events.push({
      eventId: newId(time),
      organizerId: random.pick(organizers).userId,
      name: `${random.pick(TOPICS)} #${index + 1}`,
      ...(description !== undefined && { description }),
      ...(venue !== undefined && { venue }),
      date: addDays(FIRST_EVENT_DAY, random.int(0, days - 1)),
      capacity: isSmall ? random.int(3, 12) : random.int(20, 150),
      registeredCount: 0,
      version: 1,
      createdAt,
      updatedAt: createdAt,
    });
  }

  // Registrations: fill the small events first (they end up full), then spread the rest with a skew towards
  // popular events, never twice per user and event, never past capacity.
  const registrations: SeedRegistration[] = [];
  const taken = new Set<string>();
  const register = (event: Event, user: StoredUser): boolean => {
    const key = `${event.eventId}/${user.userId}`;
    if (taken.has(key) || event.registeredCount >= event.capacity) return false;
    taken.add(key);
    event.registeredCount += 1;
    const time = tick(random.int(1, 5_000));
    registrations.push({ eventId: event.eventId, userId: user.userId, registeredAt: new Date(time).toISOString() });
    return true;
  };
  const budget = sizes.registrations;
  for (const index of small) {
    const event = events[index] as Event;
    for (let attempt = 0; event.registeredCount < event.capacity && attempt < event.capacity * 4; attempt++) {
      if (registrations.length >= budget || users.length === 0) break;
      register(event, random.pick(users));
    }
  }
  const open = events.filter((event) => event.registeredCount < event.capacity);
  for (let attempt = 0; registrations.length < budget && attempt < budget * 20 && open.length > 0; attempt++) {
    // Skew: squaring a uniform draw favours the front of the list (the "popular" events).
    const event = open[Math.floor(random.next() ** 2 * open.length)] as Event;
    register(event, random.pick(users));
  }

  return { users, events, registrations, firstDay: FIRST_EVENT_DAY, lastDay, endsAt: tick(60_000) };
}
