import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTableDesign, TABLE_DESIGNS, type TableDesign, tableDefinitions } from "@tablelab/core";
import { isDynamoDbAnswering } from "@tablelab/core/local";
import { Command } from "commander";
import { Resource } from "sst";
import { tableNamesFromEnvironment } from "../src/config/table-names.js";
import { type ApiConfig, loadConfig } from "../src/config.js";
import { type DevInstance, describeInstance, liveInstances } from "./instances.js";

/** The repository root: the directory holding pnpm-workspace.yaml. */
export function repoRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, "pnpm-workspace.yaml"))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error("not inside the tablelab checkout");
    directory = parent;
  }
  return directory;
}

/**
 * Where a checkout keeps its local state (DynamoDB Local's files, the JWT secret): `.data/` at the repository
 * root, git-ignored. `TABLELAB_DATA_DIR` moves it (the end-to-end tests use a temporary directory).
 */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const directory = env.TABLELAB_DATA_DIR ? resolve(env.TABLELAB_DATA_DIR) : resolve(repoRoot(), ".data");
  mkdirSync(directory, { recursive: true });
  return directory;
}

/** JWT_SECRET if set, else the per-checkout secret, created once and kept (mode 0600) under `.data/`. */
export function localJwtSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  const file = join(dataDirectory(env), "jwt-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  return readFileSync(file, "utf8").trim();
}

/** A mistake of the user's (configuration, arguments, a missing database): printed as one line, no stack. */
export class UsageError extends Error {}

/**
 * The command-line parser of every script here: `pnpm <name> --help` says what it does, its options and
 * defaults; an unknown option or a stray argument is a one-line error (exit 1).
 */
export function cli(name: string): Command {
  return new Command(`pnpm ${name}`)
    .allowExcessArguments(false)
    .showSuggestionAfterError(false)
    .configureOutput({ outputError: (message, write) => write(oneLineUsageError(message, `pnpm ${name}`)) });
}

/** Commander's error as one line, pointing at the help: `error: unknown option '--x' (see pnpm seed --help)`. */
export function oneLineUsageError(message: string, command: string): string {
  return `${message.trim().split("\n")[0]} (see ${command} --help)\n`;
}

export const CONFIGURATION_HELP = `
Environment (defaults in brackets):
  PORT                 API port [3000]
  DYNAMODB_ENDPOINT    use this DynamoDB instead of starting DynamoDB Local [unset]
  DYNAMODB_LOCAL_PORT  port of the DynamoDB Local that pnpm dev starts [8000]
  TABLE_DESIGN         single or multi [single]
  COPIES               how registrations keep copies of names: none, sync or stream [single: sync, multi: none]
  TABLE_NAME           the table name, or for multi the prefix of the table names [tablelab]
  JWT_SECRET           token secret [kept in .data/jwt-secret]
  LOG_LEVEL            info, debug, warn, error, silent [info]
  TABLELAB_DATA_DIR    where local state is kept [.data]
Two side by side, e.g.: TABLE_DESIGN=multi PORT=3001 DYNAMODB_LOCAL_PORT=8001 pnpm dev`;

export const TARGET_HELP = `
Which database (first that applies):
  under \`pnpm sst shell\` (SST_RESOURCE_* set): the stage's tables and JwtSecret, from SST's Resource
  DYNAMODB_ENDPOINT, or DYNAMODB_LOCAL_PORT: that DynamoDB
  otherwise: the DynamoDB of the pnpm dev running in this checkout (TABLE_DESIGN and COPIES pick one if several run)
TABLE_DESIGN, COPIES and TABLE_NAME default to that pnpm dev's (under \`pnpm sst shell\`, COPIES defaults to the
design's default: set it to the stage's when that differs, as \`sst deploy\` prints it).`;

/** Where a script's data lives and the secret its tokens and cursors are signed with. */
export interface ScriptTarget {
  config: ApiConfig;
  jwtSecret: string;
  /** For messages: "DynamoDB Local on port 8000 (the running pnpm dev)", "stage alice", … */
  where: string;
}

/**
 * The stage's design, from the tables `sst shell` linked (SST_RESOURCE_<id> for every table of the deployed
 * design): the stage fixes it. A TABLE_DESIGN left in the shell that names the other design is refused, rather
 * than followed into SST's "… is not linked" error or, worse, trusted.
 */
