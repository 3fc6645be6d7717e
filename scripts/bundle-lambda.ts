/**
 * Builds the API Lambda the way SST v4 does on `sst deploy`, to see its size and check it bundles, offline.
 *   pnpm bundle:lambda [--dev] [--out dir]
 * SST's Node defaults (pkg/runtime/node/build.go in the SST repository): esbuild, bundle, ESM (.mjs),
 * platform node, target esnext, mainFields module→main, keepNames, the createRequire/__dirname banner,
 * `sharp` and `pg-native` plus `nodejs.install` packages external, everything else (the AWS SDK included)
 * bundled; on deploy minified without source map, in `sst dev` unminified with a linked source map (`--dev`).
 * The output keeps the handler's folders, as SST's does: <out>/packages/api/src/lambda.mjs.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { API_HANDLER, API_NODE_INSTALL, resolveHandler } from "../stacks/lambda-package.js";

const root = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: { dev: { type: "boolean", default: false }, out: { type: "string", default: join(root, "dist/lambda") } },
});
const dev = values.dev ?? false;
const out = resolve(values.out ?? join(root, "dist/lambda"));

const { file } = resolveHandler(API_HANDLER, root);
if (!file) {
  console.error(
    `bundle-lambda: no file for handler ${API_HANDLER} (tried ${API_HANDLER.replace(/\.[^.]+$/, "")}.ts, …)`,
  );
  process.exit(1);
}

const path = relative(root, file).replace(/\.[^./]+$/, "");
const outfile = join(out, dirname(path), `${basename(path).replaceAll(".", "-")}.mjs`);
// Only our own files are replaced: --out may name a directory that holds other things.
for (const stale of [outfile, `${outfile}.map`, join(out, "meta.json")]) rmSync(stale, { force: true });
mkdirSync(dirname(outfile), { recursive: true });

const result = await build({
  // (esbuild prints the errors itself; only the exit code is added below.)
  absWorkingDir: root,
  entryPoints: [file],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "esnext",
  mainFields: ["module", "main"],
  keepNames: true,
  external: ["sharp", "pg-native", ...API_NODE_INSTALL],
  banner: {
    js: [
      `import { createRequire as topLevelCreateRequire } from 'module';`,
      `const require = topLevelCreateRequire(import.meta.url);`,
      `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
      `const __filename = topLevelFileUrlToPath(import.meta.url)`,
      `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
      "",
    ].join("\n"),
  },
  minify: !dev,
  sourcemap: dev ? "linked" : false,
  metafile: true,
  logLevel: "warning",
}).catch(() => process.exit(1));
writeFileSync(join(out, "meta.json"), JSON.stringify(result.metafile));

const bytes = statSync(outfile).size;
const gzip = gzipSync(readFileSync(outfile), { level: 9 }).length;
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

// The largest contributors, by package (or by our own workspace folder).
const byPackage = new Map<string, number>();
for (const [input, { bytesInOutput }] of Object.entries(
  result.metafile.outputs[relative(root, outfile)]?.inputs ?? {},
)) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
  const key = match?.[1] ?? input.split("/").slice(0, 2).join("/");
  byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
}
const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8);

const shown = outfile.startsWith(`${root}/`) ? relative(root, outfile) : outfile;
console.log(`${shown}: ${kib(bytes)} ${dev ? "unminified" : "minified"}, ${kib(gzip)} gzip`);
console.log(`external (npm-installed into the function package): ${API_NODE_INSTALL.join(", ")}`);
for (const [name, size] of top) console.log(`  ${kib(size).padStart(10)}  ${name}`);
