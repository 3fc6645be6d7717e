import type { Event, Registration, StoredUser } from "../domain/schemas.js";

/** ElectroDB items → plain domain objects (never pk/sk/__edb_*; optional fields absent, not undefined). */

interface UserItem {
  userId: string;
  name: string;
  email: string;
  createdAt: string;
  updatedAt: string;
}

export function toUser(item: UserItem): StoredUser {
  return {
    userId: item.userId,
    name: item.name,
    email: item.email,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

export interface EventItem {
  eventId: string;
  organizerId: string;
  name: string;
  description?: string | undefined;
  venue?: string | undefined;
  date: string;
  /** Absent only on an event item written before the capacity moved onto it (domain/event-snapshot.ts). */
  capacity?: number | undefined;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The event's seats item (entities.ts): the counter kept apart from the indexed event item. */
export interface SeatsItem {
  capacity: number;
  registeredCount: number;
}

/** The Event resource: the event item joined with its seats item (of one committed state: event-snapshot.ts). */
export function toEvent(item: EventItem, seats: SeatsItem): Event {
  return {
    eventId: item.eventId,
    organizerId: item.organizerId,
    name: item.name,
    ...(item.description !== undefined && { description: item.description }),
    ...(item.venue !== undefined && { venue: item.venue }),
    date: item.date,
    capacity: seats.capacity,
    registeredCount: seats.registeredCount,
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

export interface RegistrationItem {
  eventId: string;
  userId: string;
  registeredAt: string;
  userName?: string | undefined;
  eventName?: string | undefined;
  eventDate: string;
  eventVenue?: string | undefined;
}

/** COPIES=sync|stream: a registration as listed, from its own copies. */
export function toRegistration(item: RegistrationItem): Registration {
  if (item.userName === undefined || item.eventName === undefined) {
    throw new Error(`registration ${item.eventId}/${item.userId} has no copies of the names`);
  }
  return {
    eventId: item.eventId,
    userId: item.userId,
    registeredAt: item.registeredAt,
    user: { name: item.userName },
    event: {
      name: item.eventName,
      date: item.eventDate,
      ...(item.eventVenue !== undefined && { venue: item.eventVenue }),
    },
  };
}

/** A registration with the names read from the originals (COPIES=none's join, and what `register` just read). */
export function joinRegistration(
  item: Pick<RegistrationItem, "eventId" | "userId" | "registeredAt">,
  user: { name: string },
  event: { name: string; date: string; venue?: string | undefined },
): Registration {
  return {
    eventId: item.eventId,
    userId: item.userId,
    registeredAt: item.registeredAt,
    user: { name: user.name },
    event: { name: event.name, date: event.date, ...(event.venue !== undefined && { venue: event.venue }) },
  };
}
