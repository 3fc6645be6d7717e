/**
 * esbuild plugins for the API Lambda, used by SST (`nodejs.plugins` in stacks/api.ts) and by
 * scripts/lambda-build.ts (which bundles the handler the way SST does), so both builds are the same.
 *
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

export default [zodEnglishOnly];
