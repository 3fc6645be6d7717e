/**
 * Evaluates sst.config.ts without SST: SST's globals are replaced by recorders, `app()` and `run()` are called
 * per stage and per table design, and the recorded component arguments are checked against the core's table
 * definitions and the deployment rules. (Option names and types are checked by `pnpm typecheck:infra`; the
 * same config under SST's real components: sst-pulumi-mocks.test.ts.) Each stage has its design written in
 * stacks/stages.ts: a personal stage per design (`alice`, `alice-multi`), and production (single).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { sstDynamoArgs, TABLE_DESIGNS, tableDefinitions } from "@tablelab/core/table";
import { beforeAll, describe, expect, it } from "vitest";
import { COPY_SOURCE_TABLES, STREAM_READ_ACTIONS } from "../../stacks/copy-sources.js";
import { COPIES_HANDLER, resolveHandler } from "../../stacks/lambda-package.js";
import { copiesOfStage, tableDesignOfStage } from "../../stacks/stages.js";

const root = resolve(import.meta.dirname, "../..");

type Args = Record<string, unknown>;
interface Recorded {
  type: string;
  name: string;
  args: Args;
  instance: Record<string, unknown>;
}
interface Route {
  path: string;
  handler: unknown;
}
interface AppConfig {
  name: string;
  home: string;
  removal: string;
  protect?: boolean;
}
interface Config {
  app(input: { stage: string }): AppConfig | Promise<AppConfig>;
  run(): Promise<Record<string, unknown>>;
}

let created: Recorded[] = [];
let routes: Route[] = [];
/** `table.subscribe(name, subscriber, args)` calls, by the table's component name. */
let subscriptions: Array<{ table: string; name: string; subscriber: unknown; args: Args }> = [];

/** A stand-in for an SST component class: records its name and arguments, exposes placeholder outputs. */
function recorder(type: string, outputs: (name: string) => Record<string, unknown>) {
  return class {
    constructor(name: string, args: Args = {}) {
      const instance = this as unknown as Record<string, unknown>;
      Object.assign(instance, outputs(name));
      created.push({ type, name, args, instance });
    }
  };
}

const globals = globalThis as Record<string, unknown>;
globals.$config = (config: Config) => config;
globals.$dev = false;
globals.$cli = { paths: { root } };
globals.sst = {
  Secret: recorder("sst.Secret", (name) => ({ value: `<${name}.value>` })),
  aws: {
    Dynamo: recorder("sst.aws.Dynamo", (name) => ({
      name: `<${name}.name>`,
      arn: `<${name}.arn>`,
      nodes: { table: { streamArn: `<${name}.streamArn>` } },
      subscribe: (subscriber: string, target: unknown, args: Args) =>
        subscriptions.push({ table: name, name: subscriber, subscriber: target, args }),
    })),
    Function: recorder("sst.aws.Function", (name) => ({ name: `<${name}.name>`, arn: `arn:aws:lambda:::${name}` })),
    ApiGatewayV2: recorder("sst.aws.ApiGatewayV2", (name) => ({
      url: `https://${name}.example`,
      route: (path: string, handler: unknown) => routes.push({ path, handler }),
    })),
  },
};

let config: Config;
beforeAll(async () => {
  config = (await import(pathToFileURL(resolve(root, "sst.config.ts")).href)).default;
});

/** A personal stage of the design: `alice` runs the single-table design, `alice-multi` the other. */
const personalStage = (design: string) => (design === "multi" ? "alice-multi" : "alice");

/**
 * Runs the config as SST would for a stage: app() first, then run() with `$app` set from its answer. The
 * stage's design comes from the config; `design` is checked against it, not handed to the config.
 */
async function evaluate(stage: string, design: string) {
  expect(tableDesignOfStage(stage), `the design of stage ${stage}`).toBe(design);
  created = [];
  routes = [];
  subscriptions = [];
  const app = await config.app({ stage });
  globals.$app = { name: app.name, stage, removal: app.removal, protect: app.protect ?? false };
  const outputs = await config.run();
  return { app, outputs, created, routes, subscriptions };
}

function only(list: Recorded[], type: string): Recorded {
  const found = list.filter((component) => component.type === type);
  expect(found, type).toHaveLength(1);
  return found[0] as Recorded;
}

function seconds(duration: unknown): number {
  const match = /^(\d+) seconds?$/.exec(String(duration));
  if (!match) throw new Error(`not a duration in seconds: ${String(duration)}`);
  return Number(match[1]);
}

describe("app()", () => {
  it("names the app, keeps state in AWS, retains and protects production only", async () => {
    expect(await config.app({ stage: "production" })).toMatchObject({
      name: "tablelab",
      home: "aws",
      removal: "retain",
      protect: true,
    });
    const dev = await config.app({ stage: "alice" });
    expect(dev).toMatchObject({ name: "tablelab", home: "aws", removal: "remove" });
    expect(dev.protect ?? false).toBe(false);
  });
});

