import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { CopyStrategy } from "../copies/strategy.js";
import type { TableDesign } from "../store.js";

/** What a violation is about; tests and scripts match on these. */
export type ViolationKind =
  /** An item no entity of the model can read (unknown entity, missing or mistyped attributes, bad shape). */
  | "unreadable_item"
  /** A key or derived attribute differs from what the model computes from the item's attributes (e.g. a month bucket). */
  | "stale_key"
  /** A registration whose event or whose user does not exist. */
  | "orphan_registration"
  /** An event whose organizer does not exist (users are never deleted). */
  | "orphan_event"
  /** An event's `registeredCount` (on its seats) differs from the number of its registrations. */
  | "registered_count_mismatch"
  /** An event's `registeredCount` (on its seats) is below 0 or above its capacity. */
  | "count_out_of_range"
  /** An event without its seats, or seats without their event (or naming another organizer or capacity). */
  | "seats_mismatch"
  /** A user without the email marker (item or `Emails` row) for their email. */
  | "missing_email_marker"
  /** An email marker whose user does not exist, or whose user has another email. */
  | "email_marker_mismatch"
  /**
   * A copy of a name, date or venue (on a registration or a marker) that differs from its source, a copy missing
   * under COPIES=sync or stream, or a copy whose revision/version is newer than its source's.
   */
  | "stale_copy"
  /** Under COPIES=none: a registration holding copies of names or the venue (only the date key belongs there). */
  | "unexpected_copy";

export interface Violation {
  kind: ViolationKind;
  message: string;
  /** Physical table name of the item. */
  table: string;
  /** The item's primary key. */
  key: Record<string, unknown>;
}

export interface IntegrityCounts {
  /** Every item scanned, in every table of the design. */
  items: number;
  users: number;
  emailMarkers: number;
  events: number;
  /** Seats items / `EventSeats` rows: one per event. */
  seats: number;
  registrations: number;
  /** API idempotency records (Powertools), of a valid shape: skipped by the other checks. */
  idempotencyRecords: number;
  unreadable: number;
}

export interface IntegrityReport {
  ok: boolean;
  design: TableDesign;
  /** The copy strategy the copies were checked against. */
  copies: CopyStrategy;
  counts: IntegrityCounts;
  violations: Violation[];
}

export interface ScanProgress {
  table: string;
  /** Items of this table scanned so far. */
  scanned: number;
  /** DescribeTable's ItemCount (AWS refreshes it about every six hours): an estimate, possibly exceeded. */
  estimated: number;
}

export interface CheckIntegrityOptions {
  design: TableDesign;
  /** What registrations' copies must look like (COPIES); the design's default when absent. */
  copies?: CopyStrategy;
  document: DynamoDBDocumentClient;
  /** Physical table name per logical table id, as for `createStore`. */
  tableNames: Record<string, string>;
  /** Called once per table with `scanned: 0` before any scan starts, then after every page of every segment. */
  onProgress?: (progress: ScanProgress) => void;
  /** Parallel scan segments per table (default 4). */
  segments?: number;
  /** Page size of each Scan call (default: DynamoDB's 1 MB pages). */
  pageSize?: number;
}
