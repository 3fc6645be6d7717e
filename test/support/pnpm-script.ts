import { execFile } from "node:child_process";
import { join } from "node:path";

/** The repository root (test/support/ is two levels down). */
export const repoRoot = join(import.meta.dirname, "..", "..");

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `pnpm <args…>` from the repository root, as a user types it (no `-s`: pnpm's own lines included), and
 * resolves with the exit code and both streams whatever the outcome. `env` is added to this process's
 * environment; a value of `undefined` removes the variable.
 */
export function runPnpm(
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 120_000,
): Promise<ScriptRun> {
  const merged: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return new Promise((resolve) => {
    execFile(
      "pnpm",
      args,
      { cwd: repoRoot, env: merged, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The non-blank lines of a stream. */
export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}
