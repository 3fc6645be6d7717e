import type { CopyKeeper } from "./copies/keeper.js";
import type { CopyStrategy } from "./copies/strategy.js";
import type {
  CreateEventInput,
  CreateUserInput,
  Event,
  Registration,
  StoredUser,
  UpdateEventInput,
  UpdateUserInput,
} from "./domain/schemas.js";

/** The port both table designs implement: one method per access pattern of data-model.md. */
export type TableDesign = "single" | "multi";

export interface PageRequest {
  /** 1–100 items; the API validates it. */
  limit: number;
  /** An opaque cursor from a previous page of the same list. */
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** null only after the last item. */
  cursor: string | null;
}

export interface DateRange {
  from: string;
  to: string;
}

export interface Store {
  readonly design: TableDesign;
  /** How this store keeps the copies of names on registrations (COPIES). */
  readonly copies: CopyStrategy;
  /** Where this design's copies are and how one is written: what the stream consumer drives (copies/fan-out.ts). */
  readonly copyKeeper: CopyKeeper;
  /** AP1 — throws NotFoundError. */
  getUser(userId: string): Promise<StoredUser>;
  /** AP2 — the email is normalized first; throws NotFoundError. */
  findUserByEmail(email: string): Promise<StoredUser>;
  /** AP3 — throws EmailTakenError. */
  createUser(input: CreateUserInput): Promise<StoredUser>;
  /** AP4 — self only; keeps the email unique and every copy of the name current. */
  updateUser(userId: string, actorId: string, changes: UpdateUserInput): Promise<StoredUser>;
  /** AP5 */
  createEvent(organizerId: string, input: CreateEventInput): Promise<Event>;
  /** AP6 — throws NotFoundError. */
  getEvent(eventId: string): Promise<Event>;
  /** AP7 — events with from ≤ date ≤ to, by date then eventId. */
  listEventsByDate(range: DateRange, page: PageRequest): Promise<Page<Event>>;
  /** AP8 — events the user organizes, by date then eventId; NotFoundError if the user does not exist. */
  listEventsByOrganizer(userId: string, page: PageRequest): Promise<Page<Event>>;
  /** AP9 — the user and the first page of the events they organize. */
  getUserWithEvents(userId: string, page: PageRequest): Promise<{ user: StoredUser; events: Page<Event> }>;
  /** AP10 — organizer only; capacity never below registeredCount; `expectedVersion` is If-Match. */
  updateEvent(eventId: string, actorId: string, changes: UpdateEventInput, expectedVersion?: number): Promise<Event>;
  /** AP11 — organizer only; removes the event and all its registrations. */
  deleteEvent(eventId: string, actorId: string): Promise<void>;
  /** AP12 — never past capacity, never twice. */
  register(eventId: string, userId: string): Promise<Registration>;
  /** AP13 — by the registered user or the organizer; frees the seat. */
  cancelRegistration(eventId: string, userId: string, actorId: string): Promise<void>;
  /** AP14 — by userId; NotFoundError if the event does not exist. */
  listRegistrations(eventId: string, page: PageRequest): Promise<Page<Registration>>;
  /** AP15 — the event and the first page of its registrations. */
  getEventWithAttendees(eventId: string, page: PageRequest): Promise<{ event: Event; attendees: Page<Registration> }>;
  /** AP16 — by event date then eventId; NotFoundError if the user does not exist. */
  listUserRegistrations(userId: string, page: PageRequest): Promise<Page<Registration>>;
}

/**
 * Names of the lists cursors are bound to. A cursor issued by the first page of an include continues on the
 * matching list route, so both must name the list the same way.
 */
export const lists = {
  eventsByDate: (range: DateRange) => `events:${range.from}:${range.to}`,
  eventsByOrganizer: (userId: string) => `users/${userId}/events`,
  registrationsOfEvent: (eventId: string) => `events/${eventId}/registrations`,
  registrationsOfUser: (userId: string) => `users/${userId}/registrations`,
} as const;
