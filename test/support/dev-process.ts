import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The repository root (test/support/ is two levels down). */
export const repoRoot = join(import.meta.dirname, "..", "..");

/**
 * True while the process runs. A zombie has exited (no port, file or memory held) and only waits for its parent
 * to reap it: for an orphan that is init, which does so when it gets to it — later on a loaded machine — so a
 * zombie counts as gone, as it does for `pnpm dev`'s own cleanup (processStartTime).
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

export interface DevProcess {
  child: ChildProcess;
  base: string;
  output(): string;
}

/** The pid of the DynamoDB Local a running `pnpm dev` started, from its registry claim in the data directory. */
export function devJavaPid(dataDir: string, dynamodbPort: number): number {
  const claim = JSON.parse(readFileSync(join(dataDir, "run", `dynamodb-${dynamodbPort}.json`), "utf8")) as {
    children: Array<{ name: string; pid: number }>;
  };
  const java = claim.children.find((child) => child.name === "DynamoDB Local");
  if (!java) throw new Error(`no DynamoDB Local in the claim of port ${dynamodbPort}`);
  return java.pid;
}

function spawnDev(viaPnpm: boolean, env: Record<string, string>, args: string[] = []): ChildProcess {
  const [command, commandArgs] = viaPnpm
    ? ["pnpm", ["dev", ...args]]
    : [join(repoRoot, "node_modules", ".bin", "tsx"), ["packages/api/scripts/dev.ts", ...args]];
  return spawn(command, commandArgs, {
    cwd: repoRoot,
    detached: true,
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: "",
      // The instance's copy strategy comes from the test, never from the shell running the tests.
      COPIES: "",
      LOG_LEVEL: "silent",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Starts the `pnpm dev` orchestrator (`packages/api/scripts/dev.ts`, or the real `pnpm dev` with `viaPnpm`) in its
 * own process group, as a terminal gives it — so a signal to the group reaches the orchestrator, the API server
 * and java alike — and waits until the API answers /health. Callers pick free ports and a temporary data
 * directory through `env`, and stop the group by its pid (`process.kill(-child.pid, …)`).
 */
export async function startDevProcess(options: {
  apiPort: number;
  env: Record<string, string>;
  timeoutMs?: number;
  viaPnpm?: boolean;
}): Promise<DevProcess> {
  const child = spawnDev(options.viaPnpm ?? false, { PORT: String(options.apiPort), ...options.env });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const base = `http://127.0.0.1:${options.apiPort}`;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline || child.exitCode !== null) {
      if (child.pid && alive(child.pid)) process.kill(-child.pid, "SIGKILL");
      throw new Error(`pnpm dev did not come up:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, base, output: () => output };
}

/** Runs `pnpm dev` expecting it to refuse: resolves with its exit code and output once its group is gone. */
export async function runDevToExit(
  env: Record<string, string>,
  args: string[] = [],
  viaPnpm = false,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnDev(viaPnpm, env, args);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 120_000);
  const code = await new Promise<number | null>((resolve) => child.once("close", (exit) => resolve(exit)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
