import { conditionFailure } from "../dynamo/conditions.js";
import type { CopyChange } from "./changes.js";
import type { CopyKeeper, RegistrationKey } from "./keeper.js";

/**
 * Copy writes in flight at once. The same for both designs and for the stream consumer, so a fan-out costs the
 * same round-trip depth wherever it runs: ⌈copies / 32⌉ waves of UpdateItems after the key queries.
 */
export const COPY_WRITE_CONCURRENCY = 32;

/** Runs `write` on every key with at most `concurrency` in flight; stops at the first error after in-flight ones settle. */
export async function forEachBounded<T>(
  pages: AsyncIterable<T[]>,
  write: (item: T) => Promise<void>,
  concurrency = COPY_WRITE_CONCURRENCY,
): Promise<number> {
  let written = 0;
  for await (const page of pages) {
    for (let start = 0; start < page.length; start += concurrency) {
      await Promise.all(page.slice(start, start + concurrency).map(write));
      written += Math.min(concurrency, page.length - start);
    }
  }
  return written;
}

/** A copy write whose condition failed: the registration is gone or already holds a newer copy. Nothing to do. */
function ignoreStaleOrVanished(error: unknown): void {
  if (conditionFailure(error)) return;
  throw error;
}

/** Brings every copy of a change's source up to date; returns how many copies it wrote (or found newer). */
export function applyCopyChange(keeper: CopyKeeper, change: CopyChange): Promise<number> {
  if (change.kind === "user") {
    const { source } = change;
    return forEachBounded(keeper.registrationsOfUser(source.userId), (key: RegistrationKey) =>
      keeper.writeUserCopy(key, source).catch(ignoreStaleOrVanished),
    );
  }
  const { source } = change;
  return forEachBounded(keeper.registrationsOfEvent(source.eventId), (key: RegistrationKey) =>
    keeper.writeEventCopy(key, source).catch(ignoreStaleOrVanished),
  );
}
