import {
  extendZodWithOpenApi,
  getOpenApiMetadata,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
} from "@asteasolutions/zod-to-openapi";
import type {
  Hook,
  RouteConfig,
  createRoute as UpstreamCreateRoute,
  OpenAPIHono as UpstreamOpenAPIHono,
} from "@hono/zod-openapi";
import { zValidator } from "@hono/zod-validator";
import { type Context, type Env, Hono, type MiddlewareHandler, type Schema } from "hono";
import { HTTPException } from "hono/http-exception";
import { mergePath } from "hono/utils/url";
import { ZodType } from "zod";

/**
 * `@hono/zod-openapi`'s runtime, lean. Upstream's module does `import { z } from "zod"` and passes that namespace
 * to `extendZodWithOpenApi(z)`, so a bundler must keep *all* of zod: its 40-odd locales (≈ 260 KiB of the Lambda
 * bundle, never used: zod registers `en` only), JSON-schema conversion, and the rest — ≈ 460 KiB minified and
 * ≈ 90 ms of every cold start (measured by `pnpm bench`, see docs/benchmarks.md). This module does the same work
 * from named imports, which esbuild tree-shakes: zod's `.openapi()` extension, the route registry, the
 * validators and the 3.1 document generator of the same `@asteasolutions/zod-to-openapi` and
 * `@hono/zod-validator` that upstream uses, with upstream's route-by-route behaviour (validators per request
 * part, the media-type gate for JSON bodies, the default hook inherited from the parent app, sub-app registries
 * merged by `route()`). The *types* are upstream's, so routes, `AppType` and `hono/client` are unchanged.
 * Only what this API uses is here: no cookie or form validators, webhooks, `basePath`, `doc()`.
 *
 * Import schemas' `z` as `import * as z from "zod"` (never `import { z } from "zod"`, which also keeps all of
 * zod) and import this module before any schema calls `.openapi()`.
 */
// Upstream's own call, given only the class it patches.
extendZodWithOpenApi({ ZodType } as unknown as Parameters<typeof extendZodWithOpenApi>[0]);

type AnyHook = Hook<unknown, Env, string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: a validator serves any route's input.
type AnySchema = any;

const JSON_CONTENT_TYPE = /^application\/([a-z-.]+\+)?json/i;
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
const isJsonContentType = (contentType: string) => JSON_CONTENT_TYPE.test(contentType);

function isZod(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { safeParse?: unknown }).safeParse === "function" &&
    typeof (value as { parseAsync?: unknown }).parseAsync === "function"
  );
}

