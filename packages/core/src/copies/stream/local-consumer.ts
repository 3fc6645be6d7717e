import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { createDynamoClients } from "../../dynamo/client.js";
import type { CopyKeeper } from "../keeper.js";
import { type LagSummary, summarizeLag } from "./lag.js";
import { type StreamPollerOptions, startStreamPoller } from "./poller.js";
import { applyCopyRecord } from "./records.js";

export type LocalCopyConsumerOptions = (
  | { /** DynamoDB Local's endpoint, e.g. http://127.0.0.1:8000. */ endpoint: string; client?: never }
  | {
      /** A client of DynamoDB Local: its endpoint, region and credentials serve the Streams API too. */
      client: DynamoDBClient;
      endpoint?: never;
    }
) & {
  /** Physical names of the tables whose copies this keeper maintains (see `tablesWithStream`); each with a stream. */
  tableNames: readonly string[];
  keeper: CopyKeeper;
  idleMs?: StreamPollerOptions["idleMs"];
  /** Records that failed (they are retried) and unreachable streams; silent when absent. */
  onError?: StreamPollerOptions["onError"];
};

export interface LocalCopyConsumer {
  /** Stops polling once the batch in hand is handled; resolves when no request or timer of it is left. */
  stop(): Promise<void>;
  /** Resolves once every record written before the call has had its copies written; rejects after `timeoutMs`. */
  waitUntilCaughtUp(timeoutMs: number): Promise<void>;
  /** Lag in ms, from an original's write (its `updatedAt`) to all its copies written, one per applied change. */
  lagSamples(): readonly number[];
  lagSummary(): LagSummary;
}

/**
 * COPIES=stream on a developer's machine: follows the streams of the given tables on DynamoDB Local and brings
 * every copy up to date with the same record handler as the Lambda subscriber on AWS (`applyCopyRecord`).
 * Rejects at once if a table has no stream.
 */
export async function startLocalCopyConsumer(options: LocalCopyConsumerOptions): Promise<LocalCopyConsumer> {
  const owned =
    options.endpoint !== undefined ? createDynamoClients({ endpoint: options.endpoint, metrics: false }) : undefined;
  const dynamo = owned?.client ?? (options.client as DynamoDBClient);
  const streams = new DynamoDBStreamsClient({
    endpoint: dynamo.config.endpoint,
    region: dynamo.config.region,
    credentials: dynamo.config.credentials,
  });
  const release = () => {
    streams.destroy();
    owned?.destroy();
  };
  try {
    const poller = await startStreamPoller({
      dynamo,
      streams,
      tableNames: options.tableNames,
      ...(options.idleMs !== undefined && { idleMs: options.idleMs }),
      ...(options.onError && { onError: options.onError }),
      handleRecord: async (record) => {
        const outcome = await applyCopyRecord(options.keeper, record);
        return outcome.change ? "applied" : "ignored";
      },
    });
    return {
      async stop() {
        await poller.stop();
        release();
      },
      waitUntilCaughtUp: (timeoutMs) => poller.waitUntilCaughtUp(timeoutMs),
      lagSamples: () => poller.lagSamples(),
      lagSummary: () => summarizeLag(poller.lagSamples()),
    };
  } catch (error) {
    release();
    throw error;
  }
}
