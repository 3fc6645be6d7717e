import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Hono } from "hono";
import type { AppEnv } from "../http/env.js";
import { TOKEN_OPTIONAL } from "../http/openapi.js";
import { errorResponses } from "../http/responses.js";
import { authenticate } from "../middleware/auth.js";
import { noQuery } from "../middleware/query.js";

/**
 * Interactive docs (Swagger UI) whose assets come from the `swagger-ui-dist` npm package, served by the app
 * itself: no CDN, so the page works offline. Assets are read on first use and kept in memory; on Lambda the
 * package is installed next to the bundle rather than bundled (it is ~1.5 MB the API itself never needs).
 */
const ASSETS = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
} as const;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>tablelab API</title>
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

// A file rather than an inline script, so a strict Content-Security-Policy can forbid inline scripts.
const INIT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout"
});`;

const cache = new Map<string, Promise<Buffer>>();

function assetDirectory(): string {
  return dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
}

function readAsset(name: keyof typeof ASSETS): Promise<Buffer> {
  let pending = cache.get(name);
  if (!pending) {
    pending = readFile(join(assetDirectory(), name));
    pending.catch(() => cache.delete(name));
    cache.set(name, pending);
  }
  return pending;
}

const INIT_TYPE = "text/javascript; charset=utf-8";

// Public, but an Authorization header that is sent must be valid (api.md: a 401 on any route).
const optionalToken = authenticate({ required: false });

export const docsRoutes = new Hono<AppEnv>()
  .get("/docs", optionalToken, noQuery, (c) => c.html(PAGE))
  .get("/docs/init.js", optionalToken, noQuery, (c) => c.body(INIT, 200, { "Content-Type": INIT_TYPE }))
  .get("/docs/:asset", async (c, next) => {
    const name = c.req.param("asset");
    if (!Object.hasOwn(ASSETS, name)) return next();
    // After the asset lookup: an unknown asset is a 404 (unknown route) before authentication.
    await optionalToken(c, async () => {});
    await noQuery(c, async () => {});
    const asset = name as keyof typeof ASSETS;
    const body = await readAsset(asset);
    return c.body(new Uint8Array(body), 200, {
      "Content-Type": ASSETS[asset],
      "Cache-Control": "public, max-age=86400",
    });
  });

const mediaType = (contentType: string) => contentType.split(";")[0] as string;

/** The docs page and every asset it loads, in the OpenAPI document (these routes are plain Hono, not zod-openapi). */
export function registerDocsPaths(registry: OpenAPIHono["openAPIRegistry"]): void {
  registry.registerPath({
    method: "get",
    path: "/docs",
    operationId: "getDocs",
    tags: ["system"],
    summary: "Interactive API docs (Swagger UI; assets served by the app itself, so it works offline)",
    security: TOKEN_OPTIONAL,
    responses: {
      200: { description: "the docs page", content: { "text/html": { schema: { type: "string" } } } },
      ...errorResponses("unauthorized"),
    },
  });
  const types = { "init.js": INIT_TYPE, ...ASSETS };
  const content = Object.fromEntries(
    [...new Set(Object.values(types).map(mediaType))].map((type) => [
      type,
      {
        schema: type.startsWith("text/") ? { type: "string" as const } : { type: "string" as const, format: "binary" },
      },
    ]),
  );
  registry.registerPath({
    method: "get",
    path: "/docs/{asset}",
    operationId: "getDocsAsset",
    tags: ["system"],
    summary: "A file the docs page loads (from the swagger-ui-dist package, or its start-up script)",
    security: TOKEN_OPTIONAL,
    // Documented only: the route matches these names itself (any other is a 404).
    parameters: [{ name: "asset", in: "path", required: true, schema: { type: "string", enum: Object.keys(types) } }],
    responses: {
      200: {
        description: `the file: ${Object.entries(types)
          .map(([name, type]) => `${name} is ${mediaType(type)}`)
          .join(", ")}`,
        headers: {
          "Cache-Control": { required: false, schema: { type: "string" }, description: "on the swagger-ui-dist files" },
        },
        content,
      },
      ...errorResponses("unauthorized", "not_found"),
    },
  });
}
