/**
 * SST v4's esbuild settings for a Node function, as a function: `scripts/bundle-lambda.ts` builds the API
 * handler with it, and `pnpm bench` builds the API handler and its bare baseline handler with it, so there is
 * one bundler configuration, not one per caller.
 * SST's Node defaults (pkg/runtime/node/build.go in the SST repository): esbuild, bundle, ESM (.mjs),
 * platform node, target esnext, mainFields module→main, keepNames, the createRequire/__dirname banner,
 * `sharp` and `pg-native` plus `nodejs.install` packages external, everything else (the AWS SDK included)
 * bundled; on deploy minified without source map, in `sst dev` unminified with a linked source map.
 * It builds from the options sst.config.ts hands `sst.aws.Function` (scripts/sst-functions.ts) and refuses any it
 * does not reproduce (`unreproducedOptions`), so what the tests bundle is what SST would bundle.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { resolveHandler } from "../stacks/lambda-package.js";

export interface LambdaBuildInput {
  /** The repository root (esbuild's working directory; metafile paths are relative to it). */
  root: string;
  /** The handler's source file. */
  entry: string;
  /** The .mjs file to write. */
  outfile: string;
  /** `sst dev` settings (unminified, linked source map) instead of `sst deploy`'s. */
  dev?: boolean;
  /** The function's `nodejs` options as sst.config.ts gives them to `sst.aws.Function` (only `install` is allowed). */
  nodejs?: Record<string, unknown>;
  /** Where to write esbuild's metafile (JSON), if anywhere. */
  metafilePath?: string;
}

export interface LambdaBundle {
  outfile: string;
  /** Size of the .mjs file. */
  bytes: number;
  /** Its size gzipped (level 9): roughly what the deployment package's zip holds. */
  gzipBytes: number;
  metafile: Metafile;
  /** Bytes in the output per npm package (or per workspace folder), largest first. */
  byPackage: [string, number][];
}

export const SST_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
  "",
].join("\n");

/**
 * The `nodejs` options whose effect sstBuildOptions reproduces. Anything else SST is given (plugins, loader,
 * banner, esbuild, format, minify, sourcemap, splitting, …) is refused until it is reproduced here and tested.
 */
const REPRODUCED_NODEJS_OPTIONS = new Set(["install"]);

/**
 * `sst.aws.Function` arguments that leave the code package alone (what runs it, not what it holds), besides
 * `handler` (the entry) and `nodejs` (checked option by option). `runtime` must be a Node one.
 */
const PACKAGE_NEUTRAL_ARGS = new Set([
  "handler",
  "nodejs",
  "runtime",
  "description",
  "architecture",
  "memory",
  "timeout",
  "storage",
  "link",
  "environment",
  "logging",
  "permissions",
  "policies",
  "role",
  "vpc",
  "url",
  "dev",
  "concurrency",
  "retries",
  "tags",
  "versioning",
  "transform",
]);

/**
 * The options an `sst.aws.Function` is given whose effect on the deployed code this build does not reproduce,
 * as `name` or `nodejs.name`; empty when the bundle built here is the one SST would build.
 */
export function unreproducedOptions(args: Record<string, unknown>): string[] {
  const unreproduced: string[] = [];
  for (const [name, value] of Object.entries(args)) {
    if (value !== undefined && !PACKAGE_NEUTRAL_ARGS.has(name)) unreproduced.push(name);
  }
  if (args.runtime !== undefined && !/^nodejs\d+\.x$/.test(String(args.runtime))) unreproduced.push("runtime");
  // `transform.function` may replace the code package itself.
  if ((args.transform as Record<string, unknown> | undefined)?.function !== undefined) {
    unreproduced.push("transform.function");
  }
  for (const [name, value] of Object.entries((args.nodejs ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && !REPRODUCED_NODEJS_OPTIONS.has(name)) unreproduced.push(`nodejs.${name}`);
  }
  return unreproduced;
}

/** The package names of `nodejs.install` (SST accepts a list or a name → version record). */
function installNames(install: unknown): string[] {
  if (install === undefined) return [];
  if (Array.isArray(install)) return install.map(String);
  if (typeof install === "object" && install !== null) return Object.keys(install);
  throw new Error(`nodejs.install: expected a list or a record, got ${JSON.stringify(install)}`);
}

export function sstBuildOptions(input: LambdaBuildInput): BuildOptions {
  const dev = input.dev ?? false;
  const nodejs = input.nodejs ?? {};
  const unreproduced = unreproducedOptions({ nodejs });
  if (unreproduced.length > 0) {
    throw new Error(`scripts/lambda-build.ts does not reproduce what SST does with ${unreproduced.join(", ")}`);
  }
  return {
    absWorkingDir: input.root,
    entryPoints: [input.entry],
    outfile: input.outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "esnext",
    mainFields: ["module", "main"],
    keepNames: true,
    external: ["sharp", "pg-native", ...installNames(nodejs.install)],
    banner: { js: SST_BANNER },
    minify: !dev,
    sourcemap: dev ? "linked" : false,
    metafile: true,
    logLevel: "warning",
  };
}

/** Bundles one handler like SST does and measures it. Throws on build errors (esbuild prints them). */
export async function bundleLambda(input: LambdaBuildInput): Promise<LambdaBundle> {
  const { outfile } = input;
  // Only our own files are replaced: the directory may hold other things.
  for (const stale of [outfile, `${outfile}.map`, input.metafilePath]) if (stale) rmSync(stale, { force: true });
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await build(sstBuildOptions(input));
  const metafile = result.metafile as Metafile;
  if (input.metafilePath) writeFileSync(input.metafilePath, JSON.stringify(metafile));
  return {
    outfile,
    bytes: statSync(outfile).size,
    gzipBytes: gzipSync(readFileSync(outfile), { level: 9 }).length,
    metafile,
    byPackage: sizesByPackage(metafile, relative(input.root, outfile)),
  };
}

/**
 * Bundles the handler of an `sst.aws.Function`, from the arguments sst.config.ts gives it: refuses arguments
 * whose effect it does not reproduce, resolves the handler as SST does and keeps SST's output layout
 * (`<out>/<handler's folders>/<file>.mjs`).
 */
export async function bundleSstFunction(input: {
  root: string;
  args: Record<string, unknown>;
  out: string;
  dev?: boolean;
  metafilePath?: string;
}): Promise<LambdaBundle> {
  const { root, args, out } = input;
  const unreproduced = unreproducedOptions(args);
  if (unreproduced.length > 0) {
    throw new Error(`scripts/lambda-build.ts does not reproduce what SST does with ${unreproduced.join(", ")}`);
  }
  const handler = String(args.handler);
  const { file } = resolveHandler(handler, root);
  if (!file) throw new Error(`no file for handler ${handler} (tried ${handler.replace(/\.[^.]+$/, "")}.ts, …)`);
  const path = relative(root, file).replace(/\.[^./]+$/, "");
  const outfile = join(out, dirname(path), `${basename(path).replaceAll(".", "-")}.mjs`);
  return bundleLambda({
    root,
    entry: file,
    outfile,
    nodejs: args.nodejs as Record<string, unknown> | undefined,
    ...(input.dev === undefined ? {} : { dev: input.dev }),
    ...(input.metafilePath === undefined ? {} : { metafilePath: input.metafilePath }),
  });
}

/** The bytes each npm package (or each workspace folder, e.g. `packages/core`) contributes to one output. */
export function sizesByPackage(metafile: Metafile, output: string): [string, number][] {
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(metafile.outputs[output]?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path);
    const key = match?.[1] ?? path.split("/").slice(0, 2).join("/");
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]);
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
