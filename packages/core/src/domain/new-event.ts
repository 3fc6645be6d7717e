import type { CreateEventInput } from "./schemas.js";

/**
 * What AP5 stores in either design: the event's own fields (optional ones absent, never "") and its seats, none
 * taken yet. Each design adds its keys; the seats live apart from the event so no index copies the counter, and
 * both hold the capacity (event-snapshot.ts).
 */
export function newEvent(input: CreateEventInput, ids: { eventId: string; organizerId: string; now: string }) {
  const { eventId, organizerId, now } = ids;
  const event = {
    eventId,
    organizerId,
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    ...(input.venue ? { venue: input.venue } : {}),
    date: input.date,
    capacity: input.capacity,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const seats = { eventId, organizerId, capacity: input.capacity, registeredCount: 0 };
  return { event, seats };
}
