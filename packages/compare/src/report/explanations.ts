import type { PatternId } from "../workloads/types.js";

/**
 * The fixed half of each finding: why the designs cost what they cost for a pattern (how each serves it). The
 * measured half — who wins and by how much — is generated from the numbers (findings.ts).
 */
export const WHY: Record<PatternId, string> = {
  AP1: "Both designs answer with one GetItem of one small item (well under 4 KB, so 0.5 RCU eventually consistent). Single-table items are larger (generic pk/sk and GSI key attributes, ElectroDB's __edb_e__/__edb_v__), which matters for storage, not for this read.",
  AP2: "Single-table reads the email marker item with one strongly consistent GetItem (1 RCU) — the marker that also enforces uniqueness carries a copy of the user. One-table-per-entity queries its EmailIndex GSI (0.5 RCU, eventually consistent: right after an email change it can lag, which the multi store handles with a fallback read of the Emails table).",
  AP3: "Both write the user and an email-uniqueness item in one TransactWriteItems (billed 2 WCU per KB per item). The single-table user item also writes two GSI entries (its gsi1 and gsi2 collection keys); the per-entity user writes one (EmailIndex).",
  AP4: "A rename is where copies cost, on either design: under `sync` the store rewrites the attendee's name on every registration inside the request (single: one transaction for the user and its email marker, then one Query per 100 registrations and one UpdateItem per registration, 32 in flight; per entity: the same fan-out on its Registrations table and UserIndex); under `stream` the request is the user's own write and a stream consumer rewrites the copies afterwards (counted apart); under `none` there are no copies and a rename is one UpdateItem. An email change is a transaction in every cell (user, old and new email items).",
  AP5: "One PutItem in both; each event item lands in two GSIs (by month, by organizer) in both designs, so the write costs 1 WCU for the table and 1 per index in both.",
  AP6: "One GetItem of one item in both designs.",
  AP7: 'Both bucket events by month in a GSI (a single "all events" partition would be hot) and fill a page across months, one Query per month it touches, so a 30-day page is one or two Queries in both.',
  AP8: "One Query on the organizer index in both. The single-table query reads the organizer's `organizer` collection (the user item sorts first), the per-entity one reads OrganizerIndex only (and needs a GetItem only when a first page is empty, to tell 404 from none).",
  AP9: "Single-table stores the user next to their events under one GSI partition (the `organizer` collection): one Query returns both. One table per entity needs two requests — GetItem on Users and Query on OrganizerIndex (sent in parallel, so latency is about one round trip, but two requests are billed).",
  AP10: "An If-Match UpdateItem in every cell. A rename rewrites the event's name on every registration in the request under `sync`, after it (stream consumer) under `stream`, and nowhere under `none`. A date change fans out in the request under every strategy (the date is a sort key of the user's registrations index, AP16), a capacity change in none.",
  AP11: "Both delete the event, then read the registration keys (one Query per 100) and delete them with BatchWriteItem (25 per call). Each deleted single-table registration also removes a GSI entry (gsi1), each per-entity one a UserIndex entry: similar cost.",
  AP12: "Every cell reads the event and the user with one BatchGetItem, then writes one TransactWriteItems (seat + registration). With copies (`sync`, `stream`) the registration is larger (names, date, venue) and the transaction has a ConditionCheck that the attendee's name it copies is still current: more WCU than under `none`, on either design. Single-table items also carry generic keys and ElectroDB's attributes.",
  AP13: "One TransactWriteItems of two items (delete the registration, free the seat) in both designs.",
  AP14: "With copies (`sync`, `stream`) a page is one Query on either design (names are on the registrations; the per-entity first page also reads the event, in parallel, for the 404). Under `none` a page is its Query plus one BatchGetItem of the attendees (and the event), on either design: two requests, and more read units (each joined item is read separately, rounded up per item).",
  AP15: "The first page of AP14 plus the event. The single table's `attendance` collection returns the event item first, then the registrations, in one Query (with copies; under `none` it adds the attendees' BatchGetItem). One table per entity always needs a second request for the event, which lives in another table: a GetItem in parallel with the Query (copies) or in the BatchGetItem of the join (`none`). This is the one joined read where the table count itself decides.",
  AP16: "A user's registrations by date: one Query per page on the single table's gsi1 or the per-entity UserIndex. With copies the event names are on the items (the per-entity first page also reads the user, in parallel, for the 404); under `none` one BatchGetItem joins the user and the page's events, on either design.",
};

/** What the numbers per access pattern do not show: where one table per entity is the better design. */
export const PER_ENTITY_ADVANTAGES = [
  "Per-table settings: capacity mode, auto scaling, TTL, streams, point-in-time recovery, table class (Standard-IA for cold entities), deletion protection, backups and IAM policies can differ per entity. A single table takes one setting for all of them.",
  "Simpler evolution: a new access pattern usually means a new GSI on the one table that needs it, and items are plain records readable by any tool. The single table's overloaded keys and collections must be planned up front; changing a key template means rewriting items.",
  "Names in one place: joined at read time (`none`, this design's natural choice), a rename is one write and no copy is ever stale. That is the copy strategy's effect, not the table count's — single+none renames in one write too, and then needs the same join on its list pages (the grid shows both).",
  "Smaller items and less storage: no generic key attributes, no ElectroDB metadata (compare single+X with multi+X in the storage table; copies add to both designs alike).",
  "Operational clarity: per-entity metrics, alarms, exports and analytics (an export of the Events table is just events), and throttling on one entity's table does not touch another's.",
];

/** And what single-table gives that the per-entity numbers reflect. */
export const SINGLE_TABLE_ADVANTAGES = [
  "With copies (`sync`, its default, or `stream`) every read pattern is one request per page, including AP9 and AP15, whose parent and children share a partition (an item collection): one round trip where one table per entity needs two requests. On AWS each round trip is milliseconds, not the sub-millisecond of a local call.",
  "Related items are stored together (an event with its registrations, a user with their events), so a page is one contiguous read: fewer read units than reading each joined item separately.",
];
