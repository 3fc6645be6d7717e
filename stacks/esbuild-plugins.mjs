/**
 * esbuild plugins for the API Lambda, used by SST (`nodejs.plugins` in stacks/api.ts) and by
 * scripts/lambda-build.ts (which bundles the handler the way SST does), so both builds are the same.
 * Each keeps code the API never runs out of the bundle.
 */

/**
 * zod ships ~40 locales (~260 KiB minified) and registers only `en`. @hono/zod-openapi passes zod's whole
 * namespace to `extendZodWithOpenApi(z)`, which keeps every locale in the bundle; this resolves zod's locale
 * index to `en` alone. Nothing else in zod changes, and `en` stays the locale in use.
 */
export const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
    }));
  },
};

/**
 * `z.fromJSONSchema` (JSON Schema → zod, ~15 KiB) is kept only because @hono/zod-openapi hands zod's whole
 * namespace to `extendZodWithOpenApi(z)` (as above); neither the API nor its libraries call it. In the bundle it
 * is a function that says so.
 */
export const zodWithoutFromJsonSchema = {
  name: "zod-without-from-json-schema",
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]classic[\\/]from-json-schema\.js$/ }, () => ({
      contents: [
        "export function fromJSONSchema() {",
        '  throw new Error("z.fromJSONSchema is not in this bundle (stacks/esbuild-plugins.mjs)");',
        "}",
      ].join("\n"),
      loader: "js",
    }));
  },
};

/**
 * ElectroDB (CommonJS) `require`s @aws-sdk/lib-dynamodb for ten command classes. A `require` of an ES module
 * makes esbuild wrap it, keep every export of it and of all it re-exports, and evaluate them at start-up: here
 * the whole DynamoDB client — ~60 commands, their schemas, the waiters — where the API's own imports keep only
 * what they use. In the bundle, that `require` returns instead an object holding those ten classes, imported by
 * name: `@tablelab/core/electrodb-commands` (packages/core/src/single-table/electrodb-commands.ts) fills it,
 * and the Lambda entry imports that module first. The key below is its ELECTRODB_COMMANDS_KEY; if the two ever
 * differ, or the entry forgets the import, the bundle fails at start-up with the error below.
 */
export const electrodbCommands = {
  name: "electrodb-commands",
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/lib-dynamodb$/ }, (args) =>
      /[\\/]electrodb[\\/]src[\\/]client\.js$/.test(args.importer)
        ? { path: "lib-dynamodb", namespace: "electrodb-commands" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "electrodb-commands" }, () => ({
      contents: [
        'const commands = globalThis[Symbol.for("tablelab.electrodb.lib-dynamodb")];',
        "if (!commands) {",
        '  throw new Error("ElectroDB loaded before @tablelab/core/electrodb-commands: import it first in the entry");',
        "}",
        "module.exports = commands;",
      ].join("\n"),
      loader: "js",
    }));
  },
};

export default [zodEnglishOnly, zodWithoutFromJsonSchema, electrodbCommands];