function designFromSstResources(env: NodeJS.ProcessEnv): TableDesign {
  const linked = TABLE_DESIGNS.filter((design) =>
    tableDefinitions(design).every(({ id }) => Boolean(env[`SST_RESOURCE_${id}`])),
  );
  const [design] = linked;
  if (!design || linked.length > 1)
    throw new UsageError(
      `this SST shell links ${design ? "the tables of both designs" : "no table of either design (Table, or Users, Events, …)"}: ` +
        "is the stage deployed?",
    );
  if (env.TABLE_DESIGN && parseTableDesign(env.TABLE_DESIGN) !== design)
    throw new UsageError(
      `TABLE_DESIGN=${env.TABLE_DESIGN}, but this stage's tables are the ${design} design: unset TABLE_DESIGN`,
    );
  return design;
}

/**
 * The database and secret of seed, token and the integrity check. Under `pnpm sst shell` the stage's, from
 * SST's Resource; else an explicit endpoint; else the running `pnpm dev` of this checkout, found in its
 * registry. Never a guessed port: with no database answering, a UsageError says what to start.
 */
export async function resolveScriptTarget(env: NodeJS.ProcessEnv = process.env): Promise<ScriptTarget> {
  if (env.SST_RESOURCE_App) {
    const design = designFromSstResources(env);
    const resource = Resource as unknown as { App: { stage: string } };
    const jwtSecret = scriptJwtSecret(env);
    const config = loadConfig({ ...env, TABLE_DESIGN: design });
    return {
      config: { ...config, tableNames: tableNamesFromEnvironment(design, env) },
      jwtSecret,
      where: `stage ${resource.App.stage}${config.dynamo.endpoint ? ` (${config.dynamo.endpoint})` : ""}`,
    };
  }
  let endpoint = env.DYNAMODB_ENDPOINT || undefined;
  let source = "DYNAMODB_ENDPOINT";
  const defaults: NodeJS.ProcessEnv = {};
  if (!endpoint && env.DYNAMODB_LOCAL_PORT) {
    endpoint = `http://127.0.0.1:${env.DYNAMODB_LOCAL_PORT}`;
    source = "DYNAMODB_LOCAL_PORT";
  }
  if (!endpoint) {
    const running = (await liveInstances(dataDirectory(env))).filter(
      (instance) =>
        (!env.TABLE_DESIGN || instance.design === env.TABLE_DESIGN) && (!env.COPIES || instance.copies === env.COPIES),
    );
    const asked = [env.TABLE_DESIGN && `TABLE_DESIGN=${env.TABLE_DESIGN}`, env.COPIES && `COPIES=${env.COPIES}`]
      .filter(Boolean)
      .join(" ");
    const endpoints = new Set(running.map((instance) => instance.endpoint));
    if (endpoints.size === 0)
      throw new UsageError(
        `no pnpm dev${asked ? ` with ${asked}` : ""} is running in this ` +
          "checkout: start one with `pnpm dev` (or set DYNAMODB_ENDPOINT)",
      );
    if (running.length > 1)
      throw new UsageError(
        `${running.length} pnpm dev are running here (${running.map(describeInstance).join("; ")}): ` +
          "set TABLE_DESIGN, COPIES or DYNAMODB_LOCAL_PORT to pick one",
      );
    const [instance] = running as [DevInstance];
    endpoint = instance.endpoint;
    source = `the pnpm dev of pid ${instance.owner.pid}`;
    defaults.TABLE_DESIGN = instance.design;
    if (instance.copies) defaults.COPIES = instance.copies;
    defaults.TABLE_NAME = instance.tableName;
  }
  if (!(await isDynamoDbAnswering(endpoint, 3000)))
    throw new UsageError(`no DynamoDB answers at ${endpoint} (${source}): start \`pnpm dev\` first`);
  const config = loadConfig({ ...defaults, ...env, DYNAMODB_ENDPOINT: endpoint });
  return { config, jwtSecret: scriptJwtSecret(env), where: `${endpoint} (${source})` };
}

/** The secret the API verifies tokens with: the stage's JwtSecret under `pnpm sst shell`, else the local one. */
export function scriptJwtSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (!env.SST_RESOURCE_App) return localJwtSecret(env);
  const secret = (Resource as unknown as { JwtSecret?: { value?: string } }).JwtSecret?.value;
  if (!secret) throw new UsageError("the stage has no JwtSecret: set it with `pnpm sst secret set JwtSecret …`");
  return secret;
}

/** Runs a script's main; a UsageError (or any other) ends it with its message on one line and exit code 1. */
export function runScript(main: () => Promise<number | undefined>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(error instanceof UsageError ? message : `failed: ${message}`);
      process.exit(1);
    },
  );
}
