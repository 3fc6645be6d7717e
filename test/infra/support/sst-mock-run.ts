/**
 * Runs sst.config.ts's `run()` the way `sst deploy` / `sst dev` does — built by esbuild with SST's defines,
 * injected shim and provider globals, executed against SST's real components from `.sst/platform` — but with
 * Pulumi's mock monitor in place of the engine and a local stand-in for SST's Go RPC server. Prints a JSON array
 * of `MockRun`, one per scenario, on stdout. Scenarios run one after another in this process (loading Pulumi
 * and its AWS provider is most of the cost): each gets its own build of the config (so its own copy of SST's
 * components and their singletons), a fresh mock monitor and stack, and the environment it asked for.
 *
 * Usage: node --import tsx test/infra/support/sst-mock-run.ts '<JSON array of Scenario>'
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type AppJson, type BuildMode, buildSstConfig, platformRequire } from "./sst-config-build.js";
import type { MockRun, RecordedInvoke, RecordedResource, RecordedRpc, Scenario } from "./sst-mock-types.js";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";

let resources: RecordedResource[] = [];
let invokes: RecordedInvoke[] = [];
let rpcs: RecordedRpc[] = [];
/** Errors thrown inside Pulumi's promises (a failing run() rejects the stack's outputs more than once). */
let stray: string[] = [];
process.on("unhandledRejection", (reason) => {
  stray.push(reason instanceof Error ? reason.message : String(reason));
});

/** What a created resource reports back: its inputs plus the outputs other components read (ARNs, names). */
function resourceState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
  const physical = typeof inputs.name === "string" ? inputs.name : `${name}-physical`;
  const state: Record<string, unknown> = {
    ...inputs,
    name: physical,
    arn: `arn:aws:${service}:${REGION}:${ACCOUNT}:${physical}`,
  };
  if (type === "aws:lambda/function:Function") {
    state.invokeArn = `arn:aws:apigateway:${REGION}:lambda:path/functions/${state.arn}/invocations`;
  }
  if (type === "aws:apigatewayv2/api:Api") {
    state.apiEndpoint = `https://${name.toLowerCase()}.execute-api.${REGION}.amazonaws.com`;
    state.executionArn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${name}`;
  }
  if (type === "aws:dynamodb/table:Table") {
    state.arn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${physical}`;
    state.streamArn = `${state.arn}/stream/mock`;
  }
  if (type === "random:index/randomBytes:RandomBytes") {
    state.base64 = Buffer.alloc(Number(inputs.length ?? 32), 1).toString("base64");
  }
  return state;
}

