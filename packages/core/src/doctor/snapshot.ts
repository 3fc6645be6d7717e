import type { CopyStrategy } from "../copies/strategy.js";
import { checkCopies } from "./copies.js";
import type { IntegrityCounts, Violation, ViolationKind } from "./types.js";

/**
 * What the checker keeps of each item while it scans: a compact, design-neutral view (ids, the fields the
 * invariants compare, where the item lives). Memory grows with the table (a few hundred bytes per item), which
 * is fine for the tables this project runs; a checker for billions of items would sort on disk instead.
 */
export interface ItemRef {
  table: string;
  key: Record<string, unknown>;
}

export interface UserRecord {
  userId: string;
  name: string;
  email: string;
  /** Grows with every change of the user item; 0 when absent (an item from before copies carried it). */
  revision: number;
  ref: ItemRef;
}

export interface MarkerRecord {
  email: string;
  userId: string;
  /** The single table's marker carries a copy of the user's name (AP2 in one GetItem). */
  name?: string;
  ref: ItemRef;
}

export interface EventRecord {
  eventId: string;
  organizerId: string;
  name: string;
  date: string;
  venue?: string | undefined;
  capacity?: number | undefined;
  version: number;
  ref: ItemRef;
}

/** An event's seat count, kept apart from the event (no index copies it). */
export interface SeatsRecord {
  eventId: string;
  organizerId: string;
  capacity: number;
  registeredCount: number;
  ref: ItemRef;
}

/** What a registration holds of its user and event; which of them must be there depends on the strategy. */
export interface RegistrationCopies {
  organizerId?: string | undefined;
  userName?: string | undefined;
  userRevision?: number | undefined;
  eventName?: string | undefined;
  /** A display copy of the date, where the design keeps one apart from its key (multi-table). */
  eventDate?: string | undefined;
  eventVenue?: string | undefined;
  eventVersion?: number | undefined;
}

export interface RegistrationRecord {
  eventId: string;
  userId: string;
  /**
   * The event date the registration's index sorts on (single: gsi1sk's `eventDate`, multi: `dateEventId`). A key,
   * not a display copy: every strategy keeps it current.
   */
  keyDate: string;
  copies: RegistrationCopies;
  ref: ItemRef;
}

/** What an unreadable item may say it is. */
export type Claimed = "user" | "event" | "seats";

export class Snapshot {
  readonly users = new Map<string, UserRecord>();
  readonly markers = new Map<string, MarkerRecord>();
  readonly events = new Map<string, EventRecord>();
  readonly seats = new Map<string, SeatsRecord>();
  readonly registrations: RegistrationRecord[] = [];
  readonly violations: Violation[] = [];
  readonly counts: IntegrityCounts = {
    items: 0,
    users: 0,
    emailMarkers: 0,
    events: 0,
    seats: 0,
    registrations: 0,
    idempotencyRecords: 0,
    unreadable: 0,
  };

  report(kind: ViolationKind, ref: ItemRef, message: string): void {
    this.violations.push({ kind, message, table: ref.table, key: ref.key });
  }

  /**
   * Users and events whose item exists but cannot be read: their registrations and markers are not reported
   * as orphans on top (one broken item, one violation).
   */
  readonly unreadableIds = new Set<string>();

  /** `claims`: the user, event or seats the item says it is, if it says so, for `unreadableIds`. */
  unreadable(ref: ItemRef, message: string, claims?: { entity: Claimed; id: unknown }): void {
    this.counts.unreadable += 1;
    this.report("unreadable_item", ref, message);
    if (claims && typeof claims.id === "string") this.unreadableIds.add(`${claims.entity}:${claims.id}`);
  }

  /** True when the user or event exists as a readable item, or as an item already reported unreadable. */
  exists(entity: "user" | "event", id: string): boolean {
    const found = entity === "user" ? this.users.has(id) : this.events.has(id);
    return found || this.unreadableIds.has(`${entity}:${id}`);
  }

  addUser(user: UserRecord): void {
    this.counts.users += 1;
    this.users.set(user.userId, user);
  }

  addMarker(marker: MarkerRecord): void {
    this.counts.emailMarkers += 1;
    this.markers.set(marker.email, marker);
  }

  addEvent(event: EventRecord): void {
    this.counts.events += 1;
    this.events.set(event.eventId, event);
  }

  addSeats(seats: SeatsRecord): void {
    this.counts.seats += 1;
    this.seats.set(seats.eventId, seats);
  }

