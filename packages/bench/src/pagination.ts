/**
 * AP7 pagination across month buckets: requests and latency per page, sequential vs parallel bucket queries,
 * on a dense and a sparse six-month range, for both table designs, against a DynamoDB Local of its own.
 * Prints a Markdown table of medians from one run (docs/comparison.md quotes it). No options.
 */
import {
  type BucketQueries,
  createDynamoClients,
  createStore,
  defaultTableNames,
  measure,
  TABLE_DESIGNS,
  tableDefinitions,
} from "@tablelab/core";
import { ensureTable, startDynamoDbLocal } from "@tablelab/core/local";

const USAGE =
  "pnpm exec tsx packages/bench/src/pagination.ts — measures AP7 pages (sequential vs parallel bucket queries); no options";
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
if (args.length > 0) {
  console.error(`unknown argument ${args[0]}: ${USAGE}`);
  process.exit(2);
}

const LIMIT = 20;
const ROUNDS = 11;
const STRATEGIES: readonly BucketQueries[] = ["sequential", "parallel"];
/** Dense: 40 events in each of six months. Sparse: one event, in March, of six months. */
const RANGES = {
  dense: { from: "2080-01-01", to: "2080-06-30", events: 240 },
  sparse: { from: "2081-01-01", to: "2081-06-30", events: 1 },
} as const;
type RangeName = keyof typeof RANGES;

function datesOf(range: RangeName): string[] {
  if (range === "sparse") return ["2081-03-17"];
  return Array.from({ length: RANGES.dense.events }, (_, i) => {
    const month = String(1 + (i % 6)).padStart(2, "0");
    const day = String(1 + (Math.floor(i / 6) % 28)).padStart(2, "0");
    return `2080-${month}-${day}`;
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

interface Samples {
  pages: number;
  requests: number[];
  readUnits: number[];
  ms: number[];
}

const local = await startDynamoDbLocal({ maxHeap: "512m", startTimeoutMs: 120_000 });
// Generous timeouts: on a busy machine DynamoDB Local can queue a request past the 4 s local default.
const clients = createDynamoClients({
  endpoint: local.endpoint,
  connectionTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
});
try {
  const samples = new Map<string, Samples>();
  const stores = new Map<string, ReturnType<typeof createStore>>();
  for (const design of TABLE_DESIGNS) {
    const tableNames = defaultTableNames(design, "pages");
    for (const definition of tableDefinitions(design)) {
      await ensureTable(clients.client, definition, tableNames[definition.id] as string);
    }
    for (const bucketQueries of STRATEGIES) {
      stores.set(
        `${design}/${bucketQueries}`,
        createStore({ design, document: clients.document, tableNames, cursorSecret: "pages", bucketQueries }),
      );
    }
    const writer = stores.get(`${design}/sequential`);
    if (!writer) throw new Error("no store");
    const organizer = await writer.createUser({ email: "pages@example.com", name: "Pages" });
    for (const range of Object.keys(RANGES) as RangeName[]) {
      const dates = datesOf(range);
      for (let i = 0; i < dates.length; i += 10) {
        await Promise.all(
          dates
            .slice(i, i + 10)
            .map((date) => writer.createEvent(organizer.userId, { name: "Paged", date, capacity: 10 })),
        );
      }
    }
  }

  // Rounds interleave every combination, so that drift on a shared machine touches all of them alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [key, store] of stores) {
      for (const range of Object.keys(RANGES) as RangeName[]) {
        const entry = samples.get(`${key}/${range}`) ?? { pages: 0, requests: [], readUnits: [], ms: [] };
        samples.set(`${key}/${range}`, entry);
        let cursor: string | undefined;
        let pages = 0;
        do {
          const started = performance.now();
          const { result, meter } = await measure(() =>
            store.listEventsByDate(RANGES[range], { limit: LIMIT, cursor }),
          );
          const ms = performance.now() - started;
          // The first round warms connections and the JIT: its figures are not kept.
          if (round > 0) {
            entry.requests.push(meter.requests);
            entry.readUnits.push(meter.readUnits);
            entry.ms.push(ms);
          }
          pages += 1;
          cursor = result.cursor ?? undefined;
        } while (cursor);
        entry.pages = pages;
      }
    }
  }

  console.log(`AP7, limit ${LIMIT}, six-month ranges; medians per page over ${ROUNDS - 1} walks (DynamoDB Local)`);
  console.log("");
  console.log(
    "| design | range | bucket queries | pages | requests / page (median, max) | read units / page | ms / page (median) |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const [key, entry] of samples) {
    const [design, strategy, range] = key.split("/");
    console.log(
      `| ${design} | ${range} (${RANGES[range as RangeName].events} event${range === "sparse" ? "" : "s"}) | ${strategy} | ${entry.pages} | ` +
        `${median(entry.requests)}, ${Math.max(...entry.requests)} | ${median(entry.readUnits)} | ${median(entry.ms).toFixed(2)} |`,
    );
  }
} finally {
  clients.destroy();
  await local.stop();
}