/** Pulumi invokes (data sources) the components make; anything unlisted fails the run so it cannot pass unseen. */
function answerInvoke(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (token) {
    case "aws:index/getPartition:getPartition":
      return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" };
    case "aws:index/getRegion:getRegion":
      return { id: REGION, name: REGION, region: REGION };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { id: ACCOUNT, accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/mock`, userId: "MOCK" };
    case "aws:iam/getPolicyDocument:getPolicyDocument": {
      // The statements are SST's (recorded above); the JSON is only so the role has a policy document to carry.
      const statements = (inputs.statements ?? []) as Array<Record<string, unknown>>;
      return { id: "policy", json: JSON.stringify({ Version: "2012-10-17", Statement: statements }), statements };
    }
    default:
      throw new Error(`no mock answer for the invoke ${token}`);
  }
}

/**
 * SST's components call its Go side over HTTP (`SST_SERVER`/rpc, JSON-RPC 1.0). This stand-in answers the
 * calls that need no Go code — the bootstrap bucket's name, the AppSync endpoints of `sst dev`, dev targets —
 * and `Runtime.Build` with a placeholder directory (the real one runs SST's Go esbuild: not reproduced here,
 * see the test's header). Every call is recorded; an unknown method answers "can't find", as the Go side does.
 */
async function startRpcServer(placeholderBundle: string) {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      const { method, params } = JSON.parse(body) as { method: string; params: unknown[] };
      const args = params[0];
      rpcs.push({ method, args });
      let result: unknown;
      let error: string | undefined;
      switch (method) {
        case "Provider.Aws.Bootstrap":
          result = {
            asset: `sst-asset-mock-${REGION}`,
            assetEcrRegistryId: ACCOUNT,
            assetEcrUrl: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/sst-asset`,
            state: `sst-state-mock-${REGION}`,
            appsyncHttp: "mock-appsync.appsync-api.amazonaws.com",
            appsyncRealtime: "mock-appsync.appsync-realtime-api.amazonaws.com",
          };
          break;
        case "Provider.Aws.Appsync":
          result = { http: "mock-appsync.appsync-api.amazonaws.com", realtime: "mock-appsync.appsync-realtime-api" };
          break;
        case "Runtime.AddTarget":
          result = {};
          break;
        case "Runtime.Build":
          result = {
            handler: (args as { handler: string }).handler,
            out: placeholderBundle,
            errors: [],
            sourcemaps: [],
          };
          break;
        default:
          error = `rpc: can't find method ${method}`;
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ id: null, result: result ?? null, error: error ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** The part of @pulumi/pulumi's `runtime` used here (its types live in .sst/platform, outside our tsconfig). */
interface PulumiSdk {
  runtime: {
    setMocks(
      mocks: {
        newResource(args: { type: string; name: string; inputs: Record<string, unknown>; custom?: boolean }): {
          id: string;
          state: Record<string, unknown>;
        };
        call(args: { token: string; inputs: Record<string, unknown> }): Record<string, unknown>;
      },
      project: string,
      stack: string,
      preview: boolean,
    ): Promise<void>;
    runInPulumiStack(init: () => Promise<unknown>): Promise<Record<string, unknown> | undefined>;
    waitForRPCs(): Promise<void>;
    getMonitor(): unknown;
  };
}

interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getRetainondelete(): boolean;
  getProtect(): boolean;
  getIgnorechangesList(): string[];
}

/** Lets everything the last run left in flight finish, so no late error or registration leaks into the next. */
async function settle(): Promise<void> {
  await pulumi.runtime.waitForRPCs().catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Runs one scenario: its own build, mock monitor, stack and recordings; the shell environment restored after. */
async function runScenario(scenario: Scenario, scratch: string): Promise<MockRun> {
  resources = [];
  invokes = [];
  rpcs = [];
  stray = [];
  const options = new Map<string, RecordedResource["options"]>();
  const saved = { ...process.env };
  for (const [key, value] of Object.entries(scenario.env ?? {})) process.env[key] = value;
  const mode: BuildMode = { stage: scenario.stage, dev: scenario.dev, home: scratch };
  let outfile: string | undefined;
  let outcome: { outputs: Record<string, unknown>; app: AppJson } | { error: string };
  try {
    const built = await buildSstConfig(mode);
    outfile = built.outfile;
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          const recordedOptions = options.get(`${args.type}::${args.name}`);
          resources.push({
            type: args.type,
            name: args.name,
            custom: args.custom ?? true,
            inputs: args.inputs,
            ...(recordedOptions && { options: recordedOptions }),
          });
          return { id: `${args.name}-id`, state: resourceState(args.type, args.name, args.inputs) };
        },
        call(args) {
          invokes.push({ token: args.token, inputs: args.inputs });
          return answerInvoke(args.token, args.inputs);
        },
      },
      built.app.name,
      scenario.stage,
      false,
    );
    // The mocks see only type, name and inputs; the resource options (parent, retainOnDelete, ignoreChanges,
    // protect) travel in the monitor's request, which is read here on its way to the mocks.
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      registerResource(request: RegisterResourceRequest, callback: unknown): unknown;
    };
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
      options.set(`${request.getType()}::${request.getName()}`, {
        parent: request.getParent(),
        retainOnDelete: request.getRetainondelete(),
        protect: request.getProtect(),
        ignoreChanges: request.getIgnorechangesList(),
      });
      return registerResource(request, callback);
    };
    const module = pathToFileURL(outfile).href;
    const outputs = await pulumi.runtime.runInPulumiStack(async () => (await import(module)).default);
    outcome = { outputs: (outputs ?? {}) as Record<string, unknown>, app: built.app };
  } catch (error) {
    outcome = { error: error instanceof Error ? error.message : String(error) };
  }
  // Components keep registering children inside applies after run() returns: wait until all of it settled.
  await settle();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  if (outfile) {
    rmSync(outfile, { force: true });
    rmSync(`${outfile}.map`, { force: true });
  }
  if ("error" in outcome || stray.length > 0) {
    const errors = new Set(["error" in outcome ? outcome.error : undefined, ...stray].filter(Boolean));
    return { ok: false, error: [...errors].join("\n"), resources, invokes, rpcs, registered: [] };
  }
  const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { urn: string; state: unknown }> };
  // A component's registered outputs are kept as the protobuf Struct the engine would receive.
  const registered = [...monitor.resources.values()].map(({ urn, state }) => ({
    urn,
    state: (state as { toJavaScript?: () => unknown }).toJavaScript?.() ?? state,
  }));
  return { ok: true, ...outcome, resources, invokes, rpcs, registered };
}

// tsx turns Node's source-map support on; reading the maps of Pulumi's thousands of modules would triple the
// run time, and no stack trace here needs them.
process.setSourceMapsEnabled(false);
const pulumi = platformRequire("@pulumi/pulumi") as PulumiSdk;
const scenarios = JSON.parse(process.argv[2] ?? "[]") as Scenario[];
const scratch = mkdtempSync(join(tmpdir(), "tablelab-sst-mock-"));
const placeholderBundle = join(scratch, "bundle");
mkdirSync(placeholderBundle);
writeFileSync(join(placeholderBundle, "placeholder.txt"), "Runtime.Build is answered by the test's stand-in\n");
const server = await startRpcServer(placeholderBundle);
process.env.SST_SERVER = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const results: MockRun[] = [];
try {
  for (const scenario of scenarios) results.push(await runScenario(scenario, scratch));
} finally {
  server.close();
  rmSync(scratch, { recursive: true, force: true });
}
// Pulumi's runtime keeps handles open; the run is complete once the results are printed. Exit only once they are
// written: stdout is a pipe (asynchronous), and exiting at once would cut off a long output mid-JSON.
process.stdout.write(`${JSON.stringify(results)}\n`, () => process.exit(0));
