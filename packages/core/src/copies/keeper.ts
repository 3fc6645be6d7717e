import type { CopyChange, EventCopySource, UserCopySource } from "./changes.js";

/** A registration's primary key in domain terms; each design maps it onto its own item key. */
export interface RegistrationKey {
  eventId: string;
  userId: string;
}

/**
 * Copy maintenance as one design implements it: where the copies are and how one is written. The fan-out itself
 * (paging, bounded parallelism, ordering rules) is `fanOut` in this module, shared by both designs and by the
 * stream consumer.
 */
export interface CopyKeeper {
  /** Every registration of the user, page by page (each page one Query). */
  registrationsOfUser(userId: string): AsyncIterable<RegistrationKey[]>;
  /** Every registration of the event, page by page, strongly consistent (each page one Query). */
  registrationsOfEvent(eventId: string): AsyncIterable<RegistrationKey[]>;
  /** One UpdateItem, conditional on the registration existing and its copy being older than `source`. */
  writeUserCopy(key: RegistrationKey, source: UserCopySource): Promise<void>;
  writeEventCopy(key: RegistrationKey, source: EventCopySource): Promise<void>;
  /**
   * A stream record of one of this design's tables (images already unmarshalled): the copies it makes stale,
   * or null when it changes nothing registrations copy.
   */
  changeFromRecord(
    table: string,
    oldImage: Record<string, unknown> | undefined,
    newImage: Record<string, unknown> | undefined,
  ): CopyChange | null;
}
