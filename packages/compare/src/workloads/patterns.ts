import { addDays, type Event, type Store, type StoredUser } from "@tablelab/core";
import type { SeedRegistration } from "../dataset.js";
import type { Random } from "../random.js";
import { PATTERNS, type PatternId, type PlanContext, type PlannedOp, type Workload, walkAll } from "./types.js";

/**
 * AP1–AP16 as workloads. Each operation is independent and realistic: reads pick random existing ids; writes
 * create new entities (AP3, AP5), update (AP4, AP10 with If-Match), delete events created for the purpose (AP11),
 * register on events with free seats (AP12) and cancel existing registrations (AP13). Writes that change state
 * target distinct entities, so running them concurrently, in any order, gives the same requests and capacity.
 * Patterns run one after another in id order, each on the state the previous ones left, identically per design.
 */

/** Full walks per paginated pattern (measured apart from the one-page operations). */
const WALKS = 10;

const pad = (n: number) => String(n).padStart(5, "0");

/** `n` distinct picks (fewer if there are not that many): state-changing operations never share a target. */
function distinct<T>(random: Random, items: readonly T[], n: number): T[] {
  return random.shuffle(items).slice(0, n);
}

/** `n` picks with replacement: reads may well hit the same item twice. */
function sample<T>(random: Random, items: readonly T[], n: number): T[] {
  return Array.from({ length: n }, () => random.pick(items));
}

function organizersOf(events: readonly Event[], users: readonly StoredUser[]): StoredUser[] {
  const ids = new Set(events.map((event) => event.organizerId));
  return users.filter((user) => ids.has(user.userId));
}

function registeredEvents(events: readonly Event[]): Event[] {
  return events.filter((event) => event.registeredCount > 0);
}

type Definition = (context: PlanContext) => ReturnType<Workload["plan"]>;

