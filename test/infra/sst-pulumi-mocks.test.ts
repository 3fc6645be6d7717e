/**
 * Offline proof of the infrastructure with SST's real components. sst.config.ts is built the way SST 4.17's CLI
 * builds it (support/sst-config-build.ts: esbuild, `$app`/`$cli`/`$dev` defines, the platform's injected shim
 * and provider globals) and its `run()` executes against the components in `.sst/platform` (written by
 * `sst install`; scripts/ensure-sst-platform.sh installs it when missing), under Pulumi's mock monitor
 * (`runtime.setMocks` of the platform's own @pulumi/pulumi 3.215). Asserted: the AWS resource inputs Pulumi's
 * engine would receive — tables (keys, GSIs, projections, TTL, PITR, billing, deletion protection, retain on
 * delete), the function role's policy (every table, its indexes, the idempotency records), the Lambda (runtime,
 * architecture, memory, timeout, environment, log group and retention), the `$default` route and its
 * integration, the stage's throttling and access log — for a personal stage of each design and production,
 * in `sst deploy` and `sst dev`, and that switching the local-database mode of `sst dev` leaves the tables alone.
 *
 * NOT covered (answered by stand-ins, so nothing here proves them):
 * - SST's Go side. Its RPCs get canned answers from support/sst-mock-run.ts: `Provider.Aws.Bootstrap` (bucket
 *   names), `Provider.Aws.Appsync` and `Runtime.AddTarget` (dev), and `Runtime.Build`, whose real answer is
 *   SST's esbuild build of the handler. The build's *request* is asserted (handler, runtime, architecture,
 *   nodejs options, links); the bundle in the Lambda's zip and the handler string on the Lambda are the stand-in's.
 *   The bundle itself is test/infra/bundle.test.ts's subject.
 * - AWS: resource outputs (ARNs, ids) are made up by the mocks; IAM policy JSON is rendered by the mock of
 *   `aws.iam.getPolicyDocument` from the statements SST passes it (the statements are asserted).
 * - Pulumi's engine: no diff against a previous state, so "not replaced" is shown as "same URN, same inputs
 *   (physical names aside, which SST generates randomly once and ignores changes of)". The mock monitor also
 *   prefixes children of the stack with the stack's type in URNs and link types, which the real engine does not.
 * - The `sst dev` multiplexer: a DevCommand's `_dev` outputs are asserted, not the process it would start
 *   (scripts/sst-dev-database.ts has its own test, sst-dev-database.test.ts).
 */
import { type TableDefinition, tableDefinitions } from "@tablelab/core/table";
import { beforeAll, describe, expect, it } from "vitest";
import { COPY_SOURCE_TABLES } from "../../stacks/copy-sources.js";
import { API_HANDLER, COPIES_HANDLER } from "../../stacks/lambda-package.js";
import type { MockRun, RecordedResource, Scenario } from "./support/sst-mock-types.js";
import { iamMatches, onlyResource, resourcesOfType, runWithMocks, withoutRandomSuffixes } from "./support/sst-mocks.js";

type Succeeded = Extract<MockRun, { ok: true }>;
const secret = { SST_SECRET_JwtSecret: "mock-secret-mock-secret-mock-secret" };

const SCENARIOS = {
  aliceDeploy: { stage: "alice", dev: false, env: secret },
  // The shell may name the stage's own design.
  aliceMultiDeploy: { stage: "alice-multi", dev: false, env: { ...secret, TABLE_DESIGN: "multi" } },
  productionDeploy: { stage: "production", dev: false, env: secret },
  aliceDeployWithDevDbVariable: { stage: "alice", dev: false, env: { ...secret, TABLELAB_DEV_DB: "local" } },
  aliceDev: { stage: "alice", dev: true, env: secret },
  aliceDevLocal: { stage: "alice", dev: true, env: { ...secret, TABLELAB_DEV_DB: "local" } },
  aliceMultiDevLocal: {
    stage: "alice-multi",
    dev: true,
    env: { ...secret, TABLELAB_DEV_DB: "local", DYNAMODB_LOCAL_PORT: "8123" },
  },
  productionAskedMulti: { stage: "production", dev: false, env: { ...secret, TABLE_DESIGN: "multi" } },
  // COPIES=stream stages (stacks/stages.ts: the strategy before any `-multi`); the shell may name the stage's own.
  aliceStreamDeploy: { stage: "alice-stream", dev: false, env: { ...secret, COPIES: "stream" } },
  aliceStreamMultiDeploy: { stage: "alice-stream-multi", dev: false, env: secret },
  aliceStreamDev: { stage: "alice-stream", dev: true, env: secret },
  productionAskedStream: { stage: "production", dev: false, env: { ...secret, COPIES: "stream" } },
} satisfies Record<string, Scenario>;
type ScenarioName = keyof typeof SCENARIOS;

