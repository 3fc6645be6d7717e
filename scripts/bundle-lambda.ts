/**
 * Builds the API Lambda the way SST v4 does on `sst deploy`, to see its size and check it bundles, offline.
 *   pnpm bundle:lambda [--dev] [--out dir]
 * The esbuild settings are SST's, the options those sst.config.ts hands the API's `sst.aws.Function` in the
 * production stage (scripts/lambda-build.ts, shared with `pnpm bench` and the tests). The output keeps the
 * handler's folders, as SST's does: <out>/packages/api/src/lambda.mjs, with esbuild's metafile as <out>/meta.json.
 */
import { join, relative, resolve } from "node:path";
import { Command } from "commander";
import { API_HANDLER } from "../stacks/lambda-package.js";
import { bundleSstFunction, kib, unreproducedOptions } from "./lambda-build.js";
import { apiFunctionArgs } from "./sst-functions.js";

const root = resolve(import.meta.dirname, "..");
const options = new Command("pnpm bundle:lambda")
  .description(
    "Bundles the API Lambda as SST would on `sst deploy` (its esbuild settings, the options sst.config.ts gives " +
      "the function), offline, and prints its size and largest packages.",
  )
  .option("--dev", "build as `sst dev` does: unminified, with a linked source map", false)
  .option("--out <dir>", "output directory (the handler's folders are kept inside it)", "dist/lambda")
  // One line per error (commander's own message), never the help text.
  .configureOutput({ outputError: (message, write) => write(`${message.split("\n")[0]}\n`) })
  .parse()
  .opts<{ dev: boolean; out: string }>();
const { dev } = options;
const out = resolve(options.out);

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
