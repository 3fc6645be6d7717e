import { Agent as HttpAgent } from "node:http";
import { Agent } from "node:https";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { installMeter } from "./meter.js";

export interface DynamoConfig {
  /** e.g. http://127.0.0.1:8000; unset on Lambda, where the AWS default endpoint applies. */
  endpoint?: string | undefined;
  region?: string | undefined;
  /** Ask DynamoDB for consumed capacity on every call (the X-Db-* headers); requests are counted regardless. */
  metrics?: boolean;
  /** Sockets per client: sized so that a load test's concurrency is not queued behind the agent. */
  maxSockets?: number;
  /** Per-attempt time limits; see `DEFAULT_TIMEOUTS` for why these values. */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  maxAttempts?: number;
}

export interface DynamoClients {
  client: DynamoDBClient;
  document: DynamoDBDocumentClient;
  destroy(): void;
}

/**
 * Timeouts and retries, chosen so that an unreachable or stalled DynamoDB becomes a 503 within ~5 s instead of
 * a hang: 2 attempts × (1 s to connect, 2 s to answer) plus the SDK's short backoff. DynamoDB answers in
 * single-digit milliseconds, so 2 s per attempt only trips on a real outage. Throttling is retried by the SDK
 * within the same attempt budget; transaction conflicts are retried by us (see retry.ts).
 */
export const DEFAULT_TIMEOUTS = { connectionTimeoutMs: 1000, requestTimeoutMs: 2000, maxAttempts: 2 } as const;
/**
 * DynamoDB Local is one JVM on a developer's machine: under a burst of transactions it can take seconds to
 * answer, and a 2 s limit would turn that into spurious 503s. So one longer attempt instead of two short ones:
 * a frozen DynamoDB Local still becomes a 503 within ~4 s, and a *stopped* one refuses connections at once.
 * (It never throttles, so there is nothing for a second attempt to wait out.)
 */
export const LOCAL_TIMEOUTS = { connectionTimeoutMs: 1000, requestTimeoutMs: 4000, maxAttempts: 1 } as const;

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLocalEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    return LOCAL_HOSTS.has(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

/** The one factory every composition root uses (API, dev server, tests, comparison). */
export function createDynamoClients(config: DynamoConfig = {}): DynamoClients {
  const local = isLocalEndpoint(config.endpoint);
  const defaults = local ? LOCAL_TIMEOUTS : DEFAULT_TIMEOUTS;
  const agentOptions = { keepAlive: true, maxSockets: config.maxSockets ?? 64 };
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: config.connectionTimeoutMs ?? defaults.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs ?? defaults.requestTimeoutMs,
    // Without this the handler only logs a warning when requestTimeout passes and keeps waiting: a DynamoDB
    // that accepts the connection but never answers would hang the request instead of failing it.
    throwOnRequestTimeout: true,
    httpAgent: new HttpAgent(agentOptions),
    httpsAgent: new Agent(agentOptions),
  });
  const client = new DynamoDBClient({
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    // DynamoDB Local accepts any credentials, but keys its data by them unless -sharedDb: fixed values keep
    // every process of a checkout on the same data, and never pick up a developer's real AWS profile.
    ...(local
      ? { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : config.region
        ? { region: config.region }
        : {}),
    maxAttempts: config.maxAttempts ?? defaults.maxAttempts,
    requestHandler,
  });
  installMeter(client, { requestCapacity: config.metrics ?? true });
  const document = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    client,
    document,
    destroy: () => {
      document.destroy();
      client.destroy();
    },
  };
}

/** Reads the client configuration from the environment variables of api.md's configuration table. */
export function dynamoConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DynamoConfig {
  return {
    endpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION || undefined,
    metrics: env.DB_METRICS !== undefined ? env.DB_METRICS !== "0" : env.SST_STAGE !== "production",
  };
}