let runs: Record<ScenarioName, MockRun>;
beforeAll(async () => {
  const names = Object.keys(SCENARIOS) as ScenarioName[];
  const results = await runWithMocks(names.map((name) => SCENARIOS[name]));
  runs = Object.fromEntries(names.map((name, index) => [name, results[index]])) as typeof runs;
}, 900_000);

function succeeded(name: ScenarioName): Succeeded {
  const run = runs[name];
  if (!run.ok) throw new Error(`${name} failed: ${run.error}`);
  return run;
}

const DYNAMO_TYPE: Record<string, string> = { string: "S", number: "N", binary: "B" };
const PROJECTION: Record<string, string> = { all: "ALL", "keys-only": "KEYS_ONLY" };

/** The CreateTable-level inputs a table definition must become (written from the definition, not via SST). */
function expectedTableInputs(definition: TableDefinition) {
  return {
    hashKey: definition.primaryIndex.hashKey,
    ...(definition.primaryIndex.rangeKey && { rangeKey: definition.primaryIndex.rangeKey }),
    attributes: Object.entries(definition.fields).map(([name, type]) => ({ name, type: DYNAMO_TYPE[type] })),
    globalSecondaryIndexes: Object.entries(definition.globalIndexes).map(([name, index]) => ({
      name,
      hashKey: index.hashKey,
      ...(index.rangeKey && { rangeKey: index.rangeKey }),
      ...(typeof index.projection === "string"
        ? { projectionType: PROJECTION[index.projection] }
        : { projectionType: "INCLUDE", nonKeyAttributes: [...index.projection] }),
    })),
    localSecondaryIndexes: [],
    billingMode: "PAY_PER_REQUEST",
    pointInTimeRecovery: { enabled: true },
    ...(definition.timeToLiveAttribute && { ttl: { attributeName: definition.timeToLiveAttribute, enabled: true } }),
    streamEnabled: false,
  };
}

function tableOf(run: Succeeded, id: string): RecordedResource {
  const table = run.resources.find(
    (resource) => resource.type === "aws:dynamodb/table:Table" && resource.name === `${id}Table`,
  );
  if (!table) throw new Error(`no table for ${id}`);
  return table;
}

/** The Lambda of an `sst.aws.Function` (by its component name; the only one when the stage has one). */
function lambdaOf(run: Succeeded, component?: string) {
  const lambdas = resourcesOfType(run.resources, "aws:lambda/function:Function");
  const found = component ? lambdas.filter((lambda) => lambda.name === `${component}Function`) : lambdas;
  if (found.length !== 1)
    throw new Error(`expected one Lambda${component ? ` of ${component}` : ""}, found ${found.length}`);
  return (found[0] as RecordedResource).inputs as {
    runtime: string;
    architectures: string[];
    memorySize: number;
    timeout: number;
    environment: { variables: Record<string, string> };
    loggingConfig: { logGroup: string };
    description: string;
  };
}

/** The statements of a function role's inline policy (SST passes them to aws.iam.getPolicyDocument). */
function roleStatements(run: Succeeded, component?: string) {
  const roles = resourcesOfType(run.resources, "aws:iam/role:Role");
  const found = component ? roles.filter((role) => role.name === `${component}Role`) : roles;
  if (found.length !== 1)
    throw new Error(`expected one role${component ? ` of ${component}` : ""}, found ${found.length}`);
  const role = (found[0] as RecordedResource).inputs as {
    inlinePolicies: Array<{ name: string; policy: string }>;
  };
  expect(role.inlinePolicies).toHaveLength(1);
  const policy = JSON.parse(role.inlinePolicies[0]?.policy ?? "{}") as {
    Statement: Array<{ effect: string; actions: string[]; resources: string[] }>;
  };
  return policy.Statement;
}

function allowed(run: Succeeded, action: string, resource: string, component?: string): boolean {
  return roleStatements(run, component).some(
    (statement) =>
      statement.effect === "Allow" &&
      statement.actions.some((pattern) => iamMatches(pattern, action, { caseSensitive: false })) &&
      statement.resources.some((pattern) => iamMatches(pattern, resource)),
  );
}

