import { createDynamoClients, createStore, type DbCall, Meter, runMetered, tablesWithStream } from "@tablelab/core";
import { startLocalCopyConsumer } from "@tablelab/core/local";
import { type DesignVariant, variantName } from "./variants.js";

/**
 * The stream consumers of the `stream` cells, and the one hook the measurement calls after each write pattern:
 * `awaitCopies(variant)` waits until the consumer has caught up with every write so far and hands back what it
 * did meanwhile — its DynamoDB calls (counted on its own meter, apart from the measured requests) and the lag
 * of each copy it updated (commit of the original → last copy written).
 *
 * Each consumer runs inside `runMetered(meter, …)`, started outside every measured operation: AsyncLocalStorage
 * carries that scope into its polling loop, so every call it makes lands on its meter and on no operation's.
 */
export interface CopyWindow {
  /** The consumer's DynamoDB calls since the previous window (key Queries and copy UpdateItems). */
  calls: readonly DbCall[];
  /** From the end of the window's last write until every copy was current (ms): one sample per window. */
  lagMs: number[];
}

/** What the comparison uses of `startLocalCopyConsumer`'s result. */
export interface LocalCopyConsumer {
  stop(): Promise<void>;
  waitUntilCaughtUp(timeoutMs: number): Promise<void>;
  lagSamples(): readonly number[];
}

/** What starting a consumer needs: the cell, its tables, and the endpoint the run writes to. */
export interface ConsumerTarget {
  variant: DesignVariant;
  tableNames: Record<string, string>;
  endpoint?: string | undefined;
  region?: string | undefined;
}

export type StartConsumer = (target: ConsumerTarget) => LocalCopyConsumer | Promise<LocalCopyConsumer>;

/**
 * The real consumer of a `stream` cell: DynamoDB Local's Streams API read by the same poller and record handler
 * `pnpm dev` and the tests run. Its own clients, so its requests never share a socket pool with the measured ones
 * (its meter is the scope `CopyConsumers.start` runs it in).
 */
export const streamConsumer: StartConsumer = async (target) => {
  const { design } = target.variant;
  const clients = createDynamoClients({ endpoint: target.endpoint, region: target.region, metrics: true });
  const keeper = createStore({
    design,
    copies: "stream",
    document: clients.document,
    tableNames: target.tableNames,
    // The consumer issues no cursors.
    cursorSecret: "compare-copies-consumer",
  }).copyKeeper;
  try {
    const consumer = await startLocalCopyConsumer({
      client: clients.client,
      tableNames: tablesWithStream(design, "stream").map((definition) => target.tableNames[definition.id] as string),
      keeper,
    });
    return {
      ...consumer,
      stop: async () => {
        await consumer.stop();
        clients.destroy();
      },
    };
  } catch (error) {
    clients.destroy();
    throw error;
  }
};

/** How long a write pattern's copies may take to converge before the run fails (a stuck consumer). */
export const CATCH_UP_TIMEOUT_MS = 120_000;

interface Running {
  consumer: LocalCopyConsumer;
  meter: Meter;
  callsTaken: number;
}

export class CopyConsumers {
  readonly #running = new Map<string, Running>();

  constructor(private readonly startConsumer: StartConsumer = streamConsumer) {}

  /** Starts the consumer of a `stream` cell (nothing for the other strategies). */
  async start(target: ConsumerTarget): Promise<void> {
    if (target.variant.copies !== "stream") return;
    const meter = new Meter();
    const consumer = await runMetered(meter, () => this.startConsumer(target));
    this.#running.set(variantName(target.variant), { consumer, meter, callsTaken: 0 });
  }

  /** Resolves when the cell's copies are current; what its consumer did since the previous call. */
  async awaitCopies(variant: DesignVariant): Promise<CopyWindow> {
    const running = this.#running.get(variantName(variant));
    if (!running) return { calls: [], lagMs: [] };
    // Lag as the harness sees it: from this call, right after the last measured write answered, until every
    // copy is current. Not the consumer's own per-record figure: that one starts at the item's `updatedAt`, and
    // the comparison's stores run on a seeded clock (op-clock.ts), not the wall clock.
    const started = performance.now();
    await running.consumer.waitUntilCaughtUp(CATCH_UP_TIMEOUT_MS);
    const lagMs = [performance.now() - started];
    const calls = running.meter.calls.slice(running.callsTaken);
    running.callsTaken = running.meter.calls.length;
    return { calls, lagMs };
  }

  async stopAll(): Promise<void> {
    const running = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(running.map(({ consumer }) => consumer.stop()));
  }
}
