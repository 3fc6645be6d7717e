/**
 * Builds sst.config.ts into one ES module the way SST 4's CLI does before it hands the program to Pulumi
 * (sst/sst pkg/project/run.go and pkg/js/js.go): esbuild bundles an entry that passes the config's `run` to the
 * platform's `src/auto/run.ts`; `$app`, `$cli` and `$dev` are compile-time defines (JSON), the platform's
 * `src/shim/run.js` is injected (it provides `$config`, `$interpolate`, …), and every file outside `.sst/`
 * gets the provider namespaces prepended (`import * as aws from "@pulumi/aws"`, `import * as sst from
 * ".sst/platform/src/components"`), with Pulumi, the AWS SDK and a few tools left external and resolved from
 * `.sst/platform/node_modules`. The output goes next to those node_modules, as SST's does.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { build, type Plugin } from "esbuild";

export const REPOSITORY_ROOT = resolve(import.meta.dirname, "../../..");
export const PLATFORM_DIRECTORY = join(REPOSITORY_ROOT, ".sst", "platform");

/** `require` resolving from the platform, so the Pulumi the components use is the one the harness drives. */
export const platformRequire = createRequire(join(PLATFORM_DIRECTORY, "package.json"));

export interface BuildMode {
  stage: string;
  /** `sst dev` (true) or `sst deploy` (false). */
  dev: boolean;
  /** A scratch directory standing in for SST's home and working directories. */
  home: string;
}

/** What `app()` returns, completed with SST's defaults, as the CLI serialises it into `$app`. */
export interface AppJson {
  name: string;
  stage: string;
  removal: string;
  protect: boolean;
  home: string;
  providers: Record<string, unknown>;
}

interface ConfigModule {
  default: { app(input: { stage: string }): Promise<Partial<AppJson>> | Partial<AppJson> };
}

/** Evaluates `app({ stage })` as SST's first pass does (only `$config` exists then). */
export async function evaluateApp(stage: string): Promise<AppJson> {
  const globals = globalThis as Record<string, unknown>;
  globals.$config ??= (config: unknown) => config;
  const module = (await import(join(REPOSITORY_ROOT, "sst.config.ts"))) as ConfigModule;
  const app = await module.default.app({ stage });
  const home = app.home ?? "aws";
  return {
    name: String(app.name),
    stage,
    removal: app.removal ?? "retain",
    protect: app.protect ?? false,
    home,
    // The home provider is always configured (SST adds it when app() names none).
    providers: app.providers ?? { [home]: {} },
  };
}

interface ProviderLockEntry {
  package: string;
  alias: string;
}

/** The provider imports SST prepends to the user's files: one per `.sst/provider-lock.json` entry, then `sst`. */
function providerGlobals(): string {
  const lockFile = join(REPOSITORY_ROOT, ".sst", "provider-lock.json");
  const lock = JSON.parse(readFileSync(lockFile, "utf8")) as ProviderLockEntry[];
  return [
    ...lock.map((entry) => `import * as ${entry.alias} from "${entry.package}";`),
    `import * as sst from "${join(PLATFORM_DIRECTORY, "src", "components")}";`,
  ].join("\n");
}

function injectGlobals(globals: string): Plugin {
  return {
    name: "inject-globals",
    setup(builder) {
      builder.onLoad({ filter: /\.(js|ts|jsx|tsx)$/ }, (args) => {
        const contents = readFileSync(args.path, "utf8");
        return {
          contents: args.path.includes(".sst") ? contents : `${globals}\n${contents}`,
          loader: "default",
        };
      });
    },
  };
}

export async function buildSstConfig(mode: BuildMode): Promise<{ outfile: string; app: AppJson }> {
  const app = await evaluateApp(mode.stage);
  const cli = {
    command: mode.dev ? "dev" : "deploy",
    dev: mode.dev,
    paths: { home: mode.home, root: REPOSITORY_ROOT, work: join(mode.home, "work"), platform: PLATFORM_DIRECTORY },
    state: { version: {} },
  };
  const outfile = join(PLATFORM_DIRECTORY, `sst.config.mock-${process.pid}-${Date.now()}.mjs`);
  await build({
    stdin: {
      contents: [
        `import { run } from "${join(PLATFORM_DIRECTORY, "src", "auto", "run.ts")}";`,
        `import mod from "${join(REPOSITORY_ROOT, "sst.config.ts")}";`,
        "const result = await run(mod.run);",
        "export default result;",
      ].join("\n"),
      resolveDir: REPOSITORY_ROOT,
      sourcefile: "eval.ts",
      loader: "ts",
    },
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from "module";`,
        "const require = topLevelCreateRequire(import.meta.url);",
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url";`,
        "const __filename = topLevelFileUrlToPath(import.meta.url);",
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url));`,
      ].join("\n"),
    },
    mainFields: ["module", "main"],
    format: "esm",
    platform: "node",
    nodePaths: [join(PLATFORM_DIRECTORY, "node_modules")],
    plugins: [injectGlobals(providerGlobals())],
    external: [
      "@pulumi/*",
      "undici",
      "@pulumiverse/*",
      "@sst-provider/*",
      "@aws-sdk/*",
      "esbuild",
      "archiver",
      "glob",
      "vite",
    ],
    define: { $app: JSON.stringify(app), $cli: JSON.stringify(cli), $dev: String(mode.dev) },
    inject: [join(PLATFORM_DIRECTORY, "src", "shim", "run.js")],
    outfile,
    write: true,
    bundle: true,
    logLevel: "silent",
  });
  return { outfile, app };
}
