import type { PatternId } from "../workloads/types.js";

/**
 * The fixed half of each finding: why the designs cost what they cost for a pattern (how each serves it). The
 * measured half — who wins and by how much — is generated from the numbers (findings.ts).
 */
export const WHY: Record<PatternId, string> = {
  AP1: "Both designs answer with one GetItem of one small item (well under 4 KB, so 0.5 RCU eventually consistent). Single-table items are larger (generic pk/sk and GSI key attributes, ElectroDB's __edb_e__/__edb_v__), which matters for storage, not for this read.",
  AP2: "Single-table reads the email marker item with one strongly consistent GetItem (1 RCU) — the marker that also enforces uniqueness carries a copy of the user. One-table-per-entity queries its EmailIndex GSI (0.5 RCU, eventually consistent: right after an email change it can lag, which the multi store handles with a fallback read of the Emails table).",
  AP3: "Both write the user and an email-uniqueness item in one TransactWriteItems (billed 2 WCU per KB per item). The single-table user item also writes two GSI entries (its gsi1 and gsi2 collection keys); the per-entity user writes one (EmailIndex).",
  AP4: "A rename is where copies cost: single-table keeps the attendee's name on every registration (so AP14 is one query) and rewrites them all — one transaction for the user and its email marker, then one Query per 100 registrations and one UpdateItem per registration (each also updating its GSI entry). One-table-per-entity keeps no copies and joins at read time: a rename is one UpdateItem. An email change is a transaction in both (user, old and new email items).",
  AP5: "One PutItem in both; each event item lands in two GSIs (by month, by organizer) in both designs, so the write costs 1 WCU for the table and 1 per index in both.",
  AP6: "One GetItem of one item in both designs.",
  AP7: 'Both bucket events by month in a GSI (a single "all events" partition would be hot) and fill a page across months, one Query per month it touches, so a 30-day page is one or two Queries in both.',
  AP8: "One Query on the organizer index in both. The single-table query reads the organizer's `organizer` collection (the user item sorts first), the per-entity one reads OrganizerIndex only (and needs a GetItem only when a first page is empty, to tell 404 from none).",
  AP9: "Single-table stores the user next to their events under one GSI partition (the `organizer` collection): one Query returns both. One table per entity needs two requests — GetItem on Users and Query on OrganizerIndex (sent in parallel, so latency is about one round trip, but two requests are billed).",
  AP10: "An If-Match UpdateItem in both. Renames again show the cost of copies: single-table rewrites the event's name on every registration (one UpdateItem each), per-entity does not. A date change fans out in both (both keep the date on registrations to sort AP16), a capacity change in neither.",
  AP11: "Both delete the event, then read the registration keys (one Query per 100) and delete them with BatchWriteItem (25 per call). Each deleted single-table registration also removes a GSI entry (gsi1), each per-entity one a UserIndex entry: similar cost.",
  AP12: "Both read the event and the user with one BatchGetItem, then write one TransactWriteItems (seat + registration). The single-table transaction has a third item, a ConditionCheck that the attendee's name it copies is still current, and a larger registration item (copies of names, date, venue, a GSI entry): more WCU. The per-entity registration copies only the date.",
  AP13: "One TransactWriteItems of two items (delete the registration, free the seat) in both designs.",
  AP14: "Single-table keeps an event and its registrations in one partition with the attendee names copied in: one Query per page. One table per entity queries Registrations and then fetches the event and every attendee with a BatchGetItem: two requests per page, and more read units (each joined item is read separately, rounded up per item).",
  AP15: "The first page of AP14 plus the event: single-table's `attendance` collection returns the event item first, then the registrations, in one Query. Per entity: Query on Registrations + BatchGetItem of the event and the attendees.",
  AP16: "Single-table puts a user's registrations, with event names and dates copied in, under the user's gsi1 partition: one Query per page. One table per entity queries UserIndex and joins the user and the events with a BatchGetItem: two requests per page.",
};

/** What the numbers per access pattern do not show: where one table per entity is the better design. */
export const PER_ENTITY_ADVANTAGES = [
  "Per-table settings: capacity mode, auto scaling, TTL, streams, point-in-time recovery, table class (Standard-IA for cold entities), deletion protection, backups and IAM policies can differ per entity. A single table takes one setting for all of them.",
  "Simpler evolution: a new access pattern usually means a new GSI on the one table that needs it, and items are plain records readable by any tool. The single table's overloaded keys and collections must be planned up front; changing a key template means rewriting items.",
  "Cheaper renames and no copies to keep current: names live in one place and are joined at read time, so AP4 and AP10 renames cost one write instead of one write per registration (see the measured rows), and there is no window where a copy is stale.",
  "Smaller items and less storage: no generic key attributes, no ElectroDB metadata, no copied names (see the storage table).",
  "Operational clarity: per-entity metrics, alarms, exports and analytics (an export of the Events table is just events), and throttling on one entity's table does not touch another's.",
];

/** And what single-table gives that the per-entity numbers reflect. */
export const SINGLE_TABLE_ADVANTAGES = [
  "Every read pattern is one request per page: the joined reads (AP9, AP14, AP15, AP16) need one round trip instead of two, which on AWS is latency (each round trip is milliseconds, not the sub-millisecond of a local call) and request-unit cost.",
  "Related items are stored together (an event with its registrations, a user with their events), so a page is one contiguous read: fewer read units than reading each joined item separately.",
];