async function hasRequestBody(c: Context): Promise<boolean> {
  const raw = c.req.raw;
  if (raw.body === null) return false;
  if (raw.bodyUsed) return (await c.req.arrayBuffer()).byteLength > 0;
  const body = raw.clone().body;
  if (body === null) return false;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

const braces = (path: string) => path.replaceAll(/:([^/]+)/g, "{$1}");

class LeanOpenAPIHono extends Hono {
  openAPIRegistry = new OpenAPIRegistry();
  defaultHook: AnyHook | undefined;
  #parentApp: LeanOpenAPIHono | undefined;

  constructor(init?: ConstructorParameters<typeof Hono>[0] & { defaultHook?: AnyHook }) {
    super(init);
    this.defaultHook = init?.defaultHook;
  }

  #resolveDefaultHook(): AnyHook | undefined {
    if (this.defaultHook) return this.defaultHook;
    const seen = new Set<LeanOpenAPIHono>([this]);
    let parent = this.#parentApp;
    while (parent && !seen.has(parent)) {
      if (parent.defaultHook) return parent.defaultHook;
      seen.add(parent);
      parent = parent.#parentApp;
    }
    return undefined;
  }

  openapi = (
    { middleware: routeMiddleware, hide, ...route }: RouteConfig,
    handler: MiddlewareHandler,
    hook?: AnyHook,
  ) => {
    if (!hide) this.openAPIRegistry.registerPath(route as RouteConfig);
    const effectiveHook: AnyHook =
      hook ??
      ((result, c) => {
        const resolved = this.#resolveDefaultHook();
        return resolved ? resolved(result, c) : undefined;
      });
    const validators: MiddlewareHandler[] = [];
    const request = route.request;
    // zValidator's generics are per route; these serve every route.
    const validate = (target: "query" | "param" | "header" | "json", schema: AnySchema) =>
      zValidator(target, schema, effectiveHook as AnySchema) as unknown as MiddlewareHandler;
    if (request?.query) validators.push(validate("query", request.query));
    if (request?.params) validators.push(validate("param", request.params));
    if (request?.headers) validators.push(validate("header", request.headers));
    const bodyContent = request?.body?.content as Record<string, { schema?: unknown } | undefined> | undefined;
    if (bodyContent) {
      const mediaTypes = Object.keys(bodyContent);
      if (mediaTypes.some((type) => isZod(bodyContent[type]?.schema) && isJsonContentType(type))) {
        // Upstream's gate: a body of an undeclared media type is 415 before validation.
        validators.push(async (c, next) => {
          const contentType = c.req.header("content-type");
          if (contentType) {
            if (!mediaTypes.some((type) => (isJsonContentType(type) ? JSON_REQUEST.test(contentType) : false))) {
              throw new HTTPException(415, { message: "Unsupported Media Type" });
            }
          } else if (await hasRequestBody(c)) {
            throw new HTTPException(415, { message: "Unsupported Media Type" });
          }
          await next();
        });
      }
      for (const type of mediaTypes) {
        const schema = bodyContent[type]?.schema;
        if (!isZod(schema) || !isJsonContentType(type)) continue;
        const validator = validate("json", schema);
        if (request?.body?.required) {
          validators.push(validator);
        } else {
          validators.push(async (c, next) => {
            const contentType = c.req.header("content-type");
            if (contentType && isJsonContentType(contentType)) return validator(c, next);
            c.req.addValidatedData("json", {});
            await next();
          });
        }
      }
    }
    const middleware = routeMiddleware ? (Array.isArray(routeMiddleware) ? routeMiddleware : [routeMiddleware]) : [];
    this.on(
      [route.method],
      [route.path.replaceAll(/\/{(.+?)}/g, "/:$1")],
      ...(middleware as MiddlewareHandler[]),
      ...validators,
      handler,
    );
    return this;
  };

  getOpenAPI31Document = (
    objectConfig: Parameters<OpenApiGeneratorV31["generateDocument"]>[0],
    generatorConfig?: ConstructorParameters<typeof OpenApiGeneratorV31>[1],
  ) => new OpenApiGeneratorV31(this.openAPIRegistry.definitions, generatorConfig).generateDocument(objectConfig);

  // biome-ignore lint/suspicious/noExplicitAny: Hono's own signature is generic per sub-app; the export is typed as upstream's.
  override route(path: string, app: any): any {
    const pathForOpenAPI = braces(path);
    super.route(path, app);
    if (!(app instanceof LeanOpenAPIHono)) return this;
    app.#parentApp ??= this;
    const base = braces((app as unknown as { _basePath: string })._basePath);
    for (const definition of app.openAPIRegistry.definitions) {
      switch (definition.type) {
        case "component":
          this.openAPIRegistry.registerComponent(
            definition.componentType,
            definition.name,
            definition.component as never,
          );
          break;
        case "route":
          this.openAPIRegistry.registerPath({
            ...definition.route,
            path: mergePath(pathForOpenAPI, base, definition.route.path),
          });
          break;
        case "schema":
          this.openAPIRegistry.register(
            getOpenApiMetadata(definition.schema)._internal?.refId as string,
            definition.schema,
          );
          break;
        case "parameter":
          this.openAPIRegistry.registerParameter(
            getOpenApiMetadata(definition.schema)._internal?.refId as string,
            definition.schema,
          );
          break;
        default:
          throw new Error(`unsupported OpenAPI registry entry: ${definition.type}`);
      }
    }
    return this;
  }
}

/** `@hono/zod-openapi`'s `OpenAPIHono`, typed as upstream's (the runtime above). */
export const OpenAPIHono = LeanOpenAPIHono as unknown as typeof UpstreamOpenAPIHono;
export type OpenAPIHono<
  E extends Env = Env,
  // biome-ignore lint/complexity/noBannedTypes: upstream's default.
  S extends Schema = {},
  BasePath extends string = "/",
> = UpstreamOpenAPIHono<E, S, BasePath>;

/** `@hono/zod-openapi`'s `createRoute`: the config, plus a non-enumerable `getRoutingPath()`. */
export const createRoute: typeof UpstreamCreateRoute = (routeConfig) => {
  const route = {
    ...routeConfig,
    getRoutingPath() {
      return routeConfig.path.replaceAll(/\/{(.+?)}/g, "/:$1");
    },
  };
  return Object.defineProperty(route, "getRoutingPath", { enumerable: false }) as never;
};
