/**
 * Runs scripts/bundle-lambda.ts (SST's esbuild defaults for Node) and checks what Lambda would load.
 * Needs the API's Lambda entry point, packages/api/src/lambda.ts; until it exists the script exits 1.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
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

it("keeps zod's unused locales out (the SST plugin) and loads Powertools idempotency lazily", () => {
  // The bundle's size is a pnpm bench target (reported PASS/FAIL there, docs/benchmarks.md), not asserted here.
  const meta = JSON.parse(readFileSync(join(out, "meta.json"), "utf8")) as Metafile;
  const output = Object.entries(meta.outputs).find(([path]) => path.endsWith("packages/api/src/lambda.mjs"))?.[1];
  const inputs = Object.entries(output?.inputs ?? {})
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([path]) => path);
  expect(inputs.some((input) => /node_modules\/zod\/v4\/locales\/en\.js$/.test(input))).toBe(true);
  expect(inputs.filter((input) => /node_modules\/zod\/v4\/locales\/(?!en\.js|index\.js)/.test(input))).toEqual([]);
  // Bundled, but evaluated only on the first request with an Idempotency-Key.
  const lambda = Object.entries(meta.inputs).find(([path]) => path.endsWith("packages/api/src/http/idempotency.ts"));
  expect(lambda?.[1].imports.find((entry) => entry.path.endsWith("idempotency-powertools.ts"))?.kind).toBe(
    "dynamic-import",
  );
});
