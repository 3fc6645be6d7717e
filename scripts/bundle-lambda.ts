/**
 * Builds the API Lambda the way SST v4 does on `sst deploy`, to see its size and check it bundles, offline.
 *   pnpm bundle:lambda [--dev] [--out dir]
 * The esbuild settings are SST's, the options those sst.config.ts hands the API's `sst.aws.Function` in the
 * production stage (scripts/lambda-build.ts, shared with `pnpm bench` and the tests). The output keeps the
 * handler's folders, as SST's does: <out>/packages/api/src/lambda.mjs, with esbuild's metafile as <out>/meta.json.
 */
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { API_HANDLER } from "../stacks/lambda-package.js";
import { bundleSstFunction, kib, unreproducedOptions } from "./lambda-build.js";
import { apiFunctionArgs } from "./sst-functions.js";

const root = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: { dev: { type: "boolean", default: false }, out: { type: "string", default: join(root, "dist/lambda") } },
});
const dev = values.dev ?? false;
const out = resolve(values.out ?? join(root, "dist/lambda"));

const args = await apiFunctionArgs(root, API_HANDLER);
const unreproduced = unreproducedOptions(args);
if (unreproduced.length > 0) {
  console.error(
    `bundle-lambda: sst.config.ts passes SST ${unreproduced.join(", ")}, which this build does not reproduce`,
  );
  process.exit(1);
}
// (esbuild prints its errors itself; only the exit code is added here.)
const bundle = await bundleSstFunction({ root, args, out, dev, metafilePath: join(out, "meta.json") }).catch(
  (error: Error) => {
    if (!/Build failed/.test(error.message)) console.error(`bundle-lambda: ${error.message}`);
    process.exit(1);
  },
);

const shown = bundle.outfile.startsWith(`${root}/`) ? relative(root, bundle.outfile) : bundle.outfile;
console.log(`${shown}: ${kib(bundle.bytes)} ${dev ? "unminified" : "minified"}, ${kib(bundle.gzipBytes)} gzip`);
const install = Object.keys((args.nodejs as { install?: Record<string, string> } | undefined)?.install ?? {});
console.log(`external (npm-installed into the function package): ${install.join(", ") || "none"}`);
for (const [name, size] of bundle.byPackage.slice(0, 8)) console.log(`  ${kib(size).padStart(10)}  ${name}`);
