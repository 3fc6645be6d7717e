import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { IdempotencyLayout } from "@tablelab/core";
import { IDEMPOTENCY_WINDOW_SECONDS, type IdempotentRequest, type IdempotentRunner } from "./idempotency.js";

// Idempotency on Powertools (the contract's types are in idempotency.ts). Imported statically, not loaded on
// first use: a dynamic import makes esbuild wrap the imported module and everything it shares with the rest of
// the bundle, and keep every export of those — here the whole DynamoDB client (~45 KiB more in the Lambda bundle,
// measured) — while evaluating Powertools at start-up costs no measurable cold-start time.

/** How long an in-flight record blocks retries if its process dies: longer than any request may take. */
const IN_FLIGHT_LOCK_MS = 30_000;

/**
 * Powertools keys records either by one attribute, or by a *static* partition key plus a sort key — which would
 * put every record of the API in one hot partition. Our single table has `pk`/`sk`: give each record its own
 * partition (`pk` = the hashed key, `sk` = `IDEMPOTENCY`), the same way every other item is spread.
 */
class SpreadKeyPersistenceLayer extends DynamoDBPersistenceLayer {
  constructor(
    options: ConstructorParameters<typeof DynamoDBPersistenceLayer>[0],
    private readonly sortKey: { attribute: string; value: string } | undefined,
  ) {
    super(options);
  }

  protected override getKey(idempotencyKey: string) {
    const key: Record<string, string> = { [this.keyAttribute]: idempotencyKey };
    if (this.sortKey) key[this.sortKey.attribute] = this.sortKey.value;
    return marshall(key);
  }

  private get keyAttribute(): string {
    return (this as unknown as { keyAttr: string }).keyAttr;
  }
}

/**
 * Records go where the design's layout says (core/table): our own table(s), never a table of their own making.
 * Powertools' objects are built on the first request that carries an `Idempotency-Key`.
 */
export function createIdempotencyRunner(
  client: DynamoDBClient,
  table: IdempotencyLayout & { tableName: string },
): IdempotentRunner {
  let runner: IdempotentRunner | undefined;
  return (request, execute) => {
    runner ??= powertoolsRunner(client, table);
    return runner(request, execute);
  };
}

function powertoolsRunner(client: DynamoDBClient, table: IdempotencyLayout & { tableName: string }): IdempotentRunner {
  const persistenceStore = new SpreadKeyPersistenceLayer(
    {
      tableName: table.tableName,
      keyAttr: table.keyAttribute,
      awsSdkV3Client: client,
      // Powertools' TTL attribute; DynamoDB's TTL on `expiration` removes expired records.
      expiryAttr: "expiration",
    },
    table.sortKey,
  );
  const config = new IdempotencyConfig({
    eventKeyJmesPath: "key",
    payloadValidationJmesPath: "fingerprint",
    expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
    throwOnNoIdempotencyKey: true,
  });
  // Outside Lambda there is no context to ask for the remaining time: a fixed in-flight lock serves both.
  config.registerLambdaContext({ getRemainingTimeInMillis: () => IN_FLIGHT_LOCK_MS } as never);

  return (request, execute) => {
    const run = makeIdempotent(async (_request: IdempotentRequest) => execute(), { persistenceStore, config });
    return run(request);
  };
}
