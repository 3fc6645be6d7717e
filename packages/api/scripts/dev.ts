import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, renameSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative } from "node:path";
import { createDynamoClients, createStore, tableDefinitions, tablesWithStream } from "@tablelab/core";
import {
  ensureTable,
  isDynamoDbAnswering,
  JavaMissingError,
  processIdentity,
  startDynamoDbLocal,
  startLocalCopyConsumer,
} from "@tablelab/core/local";
import { type ApiConfig, loadConfig } from "../src/config.js";
import { type Claim, claimPorts, describeInstance, PortClaimedError } from "./instances.js";
import { CONFIGURATION_HELP, cli, dataDirectory, localJwtSecret, repoRoot, UsageError } from "./local.js";

/**
 * `pnpm dev`: DynamoDB Local with data under .data/ (unless DYNAMODB_ENDPOINT is set), the tables of the chosen
 * design, a kept local JWT secret, and the API under a file watcher. Ctrl-C stops all of it.
 *
 * Several may run side by side in one checkout, each on its own PORT and DYNAMODB_LOCAL_PORT: each owns its
 * DynamoDB Local and that port's data directory (`.data/dynamodb-<port>`; DynamoDB Local keeps one SQLite file
 * per directory and is not made for two JVMs writing it). The registry in `.data/run/` (see instances.ts) refuses
 * a start whose port a live instance holds, and lets the next start stop what a killed one left behind.
 */
cli("dev")
  .description(
    "Runs the API locally: starts DynamoDB Local (data kept under .data/), creates the tables of the design, " +
      "and serves the API with interactive docs, reloading on change. Ctrl-C stops everything.",
  )
  .addHelpText("after", CONFIGURATION_HELP)
  .parse();

/** A process `pnpm dev` runs: stopped in the reverse order of starting. */
interface Service {
  name: string;
  /** Settles when it ends (by itself or stopped), saying how: "code 1", "SIGKILL", … */
  exited: Promise<string>;
  /** Stops it; resolves once it has exited. */
  stop(): Promise<void>;
}

const SIGNAL_GRACE_MS = 1500;

/** True when nothing listens on the port of 127.0.0.1 (we bind it for a moment to find out). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/**
 * portIsFree, asked again for up to `withinMs`: a stopped orphan counts as gone once it is a zombie (`terminate`),
 * and on a loaded machine its port was seen still in use by the probe right after that (the process test's
 * "orphaned DynamoDB Local" start then refused with "in use by another program").
 */
async function portFreedWithin(port: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await portIsFree(port)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** DynamoDB Local's files for one port. `.data/dynamodb` (before ports had their own) becomes port 8000's. */
function databaseDirectory(dataDir: string, port: number): string {
  const directory = join(dataDir, `dynamodb-${port}`);
  const legacy = join(dataDir, "dynamodb");
  if (port === 8000 && !existsSync(directory) && existsSync(legacy)) renameSync(legacy, directory);
  return directory;
}

function shortPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside.startsWith("..") ? path : inside;
}

function exitOf(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(child.signalCode ?? `code ${child.exitCode}`);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal ?? `code ${code}`)));
}

async function startDatabase(claim: Claim, dataDir: string, port: number): Promise<Service & { endpoint: string }> {
  const dbPath = databaseDirectory(dataDir, port);
  const local = await startDynamoDbLocal({ port, dbPath, maxHeap: "256m" });
  const identity = processIdentity(local.pid);
  if (identity)
    claim.update({
      children: [...claim.instance.children, { ...identity, name: "DynamoDB Local", commandIncludes: "DynamoDBLocal" }],
    });
  console.log(`DynamoDB Local on ${local.endpoint} (pid ${local.pid}, data in ${shortPath(dbPath)})`);
  if (!local.loopbackOnly)
    console.log(
      "warning: this Java has no jdk.compiler module, so DynamoDB Local listens on every interface (see README)",
    );
  return { name: "DynamoDB Local", exited: local.exited, endpoint: local.endpoint, stop: local.stop };
}

