import { randomBytes } from "node:crypto";
import {
  type CopyStrategy,
  createDynamoClients,
  createStore,
  type DynamoClients,
  isLocalEndpoint,
  measure,
  type Store,
  type TableDefinition,
  type TableDesign,
  tableDefinitions,
} from "@tablelab/core";
import { type DynamoDbLocal, startDynamoDbLocal } from "@tablelab/core/local";
import type { CompareOptions } from "./args.js";
import { type BillingCalibration, billCalls, type Prices } from "./billing.js";
import { calibrateTransactions } from "./calibrate.js";
import { censusOf, type StorageCensus, scanCensus } from "./census.js";
import { CopyConsumers, type StartConsumer } from "./copies.js";
import { installCopyWriteCounter } from "./copy-writes.js";
import { type Dataset, generateDataset } from "./dataset.js";
import { type Highlight, probeHighlights } from "./highlights.js";
import type { PatternStats } from "./metrics.js";
import { opClock, storeClock, withOpClock } from "./op-clock.js";
import { runPool } from "./pool.js";
import { installProbe } from "./probe.js";
import type { Progress } from "./progress.js";
import { Random } from "./random.js";
import { type SampleTable, sampleFocus, sampleTables } from "./samples.js";
import { batchWriteAll } from "./seed/batch-write.js";
import { ITEM_BUILDERS } from "./seed/items.js";
import { runSweep, type SweepPoint } from "./sweep.js";
import { ComparisonTables, comparisonTableNames } from "./tables.js";
import { installTraffic } from "./traffic.js";
import { type DesignVariant, variantName } from "./variants.js";
import { WORKLOADS } from "./workloads/patterns.js";
import { type PlannedWorkload, runWorkload } from "./workloads/runner.js";
import type { PatternId } from "./workloads/types.js";

export interface SeedingFigures {
  items: number;
  requests: number;
  writeUnits: number;
  billedWriteUnits: number;
  durationMs: number;
}

/** One cell of the grid, measured. */
export interface DesignResult {
  /** `single+sync`, …: what every report keys on. */
  variant: string;
  design: TableDesign;
  copies: CopyStrategy;
  tables: Record<string, string>;
  seeding: SeedingFigures;
  /** Computed from the items the seeder wrote (DynamoDB's item-size rules). */
  storage: StorageCensus;
  /** The same, read back with Scan after seeding (harness only, never in a workload). */
  scannedStorage: StorageCensus;
  patterns: PatternStats[];
  samples: SampleTable[];
  /** Per read pattern, the request's table/index, key condition and returned rows, on the sample's entities. */
  highlights: Partial<Record<PatternId, Highlight[]>>;
  /** The first error message per pattern, if any operation failed. */
  errors: Record<string, string>;
  /** The fan-out sweep (sweep.ts), one point per size; empty with --no-sweep. */
  sweep: SweepPoint[];
}

export interface ComparisonResult {
  meta: {
    startedAt: string;
    durationMs: number;
    runId: string;
    seed: string;
    requested: { users: number; events: number; registrations: number };
    dataset: {
      users: number;
      events: number;
      registrations: number;
      fullEvents: number;
      firstDay: string;
      lastDay: string;
    };
    ops: number;
    concurrency: number;
    pageSize: number;
    /** The grid cells run, by name (`single+sync`, …). */
    designs: string[];
    /** Copies per rename the sweep measured. */
    sweep: number[];
    target: { kind: "dynamodb-local" | "endpoint" | "aws"; endpoint?: string; region?: string };
    tablesKept: boolean;
    node: string;
    calibration: BillingCalibration;
  };
  prices: Prices;
  designs: DesignResult[];
}

/** Raised before any call when the run would write somewhere the tool did not start, without `--yes`. */
export class RefusalError extends Error {}

export interface RunHooks {
  progress: Progress;
  log: (line: string) => void;
  /** Aborts between operations (Ctrl-C); the tables created so far are still deleted. */
  signal?: AbortSignal;
  /** Starts a `stream` cell's consumer (copies.ts); idle by default. */
  startConsumer?: StartConsumer;
}