describe.each(TABLE_DESIGNS)("run() for a stage of the %s design", (design) => {
  const definitions = tableDefinitions(design);
  const alice = personalStage(design);

  it.each([alice, ...(design === "single" ? ["production"] : [])])(
    "creates one Dynamo per table definition, from sstDynamoArgs (%s)",
    async (stage) => {
      const { created } = await evaluate(stage, design);
      const tables = created.filter((component) => component.type === "sst.aws.Dynamo");
      expect(tables.map((table) => table.name)).toEqual(definitions.map((definition) => definition.id));
      for (const definition of definitions) {
        const { deletionProtection, ...layout } = tables.find((table) => table.name === definition.id)?.args ?? {};
        expect(layout).toEqual(sstDynamoArgs(definition));
        expect(deletionProtection).toBe(stage === "production");
      }
    },
  );

  it("puts the whole app in one arm64 nodejs24.x Lambda linked to every table and the secret, no stream", async () => {
    const { created, subscriptions } = await evaluate(alice, design);
    const fn = only(created, "sst.aws.Function");
    const secret = only(created, "sst.Secret");
    // The design's default copies (single: sync, multi: none) need no stream and no consumer.
    expect(subscriptions).toEqual([]);
    for (const table of created.filter((component) => component.type === "sst.aws.Dynamo"))
      expect(table.args).not.toHaveProperty("stream");
    expect(secret.name).toBe("JwtSecret");
    expect(fn.args).toMatchObject({
      handler: "packages/api/src/lambda.handler",
      runtime: "nodejs24.x",
      architecture: "arm64",
    });
    expect(fn.args.memory).toMatch(/^\d+ MB$/);
    // Longer than the DynamoDB client's ~5 s, shorter than API Gateway's 30 s integration timeout.
    expect(seconds(fn.args.timeout)).toBeGreaterThan(5);
    expect(seconds(fn.args.timeout)).toBeLessThan(30);
    const tables = created.filter((component) => component.type === "sst.aws.Dynamo").map((table) => table.instance);
    expect(fn.args.link).toEqual(expect.arrayContaining([...tables, secret.instance]));
    expect(fn.args.link).toHaveLength(tables.length + 1);
    expect(fn.args.environment).toMatchObject({ TABLE_DESIGN: design, COPIES: copiesOfStage(alice), DB_METRICS: "1" });
    // swagger-ui-dist stays out of the bundle and is installed at the version pinned in the catalog.
    // No esbuild plugins or other build options: test/infra/bundle.test.ts checks the bundle reproduces them all.
    expect(fn.args.nodejs).toEqual({
      install: { "swagger-ui-dist": expect.stringMatching(/^\d+\.\d+\.\d+$/) },
    });
  });

  it("routes every request to the function through an HTTP API with throttling, access logs and no gateway CORS", async () => {
    const { created, routes } = await evaluate(alice, design);
    const fn = only(created, "sst.aws.Function");
    const api = only(created, "sst.aws.ApiGatewayV2");
    expect(routes).toEqual([{ path: "$default", handler: fn.instance.arn }]);
    // CORS is answered by the Hono app (CORS_ORIGINS), never by both.
    expect(api.args.cors).toBe(false);
    expect(fn.args.environment).toHaveProperty("CORS_ORIGINS");
    expect(api.args.accessLog).toEqual({ retention: expect.any(String) });
    const stage = (api.args.transform as { stage: { defaultRouteSettings: Record<string, number> } }).stage;
    expect(stage.defaultRouteSettings.throttlingRateLimit).toBeGreaterThan(0);
    expect(stage.defaultRouteSettings.throttlingBurstLimit).toBeGreaterThanOrEqual(
      stage.defaultRouteSettings.throttlingRateLimit ?? Number.POSITIVE_INFINITY,
    );
  });

  it("outputs the API URL and every table name", async () => {
    const { outputs, created } = await evaluate(alice, design);
    expect(outputs.api).toBe(only(created, "sst.aws.ApiGatewayV2").instance.url);
    for (const definition of definitions) expect(outputs[`table${definition.id}`]).toBe(`<${definition.id}.name>`);
  });
});

/** A personal stage of the design whose copies are kept by the stream consumer. */
const streamStage = (design: string) => (design === "multi" ? "alice-stream-multi" : "alice-stream");

