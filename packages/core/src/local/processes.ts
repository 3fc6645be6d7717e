import { readFileSync } from "node:fs";

/**
 * A process named by pid *and* start time: a pid alone may have been reused by an unrelated process since it
 * was written down, the pair may not. Linux only (/proc); elsewhere no process is ever "provably" ours.
 */
export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot at which the process started. */
  startTime: string;
}

/** The start time of a running process, or undefined when there is none with this pid (or no /proc). */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // A zombie has exited and only waits to be reaped: it holds no port and no file.
    return fields[0] === "Z" ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

export function processIdentity(pid: number): ProcessIdentity | undefined {
  const startTime = processStartTime(pid);
  return startTime === undefined ? undefined : { pid, startTime };
}

/** True while the very process that was written down runs (same pid, same start time). */
export function isRunning(identity: ProcessIdentity): boolean {
  return processStartTime(identity.pid) === identity.startTime;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** SIGTERM, then SIGKILL after `graceMs` if it is still there; resolves once the process is gone. */
export async function terminate(identity: ProcessIdentity, graceMs = 5000): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(identity.pid, name);
    } catch {}
  };
  if (!isRunning(identity)) return;
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isRunning(identity) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isRunning(identity)) signal("SIGKILL");
  while (isRunning(identity)) await new Promise((resolve) => setTimeout(resolve, 50));
}
