/**
 * SST v4's esbuild settings for a Node function, as a function: `scripts/bundle-lambda.ts` builds the API
 * handler with it, and `pnpm bench` builds the API handler and its bare baseline handler with it, so there is
 * one bundler configuration, not one per caller.
 * SST's Node defaults (pkg/runtime/node/build.go in the SST repository): esbuild, bundle, ESM (.mjs),
 * platform node, target esnext, mainFields module→main, keepNames, the createRequire/__dirname banner,
 * `sharp` and `pg-native` plus `nodejs.install` packages external, everything else (the AWS SDK included)
 * bundled; on deploy minified without source map, in `sst dev` unminified with a linked source map.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Metafile } from "esbuild";
import apiPlugins from "../stacks/esbuild-plugins.mjs";
import { API_NODE_INSTALL } from "../stacks/lambda-package.js";

export interface LambdaBuildInput {
  /** The repository root (esbuild's working directory; metafile paths are relative to it). */
  root: string;
  /** The handler's source file. */
  entry: string;
  /** The .mjs file to write. */
  outfile: string;
  /** `sst dev` settings (unminified, linked source map) instead of `sst deploy`'s. */
  dev?: boolean;
  /** Packages left out of the bundle besides SST's own (default: the API's `nodejs.install` list). */
  install?: readonly string[];
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

export function sstBuildOptions(input: LambdaBuildInput): BuildOptions {
  const dev = input.dev ?? false;
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
    external: ["sharp", "pg-native", ...(input.install ?? API_NODE_INSTALL)],
    banner: { js: SST_BANNER },
    minify: !dev,
    sourcemap: dev ? "linked" : false,
    metafile: true,
    logLevel: "warning",
    // The same plugins SST applies to the API function (`nodejs.plugins`, stacks/esbuild-plugins.mjs).
    plugins: apiPlugins,
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
