/**
 * The arguments sst.config.ts hands `sst.aws.Function`, read by evaluating the config as SST would (app(), then
 * run() with `$app` set) with SST's globals replaced by recorders — no SST, no AWS. scripts/bundle-lambda.ts,
 * `pnpm bench` and the tests build the Lambda bundle from these, so they build what SST would be asked to build.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

export interface RecordedComponent {
  /** The global's path, e.g. `sst.aws.Function`. */
  type: string;
  name: string;
  args: Record<string, unknown>;
}

interface Config {
  app(input: { stage: string }): Promise<Record<string, unknown>> | Record<string, unknown>;
  run(): Promise<unknown>;
}

/**
 * A stand-in for anything SST returns (a component, an output): every property is another stand-in, calling or
 * constructing one gives another, and it prints as `<path>`. Constructing one under `sst.` records a component.
 */
function stub(path: string, created: RecordedComponent[]): unknown {
  // A `function` (not an arrow) so that `new` works on it.
  return new Proxy(function component() {}, {
    get(_, property) {
      if (property === Symbol.toPrimitive || property === "toString") return () => `<${path}>`;
      // Not a promise, not a JSON-able value: `await` and JSON.stringify treat it as an opaque object.
      if (property === "then" || property === "toJSON" || typeof property === "symbol") return undefined;
      return stub(`${path}.${property}`, created);
    },
    apply: () => stub(`${path}()`, created),
    construct(_, [name, args]) {
      created.push({ type: path, name: String(name), args: (args ?? {}) as Record<string, unknown> });
      return stub(String(name), created) as object;
    },
  });
}

/** Evaluates sst.config.ts for one stage and returns every component it creates, in order. */
export async function evaluateSstConfig(root: string, stage: string): Promise<RecordedComponent[]> {
  const created: RecordedComponent[] = [];
  const globals = globalThis as Record<string, unknown>;
  const replaced = {
    $config: (config: Config) => config,
    $dev: false,
    $cli: { paths: { root, platform: resolve(root, ".sst/platform") } },
    $app: { name: "tablelab", stage },
    $interpolate: (strings: TemplateStringsArray, ...values: unknown[]) => String.raw({ raw: strings }, ...values),
    $transform: () => undefined,
    sst: stub("sst", created),
  };
  const previous = Object.fromEntries(Object.keys(replaced).map((key) => [key, globals[key]]));
  Object.assign(globals, replaced);
  // The stage fixes its table design and copies (stacks/stages.ts) and refuses a shell asking for others; the
  // build options do not depend on them, so a caller's TABLE_DESIGN or COPIES (a test of another cell) must not
  // leak in.
  const shell = { TABLE_DESIGN: process.env.TABLE_DESIGN, COPIES: process.env.COPIES };
  delete process.env.TABLE_DESIGN;
  delete process.env.COPIES;
  try {
    const config = (await import(pathToFileURL(resolve(root, "sst.config.ts")).href)).default as Config;
    const app = await config.app({ stage });
    globals.$app = { name: app.name, stage, removal: app.removal, protect: app.protect ?? false };
    await config.run();
    return created;
  } finally {
    Object.assign(globals, previous);
    for (const [name, value] of Object.entries(shell)) if (value !== undefined) process.env[name] = value;
  }
}

/** The `sst.aws.Function`s of one stage's config, by name. */
export async function sstFunctions(root: string, stage: string): Promise<Map<string, Record<string, unknown>>> {
  const created = await evaluateSstConfig(root, stage);
  return new Map(created.filter((c) => c.type === "sst.aws.Function").map((c) => [c.name, c.args]));
}

/** The stage whose build `pnpm bundle:lambda` and `pnpm bench` reproduce: the one users are served by. */
export const DEPLOYED_STAGE = "production";

/** The arguments of the API function (the one whose handler is `handler`) in the production stage. */
export async function apiFunctionArgs(root: string, handler: string): Promise<Record<string, unknown>> {
  const functions = [...(await sstFunctions(root, DEPLOYED_STAGE)).values()].filter((args) => args.handler === handler);
  if (functions.length !== 1) throw new Error(`sst.config.ts: expected one sst.aws.Function for ${handler}`);
  return functions[0] as Record<string, unknown>;
}