const definitions: Record<PatternId, Definition> = {
  AP1: ({ dataset, random, ops }) => ({
    ops: sample(random, dataset.users, ops).map((user) => ({
      run: async (store) => {
        await store.getUser(user.userId);
        return { items: 1 };
      },
    })),
  }),

  AP2: ({ dataset, random, ops }) => ({
    ops: sample(random, dataset.users, ops).map((user) => ({
      run: async (store) => {
        await store.findUserByEmail(user.email);
        return { items: 1 };
      },
    })),
  }),

  AP3: ({ ops }) => ({
    ops: Array.from({ length: ops }, (_, index) => ({
      run: async (store) => {
        await store.createUser({ name: `Newcomer ${pad(index)}`, email: `newcomer.${pad(index)}@example.com` });
        return { items: 1 };
      },
    })),
  }),

  // Three renames for each email change: a rename is what fans out to copies (single-table keeps the attendee's
  // name on each registration); an email change swaps the uniqueness marker in a transaction.
  // `items`: the user's registrations, which a rename may copy onto (the fan-out the mix model scales).
  AP4: ({ dataset, random, ops }) => {
    const perUser = new Map<string, number>();
    for (const r of dataset.registrations) perUser.set(r.userId, (perUser.get(r.userId) ?? 0) + 1);
    return {
      ops: distinct(random, dataset.users, ops).map((user, index): PlannedOp => {
        const email = index % 4 === 3;
        const registrations = perUser.get(user.userId) ?? 0;
        return {
          subCase: email ? "email change" : "rename",
          run: async (store) => {
            await store.updateUser(
              user.userId,
              user.userId,
              email ? { email: `moved.${pad(index)}@example.org` } : { name: `Renamed ${pad(index)}` },
            );
            return { items: registrations };
          },
        };
      }),
    };
  },

  AP5: ({ dataset, random, ops }) => ({
    ops: Array.from({ length: ops }, (_, index) => {
      const organizer = random.pick(organizersOf(dataset.events, dataset.users).concat(dataset.users.slice(0, 1)));
      const date = addDays(dataset.firstDay, random.int(0, 364));
      const capacity = random.int(20, 150);
      const venue = random.chance(0.75) ? "Main hall" : undefined;
      return {
        run: async (store: Store) => {
          await store.createEvent(organizer.userId, {
            name: `New event ${pad(index)}`,
            date,
            capacity,
            description: "Created by the comparison workload.",
            ...(venue !== undefined && { venue }),
          });
          return { items: 1 };
        },
      };
    }),
  }),

  AP6: ({ dataset, random, ops }) => ({
    ops: sample(random, dataset.events, ops).map((event) => ({
      run: async (store) => {
        await store.getEvent(event.eventId);
        return { items: 1 };
      },
    })),
  }),

  // A 30-day window anywhere in the 12 months; one page (the API's default size) per operation.
  AP7: ({ dataset, random, ops, pageSize }) => {
    const ranges = Array.from({ length: ops }, () => {
      const from = addDays(dataset.firstDay, random.int(0, 364 - 29));
      return { from, to: addDays(from, 29) };
    });
    return {
      ops: ranges.map((range) => ({
        run: async (store) => ({ items: (await store.listEventsByDate(range, { limit: pageSize })).items.length }),
      })),
      walks: ranges
        .slice(0, WALKS)
        .map((range) => (store) => walkAll((cursor) => store.listEventsByDate(range, { limit: pageSize, cursor }))),
    };
  },

  AP8: ({ dataset, random, ops, pageSize }) => {
    const users = sample(random, organizersOf(dataset.events, dataset.users), ops);
    return {
      ops: users.map((user) => ({
        run: async (store) => ({
          items: (await store.listEventsByOrganizer(user.userId, { limit: pageSize })).items.length,
        }),
      })),
      walks: users
        .slice(0, WALKS)
        .map(
          (user) => (store) =>
            walkAll((cursor) => store.listEventsByOrganizer(user.userId, { limit: pageSize, cursor })),
        ),
    };
  },

  AP9: ({ dataset, random, ops, pageSize }) => ({
    ops: sample(random, organizersOf(dataset.events, dataset.users), ops).map((user) => ({
      run: async (store) => ({
        items: 1 + (await store.getUserWithEvents(user.userId, { limit: pageSize })).events.items.length,
      }),
    })),
  }),

  // If-Match: the prepare step reads the event (its ETag) without being measured, as a client would have.
  // One in three renames (single-table copies the name onto every registration), one in three moves the date
  // (both designs copy the date onto registrations), one in three raises the capacity (no copies).
  AP10: ({ dataset, random, ops }) => ({
    ops: distinct(random, dataset.events, ops).map((event, index): PlannedOp => {
      const subCase = (["rename", "capacity", "date"] as const)[index % 3] ?? "rename";
      return {
        subCase,
        prepare: async (store) => (await store.getEvent(event.eventId)).version,
        run: async (store, version) => {
          const changes =
            subCase === "rename"
              ? { name: `Renamed event ${pad(index)}` }
              : subCase === "capacity"
                ? { capacity: event.capacity + 10 }
                : { date: addDays(event.date, 7) };
          await store.updateEvent(event.eventId, event.organizerId, changes, version as number);
          return { items: event.registeredCount };
        },
      };
    }),
  }),

  // Events created for the purpose (unmeasured), each with 1–5 registrations, then deleted (measured).
  AP11: ({ dataset, random, ops }) => ({
    ops: Array.from({ length: ops }, (_, index): PlannedOp => {
      const organizer = random.pick(dataset.users);
      const attendees = distinct(random, dataset.users, 1 + (index % 5));
      const date = addDays(dataset.firstDay, random.int(0, 364));
      return {
        prepare: async (store) => {
          const event = await store.createEvent(organizer.userId, {
            name: `Doomed event ${pad(index)}`,
            date,
            capacity: 10,
          });
          for (const attendee of attendees) await store.register(event.eventId, attendee.userId);
          return event.eventId;
        },
        run: async (store, eventId) => {
          await store.deleteEvent(eventId as string, organizer.userId);
          return { items: 1 + attendees.length };
        },
      };
    }),
  }),

  // Distinct events with free seats (never full, so the figures are those of a successful registration), each
  // with a user not yet registered for it.
  AP12: ({ dataset, random, ops }) => {
    const taken = new Set(dataset.registrations.map((r) => `${r.eventId}/${r.userId}`));
    const open = dataset.events.filter((event) => event.registeredCount < event.capacity);
    const pairs: Array<{ event: Event; user: StoredUser }> = [];
    for (const event of distinct(random, open, ops)) {
      for (let attempt = 0; attempt < 50; attempt++) {
        const user = random.pick(dataset.users);
        if (taken.has(`${event.eventId}/${user.userId}`)) continue;
        taken.add(`${event.eventId}/${user.userId}`);
        pairs.push({ event, user });
        break;
      }
    }
    return {
      ops: pairs.map(({ event, user }) => ({
        run: async (store) => {
          await store.register(event.eventId, user.userId);
          return { items: 1 };
        },
      })),
    };
  },

  AP13: ({ dataset, random, ops }) => ({
    ops: distinct<SeedRegistration>(random, dataset.registrations, ops).map((registration) => ({
      run: async (store) => {
        await store.cancelRegistration(registration.eventId, registration.userId, registration.userId);
        return { items: 1 };
      },
    })),
  }),

  AP14: ({ dataset, random, ops, pageSize }) => {
    const events = sample(random, registeredEvents(dataset.events), ops);
    return {
      ops: events.map((event) => ({
        run: async (store) => ({
          items: (await store.listRegistrations(event.eventId, { limit: pageSize })).items.length,
        }),
      })),
      walks: events
        .slice(0, WALKS)
        .map(
          (event) => (store) =>
            walkAll((cursor) => store.listRegistrations(event.eventId, { limit: pageSize, cursor })),
        ),
    };
  },

  AP15: ({ dataset, random, ops, pageSize }) => ({
    ops: sample(random, registeredEvents(dataset.events), ops).map((event) => ({
      run: async (store) => ({
        items: 1 + (await store.getEventWithAttendees(event.eventId, { limit: pageSize })).attendees.items.length,
      }),
    })),
  }),

  AP16: ({ dataset, random, ops, pageSize }) => {
    const attendees = new Set(dataset.registrations.map((registration) => registration.userId));
    const users = sample(
      random,
      dataset.users.filter((user) => attendees.has(user.userId)),
      ops,
    );
    return {
      ops: users.map((user) => ({
        run: async (store) => ({
          items: (await store.listUserRegistrations(user.userId, { limit: pageSize })).items.length,
        }),
      })),
      walks: users
        .slice(0, WALKS)
        .map(
          (user) => (store) =>
            walkAll((cursor) => store.listUserRegistrations(user.userId, { limit: pageSize, cursor })),
        ),
    };
  },
};

export const WORKLOADS: Workload[] = PATTERNS.map((pattern) => ({
  id: pattern.id,
  title: pattern.title,
  kind: pattern.kind,
  plan: definitions[pattern.id],
}));
