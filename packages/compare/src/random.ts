import { createHash } from "node:crypto";
import { ulid } from "ulid";

/**
 * Determinism: every random choice of the comparison (the data set, the workload targets, the ids and clocks the
 * stores see) comes from a seeded generator, so two runs with the same `--seed` write the same items and make the
 * same requests. Streams are forked by label, so adding a choice in one place never shifts another's numbers.
 */
export class Random {
  #state: number;

  constructor(seed: number | string) {
    this.#state = typeof seed === "number" ? seed >>> 0 : hash32(seed);
  }

  /** An independent stream named `label`, derived from this one's seed (not from its position). */
  static derive(seed: number | string, label: string): Random {
    return new Random(hash32(`${seed}/${label}`));
  }

  /** mulberry32: a uniform float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("cannot pick from an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

function hash32(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

/** ULIDs from a seeded stream: a valid ULID (upper-case Crockford) whose time part is the given clock's. */
export function seededUlid(random: Random): (time: number) => string {
  return (time: number) => ulid(time, () => random.next());
}
