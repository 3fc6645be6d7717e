/**
 * The single table's item layout as plain constants: the names ElectroDB stores its identity under, the key
 * prefixes, and what each GSI projects. One place for the model (entities.ts), the table definition
 * (table/definition.ts: the GSIs' INCLUDE lists), the code that reads raw items (copy keeper, integrity check,
 * census) and the tests. No imports, so the table definition and SST's config can load it without ElectroDB.
 */

/**
 * ElectroDB's identity attributes (which entity, which model version), on every item and in every index entry.
 * Renamed from its defaults `__edb_e__`/`__edb_v__` with the documented `identifiers` entity option: 14 bytes
 * of attribute names less per item and per index entry.
 */
export const IDENTIFIERS = { entity: "_e", version: "_v" } as const;

/**
 * Every fixed part of a key. One letter each (U user, M email marker, E event, R registration, A attendee,
 * D date bucket = month, O organizer); a collection's parent sort key starts with `$`, which sorts before the
 * letters and digits its children's keys start with, so a collection query reads the parent first.
 */
export interface KeyLayout {
  /** pk of a user; its sort key is `userItem`. */
  user: string;
  userItem: string;
  /** pk of an email marker (`<prefix><email>`); its sort key is `emailItem`. */
  email: string;
  emailItem: string;
  /** pk of an event's partition: the event (sort key `eventItem`) and its registrations (`registration<userId>`). */
  event: string;
  eventItem: string;
  /** Sort key of the event's seats item, right after the event (`$E` < `$E#S` < `R#…`), with no index keys. */
  seatsItem: string;
  registration: string;
  /** gsi1pk of a user's registrations (the `attendee` collection) and of the user. */
  attendee: string;
  /** gsi1pk of a month bucket of events. */
  month: string;
  /** gsi2pk of the events a user organizes (the `organizer` collection) and of the user. */
  organizer: string;
  /** The user's sort key in its `attendee` (gsi1) and `organizer` (gsi2) collections. */
  userInCollection: string;
  /** gsi1sk prefix of a registration in its attendee's collection (`<prefix><date>#<eventId>`). */
  attended: string;
  /** gsi2sk prefix of an event in its organizer's collection (`<prefix><date>#<eventId>`). */
  organized: string;
}

export const KEYS = {
  user: "U#",
  userItem: "U",
  email: "M#",
  emailItem: "M",
  event: "E#",
  eventItem: "$E",
  seatsItem: "$E#S",
  registration: "R#",
  attendee: "A#",
  month: "D#",
  organizer: "O#",
  userInCollection: "$U",
  attended: "R#",
  organized: "E#",
} as const satisfies KeyLayout;

/** The primary key of each item of the model, for code that reads raw items (tests, the bench's bare baseline). */
export const itemKeys = {
  user: (userId: string) => ({ pk: `${KEYS.user}${userId}`, sk: KEYS.userItem }),
  emailMarker: (email: string) => ({ pk: `${KEYS.email}${email}`, sk: KEYS.emailItem }),
  event: (eventId: string) => ({ pk: `${KEYS.event}${eventId}`, sk: KEYS.eventItem }),
  seats: (eventId: string) => ({ pk: `${KEYS.event}${eventId}`, sk: KEYS.seatsItem }),
  registration: (eventId: string, userId: string) => ({
    pk: `${KEYS.event}${eventId}`,
    sk: `${KEYS.registration}${userId}`,
  }),
};

/** The layout of one model: its identity attribute names and its key prefixes. */
export interface SingleTableLayout {
  identifiers: { entity: string; version: string };
  keys: KeyLayout;
}

export const LEAN_LAYOUT: SingleTableLayout = { identifiers: IDENTIFIERS, keys: KEYS };

/**
 * An event as every event list returns it (mapping.ts `toEvent`): AP7 on gsi1, AP8/AP9 on gsi2. Its seat count
 * is on the seats item, which no index holds: the lists join it a page at a time. The capacity is on both, so a
 * page can tell an index entry and seats that belong to different versions (domain/event-snapshot.ts).
 */
const LISTED_EVENT = [
  "eventId",
  "organizerId",
  "name",
  "description",
  "venue",
  "date",
  "capacity",
  "version",
  "createdAt",
  "updatedAt",
] as const;

/**
 * What each GSI holds of each entity besides the keys: exactly what the index's queries return, plus ElectroDB's
 * identity attributes (`IDENTIFIERS`, added by `nonKeyAttributesOf` and by the model), which its collection
 * filters and its parse need. Not projected: the event's `writeId`
 * and hidden `month`, the user's `revision` and hidden `organizerId` (and its email in gsi1), the registration's
 * `writeId`, `userRevision` and `eventVersion` — and each index's neighbour's keys. The copy keeper's key-only
 * queries read `pk, sk`, which every index entry holds.
 */
export const INDEX_PROJECTIONS = {
  gsi1: {
    /** AP7: the events of a month bucket, as listed. */
    event: [...LISTED_EVENT],
    /** AP16's parent: that the user exists, and (COPIES=none) the name it joins. */
    user: ["userId", "name"],
    /** AP16: the registrations as listed (names are absent under COPIES=none and joined on read). */
    registration: ["eventId", "userId", "registeredAt", "userName", "eventName", "eventDate", "eventVenue"],
  },
  gsi2: {
    /** AP8/AP9: the organizer's events, as listed. */
    event: [...LISTED_EVENT],
    /** AP9's parent: the user as returned (mapping.ts `toUser`). */
    user: ["userId", "name", "email", "createdAt", "updatedAt"],
  },
} as const;

/** A GSI's INCLUDE list: every attribute any entity projects into it (DynamoDB projects by name, not entity). */
export function nonKeyAttributesOf(index: keyof typeof INDEX_PROJECTIONS): string[] {
  const attributes = Object.values(INDEX_PROJECTIONS[index]).flat();
  return [...new Set([...attributes, IDENTIFIERS.entity, IDENTIFIERS.version])].sort();
}
