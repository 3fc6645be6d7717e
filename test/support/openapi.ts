import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import formats from "ajv-formats";

// ajv-formats is CommonJS: under Node's ESM interop its plugin is the default import's `default`.
const addFormats = formats.default;

/**
 * Checks real responses against the served OpenAPI document, as a validating proxy would: the operation must be
 * documented, the status among its responses, every required header present and every documented header valid,
 * the content type documented and a JSON body valid against its schema (JSON Schema 2020-12, formats checked).
 */

export interface SentResponse {
  method: string;
  /** The request's path, possibly with a query string. */
  url: string;
  status: number;
  headers: Headers;
  text: string;
}

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked generically here.
type Json = any;

export interface ResponseValidator {
  /** What is wrong with this response per the document; empty when it conforms. Unknown routes are not checked. */
  problems(response: SentResponse): string[];
  /** The path template a request path belongs to (e.g. `/users/{userId}`), if the document has one. */
  templateOf(path: string): string | undefined;
}

/**
 * Response headers an operation need not document: Content-Type and Content-Length (its content says them), and
 * the browser-security headers `hono/secure-headers` adds to every response (like CORS's `Access-Control-*`,
 * they are for browsers, not API clients). Everything else sent (ETag, Location, X-Request-Id, X-Db-*,
 * Server-Timing, Retry-After, …) must be in the document.
 */
const UNDOCUMENTED_HEADERS = new Set([
  "content-type",
  "content-length",
  "vary",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "origin-agent-cluster",
  "referrer-policy",
  "strict-transport-security",
  "x-content-type-options",
  "x-dns-prefetch-control",
  "x-download-options",
  "x-frame-options",
  "x-permitted-cross-domain-policies",
  "x-xss-protection",
]);

const REF_PREFIX = "#/components/schemas/";

const DEFINITIONS_ID = "urn:tablelab:openapi-components";

/** Schemas refer to `#/components/schemas/X`; compiled on their own they find them in the shared definitions. */
function toDefinitionRefs(value: Json): Json {
  return JSON.parse(JSON.stringify(value ?? {}).replaceAll(`"${REF_PREFIX}`, `"${DEFINITIONS_ID}#/$defs/`));
}

function resolve(document: Json, value: Json): Json {
  if (typeof value?.$ref !== "string") return value;
  const target = (value.$ref as string)
    .slice(2)
    .split("/")
    .reduce((node: Json, key) => node?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], document);
  if (target === undefined) throw new Error(`unresolved $ref ${value.$ref}`);
  return target;
}

/** One validator per distinct document and process: every app of a test file serves the same one. */
const validators = new Map<string, ResponseValidator>();

export function createResponseValidator(document: Json): ResponseValidator {
  const key = JSON.stringify(document);
  let validator = validators.get(key);
  if (!validator) {
    validator = buildValidator(document);
    validators.set(key, validator);
  }
  return validator;
}

function buildValidator(document: Json): ResponseValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // RFC 6531 addresses (Unicode allowed); ajv-formats has only the ASCII `email`. Deliberately loose and
  // independent of the server's own rule: one @, no whitespace, a dotted domain.
  ajv.addFormat("idn-email", /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/u);
  ajv.addSchema({ $id: DEFINITIONS_ID, $defs: toDefinitionRefs(document.components?.schemas) });
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (key: string, schema: Json) => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(toDefinitionRefs(schema));
      compiled.set(key, validate);
    }
    return validate;
  };

  const templates = Object.keys(document.paths ?? {}).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+").replaceAll(".", "\\.")}$`),
    literal: template.replace(/\{[^}]+\}/g, "").length,
  }));
  // A literal segment wins over a parameter (`/docs/init.js` before `/docs/{asset}`, if both existed).
  templates.sort((a, b) => b.literal - a.literal);
  const templateOf = (path: string) => templates.find(({ pattern }) => pattern.test(path))?.template;

  // Compile every body schema now, so that no checked request pays for it (some tests time their requests).
  for (const [template, operations] of Object.entries(document.paths ?? {}) as Array<[string, Json]>) {
    for (const [method, operation] of Object.entries(operations) as Array<[string, Json]>) {
      for (const [status, response] of Object.entries(operation.responses ?? {}) as Array<[string, Json]>) {
        const schema = resolve(document, response).content?.["application/json"]?.schema;
        if (schema) validatorFor(`${template} ${method} ${status} application/json`, schema);
      }
    }
  }

  function problems(response: SentResponse): string[] {
    const path = new URL(response.url, "http://x").pathname;
    const template = templateOf(path);
    if (!template) return []; // an unknown route: the app's 404, no operation to hold it to
    const method = response.method.toLowerCase();
    if (method === "options") return []; // a CORS preflight: browsers' business, answered by middleware
    const label = `${response.method.toUpperCase()} ${template} → ${response.status}`;
    const operation = document.paths[template][method];
    if (!operation) {
      // Hono answers a method a path does not have like an unknown route.
      return response.status === 404 ? [] : [`${label}: the operation is not documented`];
    }
    const documented = resolve(
      document,
      operation.responses?.[String(response.status)] ?? operation.responses?.default,
    );
    if (!documented) return [`${label}: status not documented`];

    const found: string[] = [];
    for (const [name, headerOrRef] of Object.entries(documented.headers ?? {})) {
      const header = resolve(document, headerOrRef);
      const value = response.headers.get(name);
      if (value === null) {
        if (header.required) found.push(`${label}: required header ${name} missing`);
        continue;
      }
      const type = header.schema?.type;
      const parsed = type === "integer" || type === "number" ? Number(value) : value;
      const validate = validatorFor(`${template} ${method} ${response.status} header ${name}`, header.schema);
      if (!validate(parsed)) found.push(`${label}: header ${name}=${value}: ${ajv.errorsText(validate.errors)}`);
    }

    for (const name of response.headers.keys()) {
      const documentedNames = Object.keys(documented.headers ?? {}).map((key) => key.toLowerCase());
      if (!UNDOCUMENTED_HEADERS.has(name) && !name.startsWith("access-control-") && !documentedNames.includes(name)) {
        found.push(`${label}: header ${name} sent but not documented`);
      }
    }

    const content = documented.content as Record<string, Json> | undefined;
    if (response.text.length === 0) {
      if (content && Object.keys(content).length > 0) found.push(`${label}: documented with a body, sent none`);
      return found;
    }
    if (!content) return [...found, `${label}: sent a body, documented with none`];
    const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
    const media = content[mediaType];
    if (!media) return [...found, `${label}: content type ${mediaType} not documented (${Object.keys(content)})`];
    if (mediaType === "application/json" && media.schema) {
      const validate = validatorFor(`${template} ${method} ${response.status} ${mediaType}`, media.schema);
      if (!validate(JSON.parse(response.text))) {
        found.push(`${label}: body ${response.text.slice(0, 200)}: ${ajv.errorsText(validate.errors)}`);
      }
    }
    return found;
  }

  return { problems, templateOf };
}
