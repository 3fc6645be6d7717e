import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commandLine, isRunning, type ProcessIdentity, processIdentity, terminate } from "@tablelab/core/local";

/**
 * The registry of running `pnpm dev` instances of a checkout: `<data dir>/run/`, one claim file per port an
 * instance holds (`api-3000.json`, `dynamodb-8000.json`), each holding the whole record. A claim is created
 * exclusively (`wx`), so two starts can never both own a port; it names the owner by pid *and* start time.
 * A claim whose owner is gone is stale: the processes it lists that still run with their recorded start time
 * (and look like what was recorded) are provably ours and provably orphaned, and only those are ever stopped.
 */
export interface DevInstance {
  owner: ProcessIdentity;
  apiPort: number;
  design: string;
  /** COPIES of the instance's API (none, sync or stream); part of its identity, like the design. */
  copies: string;
  tableName: string;
  /** The DynamoDB endpoint the instance's API uses. */
  endpoint: string;
  /** Set when the instance started DynamoDB Local itself. */
  dynamodbLocalPort?: number;
  /** The processes it started, for cleaning up after an owner that was killed outright. */
  children: Array<ProcessIdentity & { name: string; commandIncludes: string }>;
}

export function runDirectory(dataDir: string): string {
  const directory = join(dataDir, "run");
  mkdirSync(directory, { recursive: true });
  return directory;
}

function claimFiles(dataDir: string, instance: DevInstance): string[] {
  const directory = runDirectory(dataDir);
  return [
    join(directory, `api-${instance.apiPort}.json`),
    ...(instance.dynamodbLocalPort ? [join(directory, `dynamodb-${instance.dynamodbLocalPort}.json`)] : []),
  ];
}

function read(file: string): DevInstance | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as DevInstance;
  } catch {
    return undefined; // gone meanwhile, or half written by an owner killed mid-write
  }
}

/** Stops what a dead owner left running (only its own, recorded children) and removes its claims. */
async function clearStale(dataDir: string, instance: DevInstance, file: string): Promise<string[]> {
  const stopped: string[] = [];
  for (const child of instance.children ?? []) {
    if (isRunning(child) && commandLine(child.pid).includes(child.commandIncludes)) {
      await terminate(child);
      stopped.push(`${child.name} (pid ${child.pid})`);
    }
  }
  for (const claim of new Set([file, ...claimFiles(dataDir, instance)])) {
    const current = read(claim);
    // Remove only claims of this same dead owner: another start may have claimed the port meanwhile.
    if (!current || (current.owner.pid === instance.owner.pid && current.owner.startTime === instance.owner.startTime))
      rmSync(claim, { force: true });
  }
  return stopped;
}

/** Every live instance of the checkout (claims of dead owners are skipped; the next `pnpm dev` clears them). */
export async function liveInstances(dataDir: string): Promise<DevInstance[]> {
  const directory = runDirectory(dataDir);
  const live = new Map<string, DevInstance>();
  for (const name of readdirSync(directory)) {
    if (!/^(api|dynamodb)-\d+\.json$/.test(name)) continue;
    const file = join(directory, name);
    const instance = read(file);
    if (!instance?.owner) continue;
    if (isRunning(instance.owner)) live.set(`${instance.owner.pid}:${instance.owner.startTime}`, instance);
  }
  return [...live.values()];
}

export class PortClaimedError extends Error {
  constructor(
    readonly variable: "PORT" | "DYNAMODB_LOCAL_PORT",
    readonly holder: DevInstance,
  ) {
    super(`${variable} is held by ${describeInstance(holder)}`);
  }
}

export function describeInstance(instance: DevInstance): string {
  const database = instance.dynamodbLocalPort
    ? `DynamoDB Local on port ${instance.dynamodbLocalPort}`
    : `DynamoDB at ${instance.endpoint}`;
  // A record written before copies were an axis has none: it ran the design's default.
  const copies = instance.copies ? `, copies ${instance.copies}` : "";
  return `the pnpm dev of pid ${instance.owner.pid} (${instance.design} design${copies}, API on port ${instance.apiPort}, ${database})`;
}

export interface Claim {
  /** The record as last written. */
  readonly instance: DevInstance;
  /** Lines about orphans of a killed run that were stopped on the way. */
  cleanedUp: string[];
  /** Rewrites the record (e.g. once a child's pid is known). */
  update(change: Partial<DevInstance>): void;
  release(): void;
}

/**
 * Claims the instance's ports for this process, or throws PortClaimedError naming the live instance holding one.
 * Claims of dead owners are cleared first (their orphans stopped).
 */
export async function claimPorts(dataDir: string, instance: Omit<DevInstance, "owner" | "children">): Promise<Claim> {
  const owner = processIdentity(process.pid);
  if (!owner) throw new Error("cannot read this process's start time from /proc");
  let record: DevInstance = { ...instance, owner, children: [] };
  const cleanedUp: string[] = [];
  const taken: string[] = [];
  const release = () => {
    for (const file of taken) if (read(file)?.owner.pid === owner.pid) rmSync(file, { force: true });
    taken.length = 0;
  };
  const variables: Array<"PORT" | "DYNAMODB_LOCAL_PORT"> = ["PORT", "DYNAMODB_LOCAL_PORT"];
  try {
    for (const [index, file] of claimFiles(dataDir, record).entries()) {
      for (let attempt = 0; ; attempt++) {
        // Written in full under a private name, then linked into place: link() fails if the claim exists, and
        // a claim that exists is never half written.
        const draft = `${file}.${process.pid}.tmp`;
        writeFileSync(draft, JSON.stringify(record, null, 2));
        try {
          linkSync(draft, file);
          taken.push(file);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 3) throw error;
        } finally {
          rmSync(draft, { force: true });
        }
        const holder = read(file);
        if (holder?.owner && isRunning(holder.owner)) throw new PortClaimedError(variables[index] ?? "PORT", holder);
        if (holder) cleanedUp.push(...(await clearStale(dataDir, holder, file)));
        else rmSync(file, { force: true });
      }
    }
  } catch (error) {
    release();
    throw error;
  }
  return {
    get instance() {
      return record;
    },
    cleanedUp,
    update(change) {
      record = { ...record, ...change };
      for (const file of taken) {
        writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(record, null, 2));
        renameSync(`${file}.${process.pid}.tmp`, file);
      }
    },
    release,
  };
}
