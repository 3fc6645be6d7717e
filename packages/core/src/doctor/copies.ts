import type { CopyStrategy } from "../copies/strategy.js";
import type { EventRecord, RegistrationRecord, Snapshot, UserRecord } from "./snapshot.js";

const show = (value: unknown) => (value === undefined ? "absent" : JSON.stringify(value));

/** The copies of names and the venue that COPIES=none never stores (the date key is not one of them). */
const NAME_COPIES = ["userName", "eventName", "eventVenue"] as const;

/**
 * A registration's copies against its user and event, as the strategy requires them:
 *  - `none`: no copy of a name or the venue (reads join them); a copied `eventVersion` may stay with the date key.
 *  - `sync` and `stream`: every copy equals its source. A copy's revision (version) never leads its source's; it
 *    may lag it, since a change that touches nothing copied (an email, a capacity) does not rewrite the copies.
 *    Absent on a copy it counts as 0, like an item from before copies carried one.
 * Missing user or event: reported as an orphan already, so nothing to compare here.
 */
export function checkCopies(
  snapshot: Snapshot,
  registration: RegistrationRecord,
  sources: { user: UserRecord | undefined; event: EventRecord | undefined },
  copies: CopyStrategy,
): void {
  const { eventId, userId, ref } = registration;
  const held = registration.copies;
  const where = `registration of user ${userId} for event ${eventId}`;
  const { user, event } = sources;

  if (copies === "none") {
    const present = NAME_COPIES.filter((field) => held[field] !== undefined);
    if (present.length > 0)
      snapshot.report("unexpected_copy", ref, `${where} holds ${present.join(", ")}, which COPIES=none never stores`);
    if (event && held.eventVersion !== undefined && held.eventVersion > event.version)
      snapshot.report(
        "stale_copy",
        ref,
        `${where}: eventVersion ${held.eventVersion} leads the event's ${event.version}`,
      );
    return;
  }

  const stale: string[] = [];
  if (user) {
    if (held.userName !== user.name) stale.push(`userName ${show(held.userName)} ≠ ${show(user.name)}`);
    if ((held.userRevision ?? 0) > user.revision)
      stale.push(`userRevision ${held.userRevision} leads the user's ${user.revision}`);
  }
  if (event) {
    if (held.organizerId !== undefined && held.organizerId !== event.organizerId)
      stale.push(`organizerId ${show(held.organizerId)} ≠ ${show(event.organizerId)}`);
    if (held.eventName !== event.name) stale.push(`eventName ${show(held.eventName)} ≠ ${show(event.name)}`);
    // The single table's date copy is its key (checked as such); a design may keep a display copy besides.
    if (held.eventDate !== undefined && held.eventDate !== event.date)
      stale.push(`eventDate ${show(held.eventDate)} ≠ ${show(event.date)}`);
    if (held.eventVenue !== event.venue) stale.push(`eventVenue ${show(held.eventVenue)} ≠ ${show(event.venue)}`);
    if ((held.eventVersion ?? 0) > event.version)
      stale.push(`eventVersion ${held.eventVersion} leads the event's ${event.version}`);
  }
  if (stale.length > 0) snapshot.report("stale_copy", ref, `${where}: ${stale.join("; ")}`);
}