  addRegistration(registration: RegistrationRecord): void {
    this.counts.registrations += 1;
    this.registrations.push(registration);
  }
}

const show = (value: unknown) => (value === undefined ? "absent" : JSON.stringify(value));

/** The invariants between items, the same for both designs once their items are read into a Snapshot. */
export function checkRelations(snapshot: Snapshot, copies: CopyStrategy): void {
  const perEvent = new Map<string, number>();
  for (const registration of snapshot.registrations) {
    const { eventId, userId, ref } = registration;
    perEvent.set(eventId, (perEvent.get(eventId) ?? 0) + 1);
    const event = snapshot.events.get(eventId);
    const user = snapshot.users.get(userId);
    if (!snapshot.exists("event", eventId)) {
      snapshot.report("orphan_registration", ref, `registration of user ${userId}: event ${eventId} does not exist`);
    }
    if (!snapshot.exists("user", userId)) {
      snapshot.report("orphan_registration", ref, `registration for event ${eventId}: user ${userId} does not exist`);
    }
    if (event && registration.keyDate !== event.date) {
      snapshot.report(
        "stale_key",
        ref,
        `registration of user ${userId} sorts by date ${registration.keyDate}, its event is on ${event.date}`,
      );
    }
    checkCopies(snapshot, registration, { user, event }, copies);
  }

  for (const seats of snapshot.seats.values()) {
    const event = snapshot.events.get(seats.eventId);
    if (!snapshot.exists("event", seats.eventId)) {
      snapshot.report("seats_mismatch", seats.ref, `seats of event ${seats.eventId}, which does not exist`);
    } else if (event && event.organizerId !== seats.organizerId) {
      snapshot.report(
        "seats_mismatch",
        seats.ref,
        `seats of event ${seats.eventId} name organizer ${seats.organizerId}, the event ${event.organizerId}`,
      );
    } else if (event && event.capacity !== undefined && event.capacity !== seats.capacity) {
      snapshot.report(
        "seats_mismatch",
        seats.ref,
        `seats of event ${seats.eventId} hold capacity ${seats.capacity}, the event ${event.capacity}`,
      );
    }
    const actual = perEvent.get(seats.eventId) ?? 0;
    if (seats.registeredCount !== actual) {
      snapshot.report(
        "registered_count_mismatch",
        seats.ref,
        `event ${seats.eventId} has registeredCount ${seats.registeredCount} but ${actual} registrations`,
      );
    }
    if (seats.registeredCount < 0 || seats.registeredCount > seats.capacity) {
      snapshot.report(
        "count_out_of_range",
        seats.ref,
        `event ${seats.eventId} has registeredCount ${seats.registeredCount} outside 0…${seats.capacity} (its capacity)`,
      );
    }
  }

  for (const event of snapshot.events.values()) {
    if (!snapshot.seats.has(event.eventId) && !snapshot.unreadableIds.has(`seats:${event.eventId}`)) {
      snapshot.report("seats_mismatch", event.ref, `event ${event.eventId} has no seats`);
    }
    if (!snapshot.exists("user", event.organizerId)) {
      snapshot.report(
        "orphan_event",
        event.ref,
        `event ${event.eventId}: organizer ${event.organizerId} does not exist`,
      );
    }
  }

  for (const marker of snapshot.markers.values()) {
    const user = snapshot.users.get(marker.userId);
    if (!user) {
      if (snapshot.exists("user", marker.userId)) continue;
      snapshot.report(
        "email_marker_mismatch",
        marker.ref,
        `marker ${marker.email}: user ${marker.userId} does not exist`,
      );
    } else if (user.email !== marker.email) {
      snapshot.report(
        "email_marker_mismatch",
        marker.ref,
        `marker ${marker.email} points to user ${marker.userId}, whose email is ${user.email}`,
      );
    } else if (marker.name !== undefined && marker.name !== user.name) {
      snapshot.report(
        "stale_copy",
        marker.ref,
        `marker ${marker.email}: name ${show(marker.name)} ≠ the user's ${show(user.name)}`,
      );
    }
  }

  for (const user of snapshot.users.values()) {
    const marker = snapshot.markers.get(user.email);
    if (!marker) {
      snapshot.report("missing_email_marker", user.ref, `user ${user.userId} has no marker for ${user.email}`);
    } else if (marker.userId !== user.userId) {
      snapshot.report(
        "missing_email_marker",
        user.ref,
        `user ${user.userId}: the marker for ${user.email} belongs to user ${marker.userId}`,
      );
    }
  }
}