/** Every DynamoDB operation the API and ElectroDB issue (packages/core, packages/api). */
const API_OPERATIONS = [
  "GetItem",
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "Query",
  "BatchGetItem",
  "BatchWriteItem",
  "TransactGetItems",
  "TransactWriteItems",
  "ConditionCheckItem",
];

const deployments = [
  { name: "aliceDeploy", stage: "alice", design: "single", production: false },
  { name: "aliceMultiDeploy", stage: "alice-multi", design: "multi", production: false },
  { name: "productionDeploy", stage: "production", design: "single", production: true },
] as const;

describe.each(deployments)("sst deploy --stage $stage ($design design)", ({ name, stage, design, production }) => {
  const definitions = tableDefinitions(design);

  it("creates exactly the design's tables, keyed and indexed as the core defines them", () => {
    const run = succeeded(name);
    const tables = resourcesOfType(run.resources, "aws:dynamodb/table:Table");
    expect(tables.map((table) => table.name).sort()).toEqual(definitions.map(({ id }) => `${id}Table`).sort());
    for (const definition of definitions) {
      const { inputs, options } = tableOf(run, definition.id);
      expect(inputs).toMatchObject(expectedTableInputs(definition));
      expect(inputs.rangeKey).toEqual(definition.primaryIndex.rangeKey);
      expect(inputs.deletionProtectionEnabled).toBe(production);
      // `removal: "retain"` on production: the engine leaves the table in the account if it leaves the stack.
      expect(options?.retainOnDelete).toBe(production);
      expect(inputs.name).toMatch(new RegExp(`^tablelab-${stage}-${definition.id}Table-[a-z]{8}$`));
    }
  });

  it("lets the function use every table and every index, and nothing else", () => {
    const run = succeeded(name);
    for (const definition of definitions) {
      const arn = `arn:aws:dynamodb:us-east-1:123456789012:table/${tableOf(run, definition.id).inputs.name}`;
      for (const operation of API_OPERATIONS) expect(allowed(run, `dynamodb:${operation}`, arn), operation).toBe(true);
      for (const index of Object.keys(definition.globalIndexes)) {
        expect(allowed(run, "dynamodb:Query", `${arn}/index/${index}`), index).toBe(true);
      }
      expect(allowed(run, "dynamodb:Query", `${arn}x`)).toBe(false);
    }
    // Idempotency records live in the single table, or in their own table for "multi": both are covered above.
    expect(definitions.map(({ id }) => id)).toContain(design === "single" ? "Table" : "Idempotency");
    const resources = roleStatements(run).flatMap((statement) => statement.resources);
    expect(resources.every((resource) => resource.startsWith("arn:aws:dynamodb:"))).toBe(true);
    expect(allowed(run, "dynamodb:DeleteTable", "arn:aws:dynamodb:us-east-1:123456789012:table/other")).toBe(false);
  });

  it("runs the app in one arm64 nodejs24.x Lambda with its memory, timeout, environment and logs", () => {
    const run = succeeded(name);
    const lambda = lambdaOf(run);
    expect(lambda).toMatchObject({ runtime: "nodejs24.x", architectures: ["arm64"], memorySize: 1024, timeout: 10 });
    expect(lambda.environment.variables).toMatchObject({
      TABLE_DESIGN: design,
      COPIES: design === "single" ? "sync" : "none",
      DB_METRICS: production ? "0" : "1",
      CORS_ORIGINS: "*",
      SST_RESOURCE_App: JSON.stringify({ name: "tablelab", stage }),
    });
    expect(lambda.environment.variables).not.toHaveProperty("DYNAMODB_ENDPOINT");
    const logGroup = run.resources.find((resource) => resource.name === "ApiFunctionLogGroup");
    expect(logGroup?.inputs).toMatchObject({ name: lambda.loggingConfig.logGroup, retentionInDays: 30 });
  });

  it("asks SST's build for the handler with the runtime, architecture and links of the function", () => {
    const run = succeeded(name);
    const builds = run.rpcs.filter((rpc) => rpc.method === "Runtime.Build");
    expect(builds).toHaveLength(1);
    const request = builds[0]?.args as {
      handler: string;
      runtime: string;
      dev: boolean;
      properties: Record<string, unknown>;
      links: Record<string, { name?: string; value?: string }>;
    };
    expect(request).toMatchObject({ handler: API_HANDLER, runtime: "nodejs24.x", dev: false });
    expect(request.properties).toMatchObject({
      architecture: "arm64",
      install: { "swagger-ui-dist": expect.stringMatching(/^\d+\.\d+\.\d+$/) },
    });
    expect(Object.keys(request.links).sort()).toEqual([...definitions.map(({ id }) => id), "JwtSecret"].sort());
    for (const definition of definitions) {
      expect(request.links[definition.id]?.name).toBe(tableOf(run, definition.id).inputs.name);
    }
    // Nothing else reached SST's Go side: any other call would have been answered by no one here.
    expect(new Set(run.rpcs.map((rpc) => rpc.method))).toEqual(new Set(["Provider.Aws.Bootstrap", "Runtime.Build"]));
  });

  it("sends every request through the $default route of a throttled HTTP API, logged, without gateway CORS", () => {
    const run = succeeded(name);
    const route = onlyResource(run.resources, "aws:apigatewayv2/route:Route").inputs;
    const integration = onlyResource(run.resources, "aws:apigatewayv2/integration:Integration");
    expect(route).toMatchObject({ routeKey: "$default", target: `integrations/${integration.name}-id` });
    const lambdaName = onlyResource(run.resources, "aws:lambda/function:Function").inputs.name;
    const functionArn = `arn:aws:lambda:us-east-1:123456789012:${lambdaName}`;
    expect(integration.inputs).toMatchObject({ integrationType: "AWS_PROXY", payloadFormatVersion: "2.0" });
    expect(JSON.stringify(integration.inputs.integrationUri)).toContain(functionArn);
    const permission = onlyResource(run.resources, "aws:lambda/permission:Permission").inputs;
    expect(permission).toMatchObject({ action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com" });
    const stageInputs = onlyResource(run.resources, "aws:apigatewayv2/stage:Stage").inputs as {
      defaultRouteSettings: Record<string, number>;
      accessLogSettings: { destinationArn: string };
      autoDeploy: boolean;
    };
    expect(stageInputs.defaultRouteSettings).toEqual({ throttlingBurstLimit: 200, throttlingRateLimit: 100 });
    expect(stageInputs.autoDeploy).toBe(true);
    const accessLog = run.resources.find((resource) => resource.name === "ApiAccessLog");
    expect(accessLog?.inputs.retentionInDays).toBe(30);
    expect(stageInputs.accessLogSettings.destinationArn).toContain(String(accessLog?.inputs.name));
    expect(onlyResource(run.resources, "aws:apigatewayv2/api:Api").inputs).toMatchObject({
      protocolType: "HTTP",
      corsConfiguration: {},
    });
  });

  it("outputs the API URL, the design, its copies and every table name", () => {
    const run = succeeded(name);
    expect(run.outputs).toMatchObject({ design, copies: design === "single" ? "sync" : "none", _protect: production });
    expect(run.outputs.api).toMatch(/^https:\/\//);
    for (const definition of definitions) {
      expect(run.outputs[`table${definition.id}`]).toBe(tableOf(run, definition.id).inputs.name);
    }
  });
});

// The layout the README documents, written out once, so a change in the core's definitions cannot go unnoticed
// (the INCLUDE lists themselves: packages/core/test/table-definition.test.ts).
it("gives the single table generic keys and two overloaded GSIs projecting what their queries return, with TTL", () => {
  expect(tableOf(succeeded("aliceDeploy"), "Table").inputs).toMatchObject({
    hashKey: "pk",
    rangeKey: "sk",
    globalSecondaryIndexes: [
      {
        name: "gsi1",
        hashKey: "gsi1pk",
        rangeKey: "gsi1sk",
        projectionType: "INCLUDE",
        nonKeyAttributes: expect.arrayContaining(["_e", "_v", "eventDate", "registeredAt", "userName"]),
      },
      {
        name: "gsi2",
        hashKey: "gsi2pk",
        rangeKey: "gsi2sk",
        projectionType: "INCLUDE",
        nonKeyAttributes: expect.arrayContaining(["_e", "_v", "email", "organizerId", "version"]),
      },
    ],
    ttl: { attributeName: "expiration", enabled: true },
  });
});

// The rule itself, every stage and value: stages.test.ts. Here: that run() applies it before creating anything.
it("refuses a production deploy from a shell that asks for the other design, before anything is created", () => {
  const run = runs.productionAskedMulti;
  expect(run.ok).toBe(false);
  if (run.ok) return;
  expect(run.error).toMatch(/Stage "production" runs the single-table design.*TABLE_DESIGN=multi/);
  expect(run.resources.map((resource) => resource.type)).toEqual(["pulumi:pulumi:Stack"]);
});

it("refuses a production deploy from a shell that asks for other copies, before anything is created", () => {
  const run = runs.productionAskedStream;
  expect(run.ok).toBe(false);
  if (run.ok) return;
  expect(run.error).toMatch(/Stage "production" keeps copies sync.*COPIES=stream/);
  expect(run.resources.map((resource) => resource.type)).toEqual(["pulumi:pulumi:Stack"]);
});

const streamDeployments = [
  { name: "aliceStreamDeploy", design: "single" },
  { name: "aliceStreamMultiDeploy", design: "multi" },
] as const;

describe.each(streamDeployments)("sst deploy of a COPIES=stream stage ($design design)", ({ name, design }) => {
  const definitions = tableDefinitions(design);
  const sources: readonly string[] = COPY_SOURCE_TABLES[design];
  const streamArn = (run: Succeeded, id: string) =>
    `arn:aws:dynamodb:us-east-1:123456789012:table/${tableOf(run, id).inputs.name}/stream/mock`;

  it("streams new and old images of the tables copies are taken from; the others have no stream", () => {
    const run = succeeded(name);
    for (const definition of definitions) {
      const streamed = sources.includes(definition.id);
      expect(tableOf(run, definition.id).inputs).toMatchObject({
        ...expectedTableInputs(definition),
        streamEnabled: streamed,
        ...(streamed && { streamViewType: "NEW_AND_OLD_IMAGES" }),
      });
    }
  });

  it("maps each stream to the consumer: MODIFY records only, partial batch failures reported, from the start", () => {
    const run = succeeded(name);
    const mappings = resourcesOfType(run.resources, "aws:lambda/eventSourceMapping:EventSourceMapping");
    expect(mappings).toHaveLength(sources.length);
    const consumer = resourcesOfType(run.resources, "aws:lambda/function:Function").find(
      (lambda) => lambda.name === "CopiesConsumerFunction",
    );
    const consumerArn = `arn:aws:lambda:us-east-1:123456789012:${consumer?.inputs.name}`;
    for (const id of sources) {
      const mapping = mappings.find((candidate) => candidate.inputs.eventSourceArn === streamArn(run, id));
      expect(mapping?.inputs, id).toMatchObject({
        functionName: consumerArn,
        functionResponseTypes: ["ReportBatchItemFailures"],
        startingPosition: "TRIM_HORIZON",
        filterCriteria: { filters: [{ pattern: JSON.stringify({ eventName: ["MODIFY"] }) }] },
      });
    }
  });

  it("lets the consumer read the streams and write the copies, and nothing else; its stream grant is explicit", () => {
    const run = succeeded(name);
    // (A link's grant, `dynamodb:*` on the table and everything under it, covers its stream too; the consumer is
    // granted the stream reads by name all the same, so it keeps them whatever links grant.)
    const granted = roleStatements(run, "CopiesConsumer").filter((statement) =>
      statement.actions.includes("dynamodb:GetRecords"),
    );
    expect(granted.flatMap((statement) => statement.resources).sort()).toEqual(
      sources.map((id) => streamArn(run, id)).sort(),
    );
    for (const id of sources) {
      for (const action of ["DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"]) {
        expect(allowed(run, `dynamodb:${action}`, streamArn(run, id), "CopiesConsumer"), action).toBe(true);
      }
    }
    for (const definition of definitions) {
      const arn = `arn:aws:dynamodb:us-east-1:123456789012:table/${tableOf(run, definition.id).inputs.name}`;
      for (const operation of ["UpdateItem", "Query", "GetItem", "BatchGetItem"])
        expect(allowed(run, `dynamodb:${operation}`, arn, "CopiesConsumer"), operation).toBe(true);
      for (const index of Object.keys(definition.globalIndexes))
        expect(allowed(run, "dynamodb:Query", `${arn}/index/${index}`, "CopiesConsumer"), index).toBe(true);
    }
    const resources = roleStatements(run, "CopiesConsumer").flatMap((statement) => statement.resources);
    expect(resources.every((resource) => resource.startsWith("arn:aws:dynamodb:"))).toBe(true);
    expect(
      allowed(run, "dynamodb:DeleteTable", "arn:aws:dynamodb:us-east-1:123456789012:table/other", "CopiesConsumer"),
    ).toBe(false);
  });

  it("builds the consumer from its handler, and both functions know the copy strategy", () => {
    const run = succeeded(name);
    const builds = run.rpcs
      .filter((rpc) => rpc.method === "Runtime.Build")
      .map((rpc) => rpc.args as { handler: string });
    expect(builds.map((build) => build.handler).sort()).toEqual([API_HANDLER, COPIES_HANDLER].sort());
    expect(lambdaOf(run, "CopiesConsumer").environment.variables).toMatchObject({
      TABLE_DESIGN: design,
      COPIES: "stream",
    });
    expect(lambdaOf(run, "ApiFunction").environment.variables).toMatchObject({
      TABLE_DESIGN: design,
      COPIES: "stream",
    });
    expect(run.outputs).toMatchObject({ design, copies: "stream" });
  });
});

it("runs the consumer live under sst dev, like the API", () => {
  const run = succeeded("aliceStreamDev");
  expect(lambdaOf(run, "CopiesConsumer").description).toBe("live");
  expect(lambdaOf(run, "ApiFunction").description).toBe("live");
  expect(resourcesOfType(run.resources, "aws:lambda/eventSourceMapping:EventSourceMapping")).toHaveLength(1);
});

/** The Dynamo components and tables as the engine would compare them: URN parts, inputs, options. */
function storageOf(run: Succeeded) {
  return withoutRandomSuffixes(
    run.resources.filter(
      (resource) => resource.type === "sst:aws:Dynamo" || resource.type === "aws:dynamodb/table:Table",
    ),
  );
}

function devCommandOf(run: Succeeded) {
  const registered = run.registered.find((entry) => entry.urn.endsWith("sst:sst:DevCommand::LocalDynamo"));
  return (registered?.state as { _dev?: Record<string, unknown> } | undefined)?._dev;
}

describe("sst dev with TABLELAB_DEV_DB=local", () => {
  it("runs DynamoDB Local through a DevCommand linked to the stage's tables", () => {
    const run = succeeded("aliceDevLocal");
    expect(devCommandOf(run)).toEqual({
      title: "DynamoDB Local",
      command: "pnpm exec tsx scripts/sst-dev-database.ts",
      autostart: true,
      links: ["Table"],
      environment: { DYNAMODB_ENDPOINT: "http://127.0.0.1:8000", TABLE_DESIGN: "single", COPIES: "sync" },
      aws: {},
    });
    const multi = succeeded("aliceMultiDevLocal");
    expect(devCommandOf(multi)).toMatchObject({
      links: tableDefinitions("multi").map(({ id }) => id),
      environment: { DYNAMODB_ENDPOINT: "http://127.0.0.1:8123", TABLE_DESIGN: "multi", COPIES: "none" },
    });
  });

  it("points the function at it in dev only", () => {
    expect(lambdaOf(succeeded("aliceDevLocal")).environment.variables.DYNAMODB_ENDPOINT).toBe("http://127.0.0.1:8000");
    expect(lambdaOf(succeeded("aliceMultiDevLocal")).environment.variables.DYNAMODB_ENDPOINT).toBe(
      "http://127.0.0.1:8123",
    );
    // The function is SST's live bridge in dev, as without the variable.
    expect(lambdaOf(succeeded("aliceDevLocal")).description).toBe("live");
    for (const name of ["aliceDev", "aliceDeploy", "aliceDeployWithDevDbVariable"] as const) {
      expect(lambdaOf(succeeded(name)).environment.variables, name).not.toHaveProperty("DYNAMODB_ENDPOINT");
      expect(devCommandOf(succeeded(name)), name).toBeUndefined();
    }
  });

  it("leaves the stage's cloud tables exactly as they are in every other mode", () => {
    const tables = storageOf(succeeded("aliceDeploy"));
    expect(tables.length).toBeGreaterThan(0);
    expect(storageOf(succeeded("aliceDev"))).toEqual(tables);
    expect(storageOf(succeeded("aliceDevLocal"))).toEqual(tables);
    expect(storageOf(succeeded("aliceMultiDevLocal"))).toEqual(storageOf(succeeded("aliceMultiDeploy")));
  });

  it("changes nothing at all in sst deploy", () => {
    expect(withoutRandomSuffixes(succeeded("aliceDeployWithDevDbVariable").resources)).toEqual(
      withoutRandomSuffixes(succeeded("aliceDeploy").resources),
    );
  });
});
