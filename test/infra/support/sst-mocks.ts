import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { MockRun, RecordedResource, Scenario } from "./sst-mock-types.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");

/** Installs SST's platform into .sst/platform unless it is there already (see scripts/ensure-sst-platform.sh). */
export async function ensureSstPlatform(): Promise<void> {
  await run(resolve(root, "scripts/ensure-sst-platform.sh"), [], { cwd: root, timeout: 600_000 });
}

/** Evaluates sst.config.ts under Pulumi's mocks once per scenario, all in one child process (sst-mock-run.ts). */
export async function runWithMocks(scenarios: Scenario[]): Promise<MockRun[]> {
  await ensureSstPlatform();
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", resolve(import.meta.dirname, "sst-mock-run.ts"), JSON.stringify(scenarios)],
    { cwd: root, timeout: 840_000, maxBuffer: 256 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as MockRun[];
}

/** SST appends 8 random letters to every physical name it generates (and ignores later changes of them). */
export function withoutRandomSuffixes<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/(tablelab-[A-Za-z0-9-]+?)-[a-z]{8}(?=["/\\])/g, "$1-<random>"));
}

export function resourcesOfType(resources: RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((resource) => resource.type === type);
}

export function onlyResource(resources: RecordedResource[], type: string): RecordedResource {
  const found = resourcesOfType(resources, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as RecordedResource;
}

/**
 * True when an IAM pattern (`*` and `?` wildcards) matches the value, as IAM compares them: actions ignore
 * case, resource ARNs do not.
 */
export function iamMatches(pattern: string, value: string, { caseSensitive = true } = {}): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, caseSensitive ? "" : "i").test(value);
}
