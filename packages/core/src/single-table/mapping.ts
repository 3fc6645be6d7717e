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

interface EventItem {
  eventId: string;
  organizerId: string;
  name: string;
  description?: string | undefined;
  venue?: string | undefined;
  date: string;
  capacity: number;
  registeredCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toEvent(item: EventItem): Event {
  return {
    eventId: item.eventId,
    organizerId: item.organizerId,
    name: item.name,
    ...(item.description !== undefined && { description: item.description }),
    ...(item.venue !== undefined && { venue: item.venue }),
    date: item.date,
    capacity: item.capacity,
    registeredCount: item.registeredCount,
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

interface RegistrationItem {
  eventId: string;
  userId: string;
  registeredAt: string;
  userName: string;
  eventName: string;
  eventDate: string;
  eventVenue?: string | undefined;
}

export function toRegistration(item: RegistrationItem): Registration {
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
