import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** The repository root (test/support/ is two levels down). */
export const repoRoot = join(import.meta.dirname, "..", "..");

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface DevProcess {
  child: ChildProcess;
  base: string;
  output(): string;
}

/**
 * Starts the real `pnpm dev` orchestrator (`packages/api/scripts/dev.ts`) in its own process group, as a terminal
 * gives it — so a signal to the group reaches the orchestrator, the API server and java alike — and waits until
 * the API answers /health. Callers pick free ports and a temporary data directory through `env`, and stop the
 * group by its pid (`process.kill(-child.pid, …)`).
 */
export async function startDevProcess(options: {
  apiPort: number;
  env: Record<string, string>;
  timeoutMs?: number;
}): Promise<DevProcess> {
  const child = spawn(join(repoRoot, "node_modules", ".bin", "tsx"), ["packages/api/scripts/dev.ts"], {
    cwd: repoRoot,
    detached: true,
    env: { ...process.env, PORT: String(options.apiPort), DYNAMODB_ENDPOINT: "", LOG_LEVEL: "silent", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const base = `http://127.0.0.1:${options.apiPort}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
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
