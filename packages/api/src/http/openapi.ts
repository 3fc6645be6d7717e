import type { OpenAPIHono } from "@hono/zod-openapi";
import { DB_METRIC_HEADERS } from "../middleware/metrics.js";
import type { AppEnv } from "./env.js";

/** `security` of the routes that need a token (every write, and the self-only registrations list). */
export const TOKEN_REQUIRED: Array<Record<string, string[]>> = [{ bearerAuth: [] }];
/**
 * `security` of the public routes: no token (`{}`) or a bearer token. A token that is sent must be valid (else 401
 * on any route), and on some routes it changes the answer (your own email on `GET /users/{userId}`).
 */
export const TOKEN_OPTIONAL: Array<Record<string, string[]>> = [{}, { bearerAuth: [] }];

/** The scheme `TOKEN_REQUIRED` and `TOKEN_OPTIONAL` name; registered once per app. */
export const BEARER_AUTH_SCHEME = {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
  description: "HS256 token from POST /users (or `pnpm mint-token <userId>` locally); `exp` required",
} as const;

export const REQUEST_ID_HEADER = "X-Request-Id";

/** Headers that app-wide middleware puts on every response (whatever the route or status), as OpenAPI components. */
const COMMON_RESPONSE_HEADERS = {
  [REQUEST_ID_HEADER]: {
    required: true,
    description: "the client's X-Request-Id if it sent a sane one, else a new id; also in the request's log line",
    schema: { type: "string" },
  },
  ...DB_METRIC_HEADERS,
} as const;

const DOCUMENT_CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "tablelab API",
    version: "1.0.0",
    description:
      "Users, events and registrations over DynamoDB — the same contract on the single-table and the " +
      "one-table-per-entity design. Errors are `{ error: { code, message, details? } }`. Unknown body fields " +
      "and query parameters an operation does not list are rejected with 400 `validation_failed`.",
    // The project has not chosen a licence yet, so none is granted: say so (an SPDX `LicenseRef-`, as SPDX names
    // licences outside its list). Change it here when the project picks one (e.g. `identifier: "MIT"`).
    license: { name: "Proprietary: no licence granted", identifier: "LicenseRef-Proprietary" },
  },
  // Relative: the API is served wherever this document is (pnpm dev, API Gateway), on the same origin.
  servers: [{ url: "/", description: "the origin that serves this document" }],
};

/** The parts of a generated document that are completed here. */
interface DocumentShape {
  paths?: Record<string, Record<string, { responses?: Record<string, { headers?: Record<string, unknown> }> }>>;
  components?: Record<string, Record<string, unknown>>;
}

/**
 * The served document: what the routes declare (schemas, parameters, statuses, operation headers), plus the
 * response headers app-wide middleware sends on every response, referenced from each response.
 */
export function buildDocument(app: OpenAPIHono<AppEnv>): object {
  const document = app.getOpenAPI31Document(DOCUMENT_CONFIG) as unknown as DocumentShape;
  document.components = {
    ...document.components,
    headers: { ...document.components?.headers, ...COMMON_RESPONSE_HEADERS },
  };
  const refs = Object.fromEntries(
    Object.keys(COMMON_RESPONSE_HEADERS).map((name) => [name, { $ref: `#/components/headers/${name}` }]),
  );
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const response of Object.values(operation.responses ?? {})) {
        response.headers = { ...refs, ...response.headers };
      }
    }
  }
  return document;
}
