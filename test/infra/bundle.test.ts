/**
 * Runs scripts/bundle-lambda.ts (SST's esbuild defaults for Node) and checks what Lambda would load.
 * Needs the API's Lambda entry point, packages/api/src/lambda.ts; until it exists the script exits 1.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { ELECTRODB_COMMANDS } from "@tablelab/core/electrodb-commands";
import type { Metafile } from "esbuild";
import { afterAll, expect, it } from "vitest";

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
  const fromJsonSchema = [...bytes].find(([path]) => path.endsWith("zod/v4/classic/from-json-schema.js"));
  expect(fromJsonSchema?.[1]).toBeLessThan(300);
  // ElectroDB's `require` of lib-dynamodb no longer keeps the whole client: the aggregated client and commands
  // nobody sends are gone, the ones the stores and ElectroDB send are there.
  expect(kept.filter((input) => /client-dynamodb\/dist-es\/(DynamoDB\.js|waiters\/)/.test(input))).toEqual([]);
  expect(kept.some((input) => input.endsWith("client-dynamodb/dist-es/commands/CreateBackupCommand.js"))).toBe(false);
  expect(kept.some((input) => input.endsWith("client-dynamodb/dist-es/commands/TransactWriteItemsCommand.js"))).toBe(
    true,
  );
});

it("hands ElectroDB every lib-dynamodb command its client wrapper sends", () => {
  // The bundle gives ElectroDB ELECTRODB_COMMANDS in place of the package (stacks/esbuild-plugins.mjs).
  const electrodb = dirname(createRequire(join(root, "packages/core/package.json")).resolve("electrodb/package.json"));
  const client = readFileSync(join(electrodb, "src/client.js"), "utf8");
  const sent = new Set([...client.matchAll(/\blib\.(\w+)/g)].map((match) => match[1] as string));
  expect(sent.size).toBeGreaterThan(5);
  expect([...sent].filter((name) => !(name in ELECTRODB_COMMANDS))).toEqual([]);
});
