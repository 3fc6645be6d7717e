import { AsyncLocalStorage } from "node:async_hooks";
import { type DbCall, onDbCall } from "@tablelab/core";

/**
 * The suite asserts that no store code path ever issues a Scan (registered for every test file by
 * test/setup/no-scan.ts). Test helpers that do need a Scan (counting every item of a table) run it inside
 * `allowScan`, and the guard ignores exactly the calls made from inside that scope — nothing else, even when
 * a store call runs concurrently with the helper.
 */
const scope = new AsyncLocalStorage<true>();
const unexpected: DbCall[] = [];
let installed = false;

export function allowScan<T>(operation: () => Promise<T>): Promise<T> {
  return scope.run(true, operation);
}

/** Starts recording every Scan made outside `allowScan` (idempotent). */
export function installScanGuard(): void {
  if (installed) return;
  installed = true;
  onDbCall((call) => {
    // Admin tools (the integrity checker) scan by design; they mark their calls `admin`.
    if (call.command === "Scan" && scope.getStore() !== true && !call.admin) unexpected.push(call);
  });
}

/** The Scans recorded so far outside `allowScan`; the list is emptied. */
export function takeUnexpectedScans(): DbCall[] {
  return unexpected.splice(0);
}
