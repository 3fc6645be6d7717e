/**
 * Builds the API Lambda the way SST v4 does on `sst deploy`, to see its size and check it bundles, offline.
 *   pnpm bundle:lambda [--dev] [--out dir]
 * The esbuild settings are SST's (see scripts/lambda-build.ts, shared with `pnpm bench`). The output keeps the
 * handler's folders, as SST's does: <out>/packages/api/src/lambda.mjs, with esbuild's metafile as <out>/meta.json.
 */
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { API_HANDLER, API_NODE_INSTALL, resolveHandler } from "../stacks/lambda-package.js";
import { bundleLambda, kib } from "./lambda-build.js";

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
// (esbuild prints the errors itself; only the exit code is added here.)
const bundle = await bundleLambda({ root, entry: file, outfile, dev, metafilePath: join(out, "meta.json") }).catch(() =>
  process.exit(1),
);

const shown = outfile.startsWith(`${root}/`) ? relative(root, outfile) : outfile;
console.log(`${shown}: ${kib(bundle.bytes)} ${dev ? "unminified" : "minified"}, ${kib(bundle.gzipBytes)} gzip`);
console.log(`external (npm-installed into the function package): ${API_NODE_INSTALL.join(", ")}`);
for (const [name, size] of bundle.byPackage.slice(0, 8)) console.log(`  ${kib(size).padStart(10)}  ${name}`);
