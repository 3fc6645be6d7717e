import type { Event, Registration, StoredUser } from "../domain/schemas.js";

/**
 * Table items → plain domain objects, field for field the shapes the single-table design returns (same order,
 * optional fields absent rather than undefined; no key helpers such as `month` or `dateEventId`).
 */
export type Item = Record<string, unknown>;

const str = (item: Item, field: string) => item[field] as string;
const num = (item: Item, field: string) => item[field] as number;

/**
 * What a registration item stores: the keys, when, and the event date its by-user index sorts on (a key, kept in
 * every copy strategy, with the event version it was taken from). Under `sync` and `stream` also the copies the
 * lists show (see copy-keeper.ts).
 */
export type RegistrationItem = {
  eventId: string;
  userId: string;
  registeredAt: string;
  dateEventId: string;
  eventVersion: number;
  /** Which call wrote it (see MultiTableStore.register). */
  writeId?: string;
} & Partial<RegistrationCopies>;

export interface RegistrationCopies {
  userName: string;
  userRevision: number;
  eventName: string;
  eventDate: string;
  eventVenue?: string;
}

/** The copies a registration takes of its user and event items when it is written. */
export function registrationCopies(user: Item, event: Item): RegistrationCopies {
  return {
    userName: str(user, "name"),
    userRevision: typeof user.revision === "number" ? user.revision : 0,
    eventName: str(event, "name"),
    eventDate: str(event, "date"),
    ...(event.venue !== undefined && { eventVenue: str(event, "venue") }),
  };
}

/** The by-date sort key of events and registrations: `<YYYY-MM-DD>#<eventId>`. */
export function dateEventId(date: string, eventId: string): string {
  return `${date}#${eventId}`;
}

export function toUser(item: Item): StoredUser {
  return {
    userId: str(item, "userId"),
    name: str(item, "name"),
    email: str(item, "email"),
    createdAt: str(item, "createdAt"),
    updatedAt: str(item, "updatedAt"),
  };
}

/** The Event resource: the events item joined with its seats item (capacity, registeredCount). */
export function toEvent(item: Item, seats: Item): Event {
  return {
    eventId: str(item, "eventId"),
    organizerId: str(item, "organizerId"),
    name: str(item, "name"),
    ...(item.description !== undefined && { description: str(item, "description") }),
    ...(item.venue !== undefined && { venue: str(item, "venue") }),
    date: str(item, "date"),
    capacity: num(seats, "capacity"),
    registeredCount: num(seats, "registeredCount"),
    version: num(item, "version"),
    createdAt: str(item, "createdAt"),
    updatedAt: str(item, "updatedAt"),
  };
}

/** The join: a registration item with its attendee and its event, read from their own tables. */
export function toRegistration(registration: Item, user: Item, event: Item): Registration {
  return {
    eventId: str(registration, "eventId"),
    userId: str(registration, "userId"),
    registeredAt: str(registration, "registeredAt"),
    user: { name: str(user, "name") },
    event: {
      name: str(event, "name"),
      date: str(event, "date"),
      ...(event.venue !== undefined && { venue: str(event, "venue") }),
    },
  };
}

/** A registration item read with its copies (`sync`, `stream`): no join. */
export function toRegistrationFromCopies(registration: Item): Registration {
  return {
    eventId: str(registration, "eventId"),
    userId: str(registration, "userId"),
    registeredAt: str(registration, "registeredAt"),
    user: { name: str(registration, "userName") },
    event: {
      name: str(registration, "eventName"),
      date: str(registration, "eventDate"),
      ...(registration.eventVenue !== undefined && { venue: str(registration, "eventVenue") }),
    },
  };
}
