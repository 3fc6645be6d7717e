/**
 * What a copy is taken from. A copy carries the revision of its source; a copy write is conditional on the stored
 * copy being older, so writes that arrive out of order (concurrent renames, a retried stream batch, a fan-out that
 * overlaps a newer one) never replace a newer copy with an older one.
 */

/** The user's name as registrations copy it. `revision` grows by one with every change of the user item. */
export interface UserCopySource {
  userId: string;
  name: string;
  revision: number;
}

/** The event's fields registrations copy. `version` is the event's own version (If-Match). */
export interface EventCopySource {
  eventId: string;
  name: string;
  date: string;
  venue?: string | undefined;
  version: number;
}

export type CopyChange = { kind: "user"; source: UserCopySource } | { kind: "event"; source: EventCopySource };
