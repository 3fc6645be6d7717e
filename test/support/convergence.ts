import type { TestDatabase } from "./database.js";

/**
 * Reading copies after a write, on every cell of the grid. Under `none` (no copies) and `sync` (copies written in
 * the request) a read right after the response is already current; under `stream` the copies converge after the
 * response, within the consumer's lag (api.md, Resources), so a test waits for that — and only there.
 */

/** How long a test waits for `stream` copies; the consumer's measured lag is far below it. */
export const CONVERGENCE_TIMEOUT_MS = 20_000;

/**
 * Waits until the copy consumer has applied every change written so far: at once for `none` and `sync`.
 * For `stream` it waits on the test database's consumer once one runs (TestDatabase.copyConsumer; the
 * integrator wires the stream helper's `waitUntilCaughtUp` there). Until then it cannot know: prefer `eventually`.
 * A test of a large fan-out (thousands of copies) passes a longer `timeoutMs`.
 */
export async function converged(db: TestDatabase, timeoutMs = CONVERGENCE_TIMEOUT_MS): Promise<void> {
  if (db.copies !== "stream") return;
  await db.copyConsumer?.waitUntilCaughtUp(timeoutMs);
}

/**
 * Runs the assertions (reads and expects) once the copies have converged. `none`/`sync`: once, right away.
 * `stream`: after `converged` when a consumer runs; without one it retries the assertions until they pass or
 * the timeout ends (then the last failure is the test's), so the test states what converged means.
 */
export async function eventually(db: TestDatabase, assertions: () => Promise<void>): Promise<void> {
  if (db.copies !== "stream") return assertions();
  if (db.copyConsumer) {
    await converged(db);
    return assertions();
  }
  const deadline = Date.now() + CONVERGENCE_TIMEOUT_MS;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    try {
      return await assertions();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
