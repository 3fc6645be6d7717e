import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type Event, type Store, type StoredUser, TooManyCopiesError } from "@tablelab/core";
import type { BillingCalibration } from "./billing.js";
import type { CopyWindow } from "./copies.js";
import { type CopyWriteTally, countCopyWrites } from "./copy-writes.js";
import type { Dataset, SeedRegistration } from "./dataset.js";
import { measureOperation } from "./measure-op.js";
import type { CopyMaintenanceStats } from "./metrics.js";
import { opClock, withOpClock } from "./op-clock.js";
import { Random, seededUlid } from "./random.js";
import { batchWriteAll } from "./seed/batch-write.js";
import type { ItemBuilder } from "./seed/items.js";
import { copyMaintenance } from "./workloads/runner.js";

/**
 * The fan-out sweep: for each size n, an event with n registrations (n attendees, seeded in bulk, unmeasured),
 * renamed once (measured) — what one rename costs as its copies grow: requests, round trips, WCU, latency, and for
 * `stream` the consumer's work and the convergence lag. Under `sync`, a rename past the store's limit
 * (MAX_SYNC_COPIES) is refused with 409 too_many_copies before anything is written: recorded as the point's
 * outcome, not an error of the run.
 */
export interface SweepPoint {
  copies: number;
  outcome: "renamed" | "refused" | "failed";
  /** `409 too_many_copies: …` when refused; the error when failed. */
  message?: string;
  requests: number;
  roundTrips: number;
  billedReadUnits: number;
  billedWriteUnits: number;
  /** Local wall-clock of the rename request (ms). */
  latencyMs: number;
  copyMaintenance: CopyMaintenanceStats;
}

export interface SweepContext {
  store: Store;
  build: ItemBuilder;
  tableNames: Record<string, string>;
  document: DynamoDBDocumentClient;
  seed: string;
  /** Where the sweep's clock starts: after every workload's. */
  clockStart: number;
  calibration: BillingCalibration;
  awaitCopies: () => Promise<CopyWindow>;
  copies: Parameters<ItemBuilder>[3];
}

/** The sweep's own entities: the same for every cell (from the seed), none shared with the workloads' data set. */
export function sweepDataset(sizes: readonly number[], seed: string, clockStart: number): Dataset {
  const largest = Math.max(0, ...sizes);
  const newId = seededUlid(Random.derive(seed, "sweep/ids"));
  const createdAt = new Date(clockStart).toISOString();
  const users: StoredUser[] = Array.from({ length: largest + 1 }, (_, index) => ({
    userId: newId(clockStart + index),
    name: `Sweep attendee ${index}`,
    email: `sweep.${index}@example.com`,
    createdAt,
    updatedAt: createdAt,
  }));
  const organizer = users[0] as StoredUser;
  const attendees = users.slice(1);
  const events: Event[] = sizes.map((size, index) => ({
    eventId: newId(clockStart + largest + 1 + index),
    organizerId: organizer.userId,
    name: `Sweep event with ${size} registrations`,
    venue: "Main hall",
    date: "2027-06-01",
    capacity: size,
    registeredCount: size,
    version: 1,
    createdAt,
    updatedAt: createdAt,
  }));
  const registrations: SeedRegistration[] = events.flatMap((event, index) =>
    attendees
      .slice(0, sizes[index])
      .map((user) => ({ eventId: event.eventId, userId: user.userId, registeredAt: createdAt })),
  );
  return { users, events, registrations, firstDay: "2027-06-01", lastDay: "2027-06-01", endsAt: clockStart };
}

export async function runSweep(sizes: readonly number[], context: SweepContext): Promise<SweepPoint[]> {
  if (sizes.length === 0) return [];
  const dataset = sweepDataset(sizes, context.seed, context.clockStart);
  const items = context.build(dataset, context.tableNames, context.document, context.copies);
  await batchWriteAll(context.document, items, { parallel: 4 });
  await context.awaitCopies(); // seeding writes originals too: their stream records are not the sweep's
  const points: SweepPoint[] = [];
  for (const [index, event] of dataset.events.entries()) {
    const copies = sizes[index] as number;
    const tally: CopyWriteTally = { requests: 0, writeUnits: 0 };
    const clock = opClock(context.seed, `sweep/${copies}`, context.clockStart + (index + 1) * 60_000);
    const run = await withOpClock(clock, () =>
      countCopyWrites(tally, () =>
        measureOperation(
          () =>
            context.store.updateEvent(
              event.eventId,
              event.organizerId,
              { name: `Renamed sweep ${copies}` },
              event.version,
            ),
          context.calibration,
        ),
      ),
    );
    const window = await context.awaitCopies();
    const point: SweepPoint = {
      copies,
      outcome: run.error === undefined ? "renamed" : run.error instanceof TooManyCopiesError ? "refused" : "failed",
      requests: run.requests,
      roundTrips: run.roundTrips,
      billedReadUnits: run.billedReadUnits,
      billedWriteUnits: run.billedWriteUnits,
      latencyMs: Math.round(run.latencyMs * 100) / 100,
      copyMaintenance: copyMaintenance(tally, window, 1, context.calibration),
    };
    if (run.error instanceof TooManyCopiesError) point.message = `409 ${run.error.code}: ${run.error.message}`;
    else if (run.error !== undefined)
      point.message = run.error instanceof Error ? run.error.message : String(run.error);
    points.push(point);
  }
  return points;
}
