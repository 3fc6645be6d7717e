/**
 * Runs scripts/bundle-lambda.ts (SST's esbuild defaults for Node, with the options sst.config.ts hands the API's
 * `sst.aws.Function`) and checks what Lambda would load; and checks that the infrastructure passes SST no option
 * whose effect that build does not reproduce, so the bundle tested here is the one SST would build.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { ELECTRODB_COMMANDS } from "@tablelab/core/electrodb-commands";
import type { Metafile } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { bundleSstFunction, sstBuildOptions, unreproducedOptions } from "../../scripts/lambda-build.js";
import { sstFunctions } from "../../scripts/sst-functions.js";

const root = resolve(import.meta.dirname, "../..");
const out = mkdtempSync(join(tmpdir(), "tablelab-bundle-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it("bundles the handler into an ES module that exports `handler`, with swagger-ui-dist left external", () => {
  const printed = execFileSync(process.execPath, ["--import", "tsx", "scripts/bundle-lambda.ts", "--out", out], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  expect(printed).toMatch(/lambda\.mjs: [\d.]+ KiB minified, [\d.]+ KiB gzip/);

  const file = join(out, "packages/api/src/lambda.mjs");
  expect(existsSync(file)).toBe(true);
  const code = readFileSync(file, "utf8");
  // SST's ESM banner, so bundled CommonJS code can still `require` Node built-ins.
  expect(code.startsWith("import { createRequire as topLevelCreateRequire } from 'module';")).toBe(true);
  // Parses as an ES module (Node decides by the .mjs extension).
  execFileSync(process.execPath, ["--check", file]);

  const meta = JSON.parse(readFileSync(join(out, "meta.json"), "utf8")) as Metafile;
  const output = Object.entries(meta.outputs).find(([path]) => path.endsWith("packages/api/src/lambda.mjs"))?.[1];
  expect(output?.exports).toContain("handler");
  const inputs = Object.keys(meta.inputs);
  expect(inputs.some((input) => input.includes("node_modules/swagger-ui-dist/"))).toBe(false);
});

it("keeps out what the API never runs: zod's unused locales and fromJSONSchema, the unused DynamoDB commands", () => {
  // The bundle's size is a pnpm bench target (reported PASS/FAIL there, docs/benchmarks.md), not asserted here.
  const meta = JSON.parse(readFileSync(join(out, "meta.json"), "utf8")) as Metafile;
  const output = Object.entries(meta.outputs).find(([path]) => path.endsWith("packages/api/src/lambda.mjs"))?.[1];
  const bytes = new Map(Object.entries(output?.inputs ?? {}).map(([path, { bytesInOutput }]) => [path, bytesInOutput]));
  const kept = [...bytes].filter(([, size]) => size > 0).map(([path]) => path);
  expect(kept.some((input) => /node_modules\/zod\/v4\/locales\/en\.js$/.test(input))).toBe(true);
  expect(kept.filter((input) => /node_modules\/zod\/v4\/locales\/(?!en\.js|index\.js)/.test(input))).toEqual([]);
  // patches/zod@4.6.7.patch: z.fromJSONSchema is a stub, so its module is not in the bundle at all.
  expect([...bytes.keys()].filter((path) => path.endsWith("zod/v4/classic/from-json-schema.js"))).toEqual([]);
  // ElectroDB's `require` of lib-dynamodb no longer keeps the whole client: the aggregated client and commands
  // nobody sends are gone, the ones the stores and ElectroDB send are there.
  expect(kept.filter((input) => /client-dynamodb\/dist-es\/(DynamoDB\.js|waiters\/)/.test(input))).toEqual([]);
  expect(kept.some((input) => input.endsWith("client-dynamodb/dist-es/commands/CreateBackupCommand.js"))).toBe(false);
  expect(kept.some((input) => input.endsWith("client-dynamodb/dist-es/commands/TransactWriteItemsCommand.js"))).toBe(
    true,
  );
});

it("runs the same patched zod and ElectroDB outside the bundle (pnpm patchedDependencies, patches/)", () => {
  const core = createRequire(join(root, "packages/core/package.json"));
  const zod = core("zod") as { z: { locales: object; fromJSONSchema(schema: unknown): unknown } };
  expect(Object.keys(zod.z.locales)).toEqual(["en"]);
  expect(() => zod.z.fromJSONSchema({ type: "string" })).toThrow(/left out of this zod install/);
  const client = core("electrodb/src/client.js") as { normalizeClient(client: unknown): unknown };
  // A bare v3 document client is refused with a message that says what to pass instead.
  expect(() => client.normalizeClient({ send() {} })).toThrow(/DocumentClientV3Wrapper/);
});

it("hands ElectroDB every lib-dynamodb command its client wrapper sends", () => {
  // Our ElectroDB is handed ELECTRODB_COMMANDS instead of requiring the package (patches/electrodb@3.9.3.patch).
  const electrodb = dirname(createRequire(join(root, "packages/core/package.json")).resolve("electrodb/package.json"));
  const client = readFileSync(join(electrodb, "src/client.js"), "utf8");
  const sent = new Set([...client.matchAll(/\blib\.(\w+)/g)].map((match) => match[1] as string));
  expect(sent.size).toBeGreaterThan(5);
  expect([...sent].filter((name) => !(name in ELECTRODB_COMMANDS))).toEqual([]);
});

describe("what SST is asked to build is what scripts/lambda-build.ts builds", () => {
  it.each(["alice", "production", "alice-stream", "alice-stream-multi"])(
    "every sst.aws.Function of sst.config.ts (stage %s) has only options the build reproduces",
    async (stage) => {
      const functions = await sstFunctions(root, stage);
      expect([...functions.keys()]).toContain("ApiFunction");
      // COPIES=stream stages (stacks/stages.ts) add the copies consumer, recorded and checked the same way.
      expect(functions.has("CopiesConsumer")).toBe(stage.includes("-stream"));
      for (const [name, args] of functions) expect(unreproducedOptions(args), name).toEqual([]);
    },
  );

  it("bundles the copies consumer of a COPIES=stream stage from its recorded arguments", async () => {
    const args = (await sstFunctions(root, "alice-stream")).get("CopiesConsumer") as Record<string, unknown>;
    const bundle = await bundleSstFunction({ root, args, out: join(out, "consumer") });
    expect(bundle.outfile).toMatch(/packages\/api\/src\/copies-consumer\.mjs$/);
    expect(Object.values(bundle.metafile.outputs).some((output) => output.exports?.includes("handler"))).toBe(true);
  });

  it("flags any build option it does not reproduce, and refuses to build with one", () => {
    const api = { handler: "packages/api/src/lambda.handler", runtime: "nodejs24.x", nodejs: { install: ["x"] } };
    expect(unreproducedOptions(api)).toEqual([]);
    // SST runs `nodejs.plugins` through its own runner, not esbuild's: the reason this check exists.
    for (const option of ["plugins", "loader", "banner", "esbuild", "format", "minify", "sourcemap", "splitting"]) {
      expect(unreproducedOptions({ ...api, nodejs: { [option]: "x" } })).toEqual([`nodejs.${option}`]);
    }
    for (const option of ["bundle", "copyFiles", "hook", "layers", "injections", "streaming", "python"]) {
      expect(unreproducedOptions({ ...api, [option]: "x" })).toEqual([option]);
    }
    expect(unreproducedOptions({ ...api, runtime: "python3.12" })).toEqual(["runtime"]);
    expect(unreproducedOptions({ ...api, transform: { function: { code: "x" } } })).toEqual(["transform.function"]);
    const input = { root, entry: join(root, "packages/api/src/lambda.ts"), outfile: join(out, "never.mjs") };
    expect(() => sstBuildOptions({ ...input, nodejs: { plugins: "plugins.mjs" } })).toThrow(/nodejs\.plugins/);
    expect(sstBuildOptions({ ...input, nodejs: { install: { "swagger-ui-dist": "1.0.0" } } }).external).toEqual([
      "sharp",
      "pg-native",
      "swagger-ui-dist",
    ]);
  });
});