describe.each(TABLE_DESIGNS)("run() for a COPIES=stream stage of the %s design", (design) => {
  const stage = streamStage(design);
  const sources: readonly string[] = COPY_SOURCE_TABLES[design];

  it("streams both images of the tables copies are taken from, and only those", async () => {
    expect(copiesOfStage(stage)).toBe("stream");
    const { created } = await evaluate(stage, design);
    const tables = created.filter((component) => component.type === "sst.aws.Dynamo");
    expect(tables.filter((table) => table.args.stream).map((table) => table.name)).toEqual([...sources]);
    for (const table of tables) {
      if (sources.includes(table.name)) expect(table.args.stream).toBe("new-and-old-images");
      // Everything else about the table is as on any stage of the design.
      const { deletionProtection: _protection, stream: _stream, ...layout } = table.args;
      expect(layout).toEqual(sstDynamoArgs(tableDefinitions(design).find(({ id }) => id === table.name) as never));
    }
  });

  it("subscribes one consumer Lambda to each stream: MODIFY records only, partial batch failures, from the start", async () => {
    const { created, subscriptions } = await evaluate(stage, design);
    const consumer = created.find((component) => component.name === "CopiesConsumer");
    expect(consumer?.type).toBe("sst.aws.Function");
    expect(subscriptions.map((subscription) => subscription.table)).toEqual([...sources]);
    for (const subscription of subscriptions) {
      expect(subscription.subscriber).toBe(consumer?.instance.arn);
      expect(subscription.args).toEqual({
        filters: [{ eventName: ["MODIFY"] }],
        transform: {
          eventSourceMapping: { functionResponseTypes: ["ReportBatchItemFailures"], startingPosition: "TRIM_HORIZON" },
        },
      });
    }
  });

  it("gives the consumer the copies handler, every table (to write copies), stream reads, and the API's settings", async () => {
    const { created } = await evaluate(stage, design);
    const functions = created.filter((component) => component.type === "sst.aws.Function");
    expect(functions.map((fn) => fn.name).sort()).toEqual(["ApiFunction", "CopiesConsumer"]);
    const consumer = functions.find((fn) => fn.name === "CopiesConsumer") as Recorded;
    const api = functions.find((fn) => fn.name === "ApiFunction") as Recorded;
    expect(consumer.args).toMatchObject({ handler: COPIES_HANDLER, runtime: "nodejs24.x", architecture: "arm64" });
    expect(seconds(consumer.args.timeout)).toBeLessThanOrEqual(900);
    const tables = created.filter((component) => component.type === "sst.aws.Dynamo").map((table) => table.instance);
    expect(consumer.args.link).toEqual(tables);
    expect(consumer.args.permissions).toEqual([
      { actions: [...STREAM_READ_ACTIONS], resources: sources.map((id) => `<${id}.streamArn>`) },
    ]);
    expect(consumer.args.environment).toEqual({ TABLE_DESIGN: design, COPIES: "stream" });
    expect(api.args.environment).toMatchObject({ TABLE_DESIGN: design, COPIES: "stream" });
    // No build options: test/infra/bundle.test.ts builds it from these arguments, as SST would.
    expect(consumer.args.nodejs).toBeUndefined();
    const { file, exportName } = resolveHandler(COPIES_HANDLER, root);
    expect(file, `no file for handler ${COPIES_HANDLER}`).toBeDefined();
    expect(exportName).toBe("handler");
  });

  it("outputs the copy strategy", async () => {
    expect((await evaluate(stage, design)).outputs.copies).toBe("stream");
  });
});

// Production runs the single-table design only (stacks/stages.ts).
it("turns the database metrics headers off in production", async () => {
  const { created } = await evaluate("production", "single");
  expect(only(created, "sst.aws.Function").args.environment).toMatchObject({ DB_METRICS: "0", TABLE_DESIGN: "single" });
});

// The one check that needs the API's Lambda entry point (packages/api/src/lambda.ts, written in the API work).
it("points the function at a module that exports the handler function", async () => {
  const { created } = await evaluate("alice", "single");
  const handler = String(only(created, "sst.aws.Function").args.handler);
  const { file, exportName } = resolveHandler(handler, root);
  expect(file, `no file for handler ${handler}`).toBeDefined();
  expect(existsSync(file as string)).toBe(true);
  // Import it as the Lambda would start, with the links SST would set (see sst-resource.test.ts).
  process.env.SST_RESOURCE_App = JSON.stringify({ name: "tablelab", stage: "test" });
  process.env.SST_RESOURCE_Table = JSON.stringify({ name: "tablelab-test-table", type: "sst.aws.Dynamo" });
  process.env.SST_RESOURCE_JwtSecret = JSON.stringify({
    value: "test-secret-test-secret-test-secret",
    type: "sst.sst.Secret",
  });
  const module = await import(pathToFileURL(file as string).href);
  expect(typeof module[exportName]).toBe("function");
});
