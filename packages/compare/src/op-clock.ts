import { AsyncLocalStorage } from "node:async_hooks";
import { Random, seededUlid } from "./random.js";

/**
 * The ids and timestamps a Store sees during one operation. Each operation gets its own seeded stream, bound
 * with AsyncLocalStorage, so the ids and clock values it sees do not depend on which other operations the pool
 * happens to run before it: concurrency cannot change what gets written.
 */
export interface OpClock {
  nextId(): string;
  now(): Date;
}

const current = new AsyncLocalStorage<OpClock>();

export function opClock(seed: number | string, label: string, startMs: number): OpClock {
  const id = seededUlid(Random.derive(seed, `clock/${label}`));
  let time = startMs;
  return {
    nextId: () => id(time),
    now: () => {
      time += 1;
      return new Date(time);
    },
  };
}

export function withOpClock<T>(clock: OpClock, operation: () => Promise<T>): Promise<T> {
  return current.run(clock, operation);
}

function active(): OpClock {
  const clock = current.getStore();
  if (!clock) throw new Error("a Store of the comparison was used outside an operation (no clock bound)");
  return clock;
}

/** What `createStore({ now, newId })` gets: both read the operation's own clock. */
export const storeClock = {
  now: () => active().now(),
  newId: () => active().nextId(),
};
