import type { Shard } from "@aws-sdk/client-dynamodb-streams";

/** Where the poller stands on one shard of a stream. */
export interface ShardState {
  id: string;
  parentId: string | undefined;
  /** The iterator to read next with; undefined: ask for one (TRIM_HORIZON, or after `lastSequence`). */
  iterator: string | undefined;
  /** Sequence number of the last record handled without error: reading resumes after it. */
  lastSequence: string | undefined;
  /** Closed and read to its end: nothing more will come from it. */
  exhausted: boolean;
  /** performance.now() at the start of the latest read that found no record (everything before it handled). */
  emptySince: number;
  /** Consecutive failed attempts at the current record, and when to try again. */
  failures: number;
  retryAt: number;
}

/** The shards DescribeStream lists now, keeping the state of those already followed. */
export function trackShards(known: readonly ShardState[], listed: readonly Shard[]): ShardState[] {
  // A shard the stream no longer lists was trimmed (records live 24 h): its records are gone, stop following it.
  const byId = new Map(known.map((shard) => [shard.id, shard]));
  return listed.flatMap((shard) => {
    if (!shard.ShardId) return [];
    return [
      byId.get(shard.ShardId) ?? {
        id: shard.ShardId,
        parentId: shard.ParentShardId,
        iterator: undefined,
        lastSequence: undefined,
        exhausted: false,
        emptySince: Number.NEGATIVE_INFINITY,
        failures: 0,
        retryAt: 0,
      },
    ];
  });
}
