import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createDynamoClients, parseTableDesign, tableDefinitions } from "@tablelab/core";
import { ensureTable, isDynamoDbAnswering, JavaMissingError, startDynamoDbLocal } from "@tablelab/core/local";
import { loadConfig } from "../src/config.js";
import { dataDirectory, localJwtSecret, repoRoot } from "./local.js";

/**
 * `pnpm dev`: DynamoDB Local with data under .data/ (unless DYNAMODB_ENDPOINT is set), the tables of the chosen
 * design, a kept local JWT secret, and the API under a file watcher. Ctrl-C stops all of it.
 */
const PID_FILE = join(dataDirectory(), "dynamodb-local.pid");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A DynamoDB Local left running by a `pnpm dev` that was killed outright: stop it by the pid we recorded. */
async function stopStaleInstance(): Promise<void> {
  if (!existsSync(PID_FILE)) return;
  const pid = Number(readFileSync(PID_FILE, "utf8"));
  rmSync(PID_FILE, { force: true });
  if (!Number.isInteger(pid) || !alive(pid)) return;
  let command = "";
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {}
  if (!command.includes("DynamoDBLocal")) return; // the pid was reused by something else: leave it alone
  console.log(`stopping the DynamoDB Local (pid ${pid}) a previous run left behind`);
  process.kill(pid, "SIGTERM");
  for (let waited = 0; alive(pid) && waited < 5000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

async function main() {
  const design = parseTableDesign(process.env.TABLE_DESIGN);
  let stopDatabase = async () => {};
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    await stopStaleInstance();
    const port = Number(process.env.DYNAMODB_LOCAL_PORT || 8000);
    if (await isDynamoDbAnswering(`http://127.0.0.1:${port}`)) {
      throw new Error(
        `port ${port} already serves a DynamoDB that this checkout did not start; stop it, or set DYNAMODB_ENDPOINT=http://127.0.0.1:${port} to use it, or DYNAMODB_LOCAL_PORT to pick another port`,
      );
    }
    const dbPath = join(dataDirectory(), "dynamodb");
    const local = await startDynamoDbLocal({ port, dbPath, maxHeap: "256m" });
    writeFileSync(PID_FILE, String(local.pid));
    stopDatabase = async () => {
      await local.stop();
      rmSync(PID_FILE, { force: true });
    };
    endpoint = local.endpoint;
    console.log(
      `DynamoDB Local on ${endpoint} (pid ${local.pid}, data in ${relative(process.cwd(), dbPath) || dbPath})`,
    );
  }

  const env = { ...process.env, DYNAMODB_ENDPOINT: endpoint, JWT_SECRET: localJwtSecret() };
  const config = loadConfig(env);
  const clients = createDynamoClients({ endpoint });
  for (const definition of tableDefinitions(design)) {
    const name = config.tableNames[definition.id] as string;
    if (await ensureTable(clients.client, definition, name)) console.log(`created table ${name}`);
  }
  clients.destroy();

  const tsx = join(repoRoot(), "node_modules", ".bin", "tsx");
  const server: ChildProcess = spawn(tsx, ["watch", "--clear-screen=false", "src/server.ts"], {
    cwd: join(repoRoot(), "packages", "api"),
    env,
    stdio: "inherit",
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (server.exitCode === null) server.kill("SIGTERM");
    await stopDatabase();
    process.exit(code);
  };
  server.on("exit", (code) => void stop(code ?? 0));
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
}

main().catch((error: unknown) => {
  console.error(error instanceof JavaMissingError ? error.message : error);
  process.exit(1);
});
