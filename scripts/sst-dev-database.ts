/**
 * The `LocalDynamo` DevCommand of `TABLELAB_DEV_DB=local pnpm dev:aws` (stacks/dev-database.ts; `sst dev` runs
 * it with the stage's tables linked and DYNAMODB_ENDPOINT set). It makes this checkout's DynamoDB Local answer
 * at that endpoint — reusing the one a running `pnpm dev` started, else starting one on the same port and data
 * directory (`.data/`) — creates the stage's tables in it under the names the function is linked to, and runs
 * until `sst dev` stops it, stopping only a database it started itself. It never writes into a DynamoDB that
 * this checkout did not start. On a COPIES=stream stage it also runs the local stream consumer on those tables, as
 * `pnpm dev` does: the stage's cloud subscription reads the cloud tables' streams, which never see a write the
 * function makes to DynamoDB Local, so without it copies would never converge.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createDynamoClients,
  createStore,
  type DynamoClients,
  parseCopyStrategy,
  parseTableDesign,
  type TableDesign,
  tableDefinitions,
  tablesWithStream,
} from "@tablelab/core";
import {
  ensureTable,
  isDynamoDbAnswering,
  JavaMissingError,
  type LocalCopyConsumer,
  startDynamoDbLocal,
  startLocalCopyConsumer,
} from "@tablelab/core/local";
import { Resource } from "sst";
import { dataDirectory } from "../packages/api/scripts/local.js";

/** Field 22 of /proc/<pid>/stat (start time in clock ticks), or undefined when no such process runs. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/**
 * True when a running `pnpm dev` of this checkout started the DynamoDB Local on `port`. Two records are
 * understood: the registry of running instances (`<data dir>/run/dynamodb-<port>.json`, whose owner is named by
 * pid and start time), and the older `<data dir>/dynamodb-local.pid` (the java pid). Anything else answering on
 * the port is not ours to write into.
 */
function startedByPnpmDev(port: number): boolean {
  const directory = dataDirectory();
  const claim = join(directory, "run", `dynamodb-${port}.json`);
  if (existsSync(claim)) {
    try {
      const { owner } = JSON.parse(readFileSync(claim, "utf8")) as { owner?: { pid: number; startTime: string } };
      if (owner && startTime(owner.pid) === owner.startTime) return true;
    } catch {}
  }
  const pidFile = join(directory, "dynamodb-local.pid");
  if (!existsSync(pidFile)) return false;
  try {
    const command = readFileSync(`/proc/${Number(readFileSync(pidFile, "utf8"))}/cmdline`, "utf8").split("\0");
    return command.some((part) => part.endsWith("DynamoDBLocal.jar")) && command.includes(String(port));
  } catch {
    return false;
  }
}

/** The physical name of each of the design's tables: the names `sst dev` linked to this command. */
function linkedTableNames(design: TableDesign): Record<string, string> {
  const linked = Resource as unknown as Record<string, { name: string } | undefined>;
  return Object.fromEntries(
    tableDefinitions(design).map((definition) => {
      const name = linked[definition.id]?.name;
      if (!name) throw new Error(`the table ${definition.id} is not linked to this command`);
      return [definition.id, name];
    }),
  );
}

/** COPIES=stream: the consumer of the tables' streams that keeps the copies current (see the header). */
async function startCopyConsumer(
  clients: DynamoClients,
  design: TableDesign,
  tableNames: Record<string, string>,
  stopping: () => boolean,
): Promise<LocalCopyConsumer> {
  const streamed = tablesWithStream(design, "stream").map((definition) => tableNames[definition.id] as string);
  const consumer = await startLocalCopyConsumer({
    client: clients.client,
    tableNames: streamed,
    keeper: createStore({
      design,
      copies: "stream",
      document: clients.document,
      tableNames,
      // The consumer issues no cursors.
      cursorSecret: "sst-dev-copies-consumer",
    }).copyKeeper,
    // Retried with backoff, never skipped: say so once per failure. Not while stopping: the Ctrl-C reaches a
    // DynamoDB Local this command started before the consumer's turn to stop.
    onError: (error, at) => {
      if (!stopping()) console.error(`copy consumer: ${at.table}: ${(error as Error).message} (retrying)`);
    },
  });
  console.log(`copy consumer following the streams of ${streamed.join(", ")} (COPIES=stream)`);
  return consumer;
}

async function main(): Promise<number> {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error("DYNAMODB_ENDPOINT is not set: run this through `TABLELAB_DEV_DB=local pnpm dev:aws`");
  const port = Number(new URL(endpoint).port);
  const design = parseTableDesign(process.env.TABLE_DESIGN);
  const copies = parseCopyStrategy(process.env.COPIES, design);
  const tableNames = linkedTableNames(design);
  const streamed = tablesWithStream(design, copies);
  let stop = async () => {};
  if (await isDynamoDbAnswering(endpoint)) {
    if (!startedByPnpmDev(port)) {
      console.error(
        `${endpoint} answers as a DynamoDB that this checkout's \`pnpm dev\` did not start; stop it, or pick a free port with DYNAMODB_LOCAL_PORT=<port> TABLELAB_DEV_DB=local pnpm dev:aws`,
      );
      return 1;
    }
    console.log(`using the DynamoDB Local of the running \`pnpm dev\` on ${endpoint}`);
  } else {
    const local = await startDynamoDbLocal({ port, dbPath: join(dataDirectory(), "dynamodb"), maxHeap: "256m" });
    stop = () => local.stop();
    console.log(`DynamoDB Local on ${endpoint} (pid ${local.pid}, data in .data/dynamodb)`);
  }

  // Table set-up is not on a request path: a JVM that just started may take seconds to answer, so be patient.
  const clients = createDynamoClients({ endpoint, requestTimeoutMs: 30_000, maxAttempts: 3 });
  let stopping = false;
  let consumer: LocalCopyConsumer | undefined;
  try {
    for (const definition of tableDefinitions(design)) {
      const name = tableNames[definition.id] as string;
      const created = await ensureTable(clients.client, definition, name, { stream: streamed.includes(definition) });
      console.log(`${created ? "created" : "found"} table ${name}`);
    }
    if (streamed.length > 0) consumer = await startCopyConsumer(clients, design, tableNames, () => stopping);

    // Stay up as long as `sst dev` does; it stops this command with a signal.
    await new Promise<void>((resolve) => {
      const stopped = () => {
        stopping = true;
        resolve();
      };
      process.once("SIGINT", stopped);
      process.once("SIGTERM", stopped);
    });
  } finally {
    if (consumer) {
      await consumer.stop();
      console.log("copy consumer stopped");
    }
    clients.destroy();
    await stop();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof JavaMissingError || error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