const WARM_UP_OPS = 40;

/** Unmeasured reads on every design before measuring: JIT, sockets and DynamoDB Local's caches warm alike. */
async function warmUp(store: Store, dataset: Dataset, concurrency: number): Promise<void> {
  const clock = opClock("warm-up", "warm-up", dataset.endsAt);
  const tasks = Array.from({ length: WARM_UP_OPS }, (_, index) => index);
  await runPool(tasks, concurrency, async (index) => {
    const user = dataset.users[index % dataset.users.length];
    const event = dataset.events[index % dataset.events.length];
    await withOpClock(clock, async () => {
      if (user) await store.getUser(user.userId);
      if (event) await store.getEventWithAttendees(event.eventId, { limit: 20 });
    });
  });
}

/** Writing to an endpoint this tool did not start (any `--endpoint`, or AWS via `--region`) needs `--yes`. */
export function isExternal(options: Pick<CompareOptions, "endpoint" | "region">): boolean {
  return options.endpoint !== undefined || options.region !== undefined;
}

export function plannedTables(options: Pick<CompareOptions, "designs">, runId: string): string[] {
  return options.designs.flatMap((variant) => Object.values(comparisonTableNames(variant, runId)));
}

export function newRunId(): string {
  // Lower case: DynamoDB Local folds table-name case.
  return `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

function planWorkloads(dataset: Dataset, options: CompareOptions): PlannedWorkload[] {
  return WORKLOADS.map((workload, index) => {
    const plan = workload.plan({
      dataset,
      random: Random.derive(options.seed, `plan/${workload.id}`),
      ops: options.ops,
      pageSize: options.pageSize,
    });
    return {
      workload,
      ops: plan.ops,
      walks: plan.walks ?? [],
      clockStart: dataset.endsAt + (index + 1) * 86_400_000 * 30,
    };
  });
}

export async function runComparison(
  options: CompareOptions,
  prices: Prices,
  hooks: RunHooks,
  runId = newRunId(),
): Promise<ComparisonResult> {
  const external = isExternal(options);
  if (external && !options.yes) {
    throw new RefusalError(
      [
        `Refusing to write to ${options.endpoint ?? `AWS (${options.region})`} without --yes.`,
        "This run would create (and at the end delete) these tables, tagged tablelab:compare=<runid>:",
        ...plannedTables(options, runId).map((name) => `  ${name}`),
        `and write about ${options.users * 2 + options.events + options.registrations} items per design with BatchWriteItem,`,
        `then ${options.ops} operations per access pattern (16 patterns) per design` +
          (options.sweep.length > 0
            ? `, and a fan-out sweep (${options.sweep.join(", ")} copies per rename: about ${2 * Math.max(...options.sweep) + options.sweep.reduce((a, b) => a + b, 0)} more items per design).`
            : ".") +
          " Re-run with --yes to proceed.",
      ].join("\n"),
    );
  }

  const started = Date.now();
  let local: DynamoDbLocal | undefined;
  let clients: DynamoClients | undefined;
  let tables: ComparisonTables | undefined;
  const consumers = new CopyConsumers(hooks.startConsumer);
  try {
    if (!external) {
      hooks.log("starting DynamoDB Local…");
      local = await startDynamoDbLocal({ maxHeap: "1g" });
    }
    const endpoint = local?.endpoint ?? options.endpoint;
    clients = createDynamoClients({
      endpoint,
      region: options.region,
      metrics: true,
      maxSockets: 64,
      // The harness bulk-loads: give a busy DynamoDB Local more time than the API's fail-fast budget.
      requestTimeoutMs: 30_000,
      maxAttempts: 4,
    });
    tables = new ComparisonTables(clients.client, runId);
    installProbe(clients.client);
    installCopyWriteCounter(clients.client);
    const physical = new Map<string, TableDefinition>();
    installTraffic(clients.client, () => physical);

    const dataset = generateDataset(options, options.seed);
    const fullEvents = dataset.events.filter((event) => event.registeredCount >= event.capacity).length;
    hooks.log(
      `data set (seed "${options.seed}"): ${dataset.users.length} users, ${dataset.events.length} events ` +
        `(${fullEvents} full), ${dataset.registrations.length} registrations`,
    );
    const planned = planWorkloads(dataset, options);
    const focus = sampleFocus(dataset);

    // 1. Tables for every cell of the grid (their own: the copy strategy changes what the items hold), then the
    //    calibration of the endpoint's transaction figures (billing.ts).
    const prepared: Array<{ variant: DesignVariant; name: string; tableNames: Record<string, string> }> = [];
    for (const variant of options.designs) {
      const name = variantName(variant);
      hooks.log(`[${name}] creating tables…`);
      const tableNames = await tables.create(variant);
      for (const definition of tableDefinitions(variant.design))
        physical.set(tableNames[definition.id] as string, definition);
      prepared.push({ variant, name, tableNames });
    }
    const first = prepared[0];
    const firstDefinition = first ? tableDefinitions(first.variant.design)[0] : undefined;
    if (!first || !firstDefinition) throw new Error("no design to compare");
    const calibration = await calibrateTransactions(
      clients.client,
      firstDefinition,
      first.tableNames[firstDefinition.id] as string,
    );
    hooks.log(
      `calibration: a one-item transactional write was reported as ${calibration.reportedTransactWrite} WCU ` +
        `(AWS bills 2): transaction units × ${calibration.transactionFactor}`,
    );

    // 2. The same data set into every cell, with BatchWriteItem (the items each cell's store would write: they
    //    depend on the copy strategy); then the storage census. A `stream` cell's streams are turned on after
    //    its seeding (tables.ts, `enableStreams`), and its consumer starts on them.
    const seeded: Array<Omit<DesignResult, "patterns" | "errors" | "sweep"> & { store: Store; cell: DesignVariant }> =
      [];
    for (const { variant, name, tableNames } of prepared) {
      const { design, copies } = variant;
      const definitions = tableDefinitions(design);
      const items = ITEM_BUILDERS[design](dataset, tableNames, clients.document, copies);
      const seedStarted = performance.now();
      const bar = hooks.progress.start(`[${name}] seeding`, items.length);
      const document = clients.document;
      const { meter } = await measure(() =>
        batchWriteAll(document, items, { parallel: 4, onProgress: (n) => bar.increment(n) }),
      );
      bar.stop();
      hooks.signal?.throwIfAborted();
      const seeding: SeedingFigures = {
        items: items.length,
        requests: meter.requests,
        writeUnits: meter.writeUnits,
        billedWriteUnits: billCalls(meter.calls, calibration).writeUnits,
        durationMs: Math.round(performance.now() - seedStarted),
      };
      await tables.enableStreams(variant, tableNames);
      await consumers.start({ variant, tableNames, endpoint, region: options.region });
      await consumers.awaitCopies(variant);
      hooks.log(`[${name}] census: Scan of the seeded tables (harness only)…`);
      const store = createStore({
        design,
        copies,
        document: clients.document,
        tableNames,
        cursorSecret: `tablelab-compare-${options.seed}`,
        ...storeClock,
      });
      const highlights = await probeHighlights(store, definitions, tableNames, dataset, focus, options.pageSize);
      const drawn = new Set(Object.values(highlights).flatMap((list) => list.flatMap((h) => h.rows)));
      seeded.push({
        variant: name,
        design,
        copies,
        cell: variant,
        tables: tableNames,
        seeding,
        storage: censusOf(definitions, items),
        scannedStorage: await scanCensus(clients.document, definitions, tableNames),
        samples: sampleTables(definitions, items, focus, drawn),
        highlights,
        store,
      });
    }

    // 3. Warm-up (unmeasured reads, no state change), then the patterns in id order, every cell in turn per
    //    pattern, so no cell is measured on a colder JVM, connection pool or cache than another. After a write
    //    pattern, `awaitCopies` waits for a `stream` cell's consumer and hands back what it did (copies.ts).
    for (const { store } of seeded) await warmUp(store, dataset, options.concurrency);
    const results = new Map<string, { patterns: PatternStats[]; errors: Record<string, string> }>(
      seeded.map(({ variant }) => [variant, { patterns: [], errors: {} }]),
    );
    const total = planned.reduce((sum, workload) => sum + workload.ops.length, 0) * seeded.length;
    const opsBar = hooks.progress.start("AP1–AP16", total);
    for (const workload of planned) {
      for (const { variant, cell, store } of seeded) {
        const { stats, firstError } = await runWorkload(workload, {
          variant,
          store,
          awaitCopies: () => consumers.awaitCopies(cell),
          seed: options.seed,
          concurrency: options.concurrency,
          prices,
          calibration,
          ...(hooks.signal && { signal: hooks.signal }),
          onOperation: () => opsBar.increment(1),
        });
        const entry = results.get(variant);
        entry?.patterns.push(stats);
        if (firstError && entry) entry.errors[workload.workload.id] = firstError;
      }
    }
    opsBar.stop();

    // 4. The fan-out sweep, per cell: an event renamed with 10 … 5,000 copies (sweep.ts).
    const sweeps = new Map<string, SweepPoint[]>();
    const sweepStart = planned.reduce((latest, workload) => Math.max(latest, workload.clockStart), dataset.endsAt);
    for (const { variant, cell, store, tables: tableNames } of seeded) {
      if (options.sweep.length === 0) break;
      hooks.log(`[${variant}] fan-out sweep: ${options.sweep.join(", ")} copies per rename…`);
      hooks.signal?.throwIfAborted();
      const points = await runSweep(options.sweep, {
        store,
        build: ITEM_BUILDERS[cell.design],
        tableNames,
        document: clients.document,
        seed: options.seed,
        clockStart: sweepStart + 86_400_000 * 30,
        calibration,
        awaitCopies: () => consumers.awaitCopies(cell),
        copies: cell.copies,
      });
      for (const point of points.filter((p) => p.outcome === "failed"))
        hooks.log(`[${variant}] sweep: the rename with ${point.copies} copies failed: ${point.message}`);
      sweeps.set(variant, points);
    }

    const designs: DesignResult[] = seeded.map(({ store: _store, cell: _cell, ...rest }) => {
      const entry = results.get(rest.variant) ?? { patterns: [], errors: {} };
      for (const [pattern, error] of Object.entries(entry.errors))
        hooks.log(`[${rest.variant}] ${pattern} had errors: ${error}`);
      return { ...rest, ...entry, sweep: sweeps.get(rest.variant) ?? [] };
    });

    return {
      meta: {
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        runId,
        seed: options.seed,
        requested: { users: options.users, events: options.events, registrations: options.registrations },
        dataset: {
          users: dataset.users.length,
          events: dataset.events.length,
          registrations: dataset.registrations.length,
          fullEvents,
          firstDay: dataset.firstDay,
          lastDay: dataset.lastDay,
        },
        ops: options.ops,
        concurrency: options.concurrency,
        pageSize: options.pageSize,
        designs: options.designs.map(variantName),
        sweep: options.sweep,
        target: local
          ? { kind: "dynamodb-local" }
          : isLocalEndpoint(options.endpoint) || options.region === undefined
            ? { kind: "endpoint", ...(options.endpoint && { endpoint: options.endpoint }) }
            : {
                kind: options.endpoint ? "endpoint" : "aws",
                region: options.region,
                ...(options.endpoint && { endpoint: options.endpoint }),
              },
        tablesKept: options.keep,
        node: process.version,
        calibration,
      },
      prices,
      designs,
    };
  } finally {
    await consumers.stopAll().catch((error: unknown) => {
      hooks.log(`could not stop a copy consumer: ${(error as Error).message}`);
    });
    if (tables && !options.keep) {
      const deleted = await tables.deleteCreated().catch((error: unknown) => {
        hooks.log(`could not delete every table this run created: ${(error as Error).message}`);
        return [];
      });
      if (deleted.length > 0) hooks.log(`deleted ${deleted.length} tables this run created`);
    } else if (tables && tables.created.length > 0) {
      hooks.log(`kept tables: ${tables.created.join(", ")}`);
    }
    clients?.destroy();
    await local?.stop();
  }
}