function startApiServer(claim: Claim, env: NodeJS.ProcessEnv): Service {
  const tsx = join(repoRoot(), "node_modules", ".bin", "tsx");
  const child = spawn(tsx, ["watch", "--clear-screen=false", "src/server.ts"], {
    cwd: join(repoRoot(), "packages", "api"),
    env,
    stdio: "inherit",
  });
  const identity = child.pid ? processIdentity(child.pid) : undefined;
  if (identity)
    claim.update({
      children: [...claim.instance.children, { ...identity, name: "API server", commandIncludes: "src/server.ts" }],
    });
  const exited = exitOf(child);
  return {
    name: "API server",
    exited,
    async stop() {
      // A Ctrl-C in the terminal reaches the watcher too, and it stops the server itself: a second signal
      // would make it force-kill ("Force killing…"). Signal it only if it is still up after a moment.
      const timer = setTimeout(() => child.kill("SIGTERM"), SIGNAL_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * COPIES=stream: the local consumer of the tables' streams that keeps the copies current (the API process only
 * writes originals). The one place `pnpm dev` starts it; as a Service it is stopped with everything else, after
 * the API (reverse order), and a consumer that dies takes the instance down rather than leaving copies stale.
 * Other strategies need no process: undefined.
 */
async function startCopyConsumer(config: ApiConfig, stopping: () => boolean): Promise<Service | undefined> {
  if (config.copies !== "stream") return undefined;
  const clients = createDynamoClients({ ...config.dynamo, metrics: false });
  const keeper = createStore({
    design: config.design,
    copies: config.copies,
    document: clients.document,
    tableNames: config.tableNames,
    // The consumer issues no cursors.
    cursorSecret: "pnpm-dev-copies-consumer",
  }).copyKeeper;
  let consumer: Awaited<ReturnType<typeof startLocalCopyConsumer>>;
  try {
    consumer = await startLocalCopyConsumer({
      client: clients.client,
      tableNames: tablesWithStream(config.design, config.copies).map((table) => config.tableNames[table.id] as string),
      keeper,
      // A record that keeps failing is retried with backoff (never skipped): say so once per failure. Not while
      // pnpm dev stops: a Ctrl-C reaches DynamoDB Local at once, before the consumer's turn to stop.
      onError: (error, at) => {
        if (!stopping()) console.error(`copy consumer: ${at.table}: ${(error as Error).message} (retrying)`);
      },
    });
  } catch (error) {
    clients.destroy();
    throw error;
  }
  console.log(`copy consumer following the streams of ${config.design} tables (COPIES=stream)`);
  let stopped: (how: string) => void = () => {};
  const exited = new Promise<string>((resolve) => {
    stopped = resolve;
  });
  return {
    name: "copy consumer",
    exited,
    async stop() {
      await consumer.stop();
      clients.destroy();
      stopped("stopped");
    },
  };
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env); // TABLE_DESIGN, COPIES, PORT, LOG_LEVEL
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const dataDir = dataDirectory();
  const explicitEndpoint = process.env.DYNAMODB_ENDPOINT || undefined;
  const databasePort = Number(process.env.DYNAMODB_LOCAL_PORT || 8000);
  if (!explicitEndpoint && !(Number.isInteger(databasePort) && databasePort > 0 && databasePort < 65536))
    throw new UsageError(`DYNAMODB_LOCAL_PORT must be a port number (got "${process.env.DYNAMODB_LOCAL_PORT}")`);

  let claim: Claim;
  try {
    claim = await claimPorts(dataDir, {
      apiPort: config.port,
      design: config.design,
      copies: config.copies,
      tableName: process.env.TABLE_NAME || "tablelab",
      endpoint: explicitEndpoint ?? `http://127.0.0.1:${databasePort}`,
      ...(explicitEndpoint ? {} : { dynamodbLocalPort: databasePort }),
    });
  } catch (error) {
    if (!(error instanceof PortClaimedError)) throw error;
    const holder = describeInstance(error.holder);
    throw new UsageError(
      error.variable === "PORT"
        ? `PORT ${config.port} is taken by ${holder}: stop it first, or set PORT to another port`
        : `DYNAMODB_LOCAL_PORT ${databasePort} is taken by ${holder}: set DYNAMODB_LOCAL_PORT to another port ` +
            `for a database of its own, or DYNAMODB_ENDPOINT=${error.holder.endpoint} to share that one`,
    );
  }
  for (const line of claim.cleanedUp) console.log(`stopped ${line}, left behind by a pnpm dev that was killed`);

  const services: Service[] = [];
  let stopping = false;
  const stop = async (code: number, message?: string) => {
    if (stopping) return;
    stopping = true;
    if (message) console.error(message);
    for (const service of [...services].reverse()) await service.stop();
    claim.release();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0, "pnpm dev: stopping"));
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGHUP", () => void stop(0));
  /** A service that ends while nobody is stopping takes the rest down with it, and says which and why. */
  const supervise = (service: Service) => {
    services.push(service);
    void service.exited.then((how) => {
      // A Ctrl-C reaches every process of the terminal's group at once: give our own handler a moment to run.
      setTimeout(() => {
        if (!stopping) void stop(1, `pnpm dev: ${service.name} exited (${how}); stopping everything`);
      }, 300);
    });
  };

  try {
    // Only after stopping what a killed run left behind is it worth waiting for its ports to be released.
    const releaseMs = claim.cleanedUp.length > 0 ? 10_000 : 0;
    if (!(await portFreedWithin(config.port, releaseMs)))
      throw new UsageError(`PORT ${config.port} is in use by another program: set PORT to a free port`);
    let endpoint = explicitEndpoint;
    if (endpoint) {
      if (!(await isDynamoDbAnswering(endpoint, 3000)))
        throw new UsageError(
          `DYNAMODB_ENDPOINT=${endpoint} does not answer: start that DynamoDB, or unset DYNAMODB_ENDPOINT ` +
            "and pnpm dev starts DynamoDB Local itself",
        );
    } else {
      if (!(await portFreedWithin(databasePort, releaseMs))) {
        const answering = await isDynamoDbAnswering(`http://127.0.0.1:${databasePort}`);
        throw new UsageError(
          answering
            ? `DYNAMODB_LOCAL_PORT ${databasePort} already serves a DynamoDB that this checkout's pnpm dev did not ` +
                `start: stop it, set DYNAMODB_LOCAL_PORT to a free port, or DYNAMODB_ENDPOINT=http://127.0.0.1:${databasePort} to use it`
            : `DYNAMODB_LOCAL_PORT ${databasePort} is in use by another program: set DYNAMODB_LOCAL_PORT to a free port`,
        );
      }
      const database = await startDatabase(claim, dataDir, databasePort);
      supervise(database);
      endpoint = database.endpoint;
    }

    const env = { ...process.env, DYNAMODB_ENDPOINT: endpoint, JWT_SECRET: localJwtSecret() };
    const tables = loadConfig(env);
    // Patient: a busy machine may take longer than the API's request timeout to create a table.
    const clients = createDynamoClients({ endpoint, requestTimeoutMs: 30_000, maxAttempts: 5 });
    try {
      for (const definition of tableDefinitions(tables.design)) {
        const name = tables.tableNames[definition.id] as string;
        const stream = tablesWithStream(tables.design, tables.copies).includes(definition);
        if (await ensureTable(clients.client, definition, name, { stream })) console.log(`created table ${name}`);
      }
    } finally {
      clients.destroy();
    }

    // Every further process `pnpm dev` runs is started here, after the tables exist, with `supervise`.
    const consumer = await startCopyConsumer(tables, () => stopping);
    if (consumer) supervise(consumer);
    supervise(startApiServer(claim, env));
  } catch (error) {
    for (const service of [...services].reverse()) await service.stop();
    claim.release();
    throw error;
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    error instanceof UsageError || error instanceof JavaMissingError ? message : `pnpm dev failed: ${message}`,
  );
  process.exit(1);
});
