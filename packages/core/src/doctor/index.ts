import { DEFAULT_COPIES } from "../copies/strategy.js";
import { runAsAdmin } from "../dynamo/meter.js";
import { tableDefinitions } from "../table/designs.js";
import { multiTableReader } from "./multi.js";
import { estimatedItemCount, type Item, scanTable } from "./scan.js";
import { singleTableReader } from "./single.js";
import { checkRelations, Snapshot } from "./snapshot.js";
import type { CheckIntegrityOptions, IntegrityReport } from "./types.js";

export type * from "./types.js";

/**
 * The integrity checker behind `pnpm check-integrity`: reads every item of the design's tables (a parallel Scan, inside
 * `runAsAdmin`) and checks the invariants the API relies on —
 *  - every item is readable by the model (idempotency records are recognised, counted and skipped);
 *  - keys and derived attributes are the ones the model computes (no stale GSI key, right month bucket);
 *  - every registration has its event and its user; the event date its index sorts on (single: gsi1sk,
 *    multi: dateEventId) is the event's in every strategy; under COPIES=sync or stream every copy (user name
 *    and revision; event name, date, venue and version) equals its source (a copy's revision or version may lag
 *    its source's when the change did not touch what is copied, never lead it); under COPIES=none no copy of
 *    a name or the venue is stored;
 *  - each event has its seats (single: the `seats` item; multi: the `EventSeats` row), whose `registeredCount`
 *    equals the event's registrations and lies within 0…capacity; its organizer exists;
 *  - each email marker (`EMAIL#…` item, or `Emails` row) belongs to the user with that email, and every user
 *    has one (the single table's marker copies the name: current too).
 * Run it on a quiescent table: a Scan is not a snapshot, so writes during the check may show as violations.
 * Under COPIES=stream, quiescent includes the consumer: copies it has not applied yet show as stale.
 */
export async function checkIntegrity(options: CheckIntegrityOptions): Promise<IntegrityReport> {
  return runAsAdmin(async () => {
    const { design, document, tableNames } = options;
    const copies = options.copies ?? DEFAULT_COPIES[design];
    const snapshot = new Snapshot();
    const tables: Array<{ name: string; reader: (item: Item) => void }> = [];
    for (const definition of tableDefinitions(design)) {
      const name = tableNames[definition.id];
      if (!name) throw new Error(`no physical name given for table ${definition.id}`);
      const reader =
        design === "single"
          ? singleTableReader(document, name, snapshot)
          : multiTableReader(definition.id, name, snapshot);
      if (!reader) throw new Error(`the checker cannot read table ${definition.id} of the ${design} design`);
      tables.push({ name, reader });
    }
    const estimates = await Promise.all(tables.map((table) => estimatedItemCount(document, table.name)));
    // Every table's estimate up front, so a progress display knows the whole job before the first page.
    for (const [index, table] of tables.entries()) {
      options.onProgress?.({ table: table.name, scanned: 0, estimated: estimates[index] ?? 0 });
    }
    for (const [index, table] of tables.entries()) {
      await scanTable(
        document,
        table.name,
        { segments: options.segments ?? 4, pageSize: options.pageSize, estimated: estimates[index] ?? 0 },
        (items) => {
          for (const item of items) table.reader(item);
        },
        options.onProgress,
      );
    }
    checkRelations(snapshot, copies);
    return {
      ok: snapshot.violations.length === 0,
      design,
      copies,
      counts: snapshot.counts,
      violations: snapshot.violations,
    };
  });
}
