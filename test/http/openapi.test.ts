import { describe, expect, it } from "vitest";
import { DESIGNS } from "../support/database.js";
import { expectError, useTestApp } from "../support/http.js";

interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<
    string,
    { description: string; headers?: Record<string, unknown>; content?: Record<string, unknown> }
  >;
  security?: unknown[];
}

/** api.md's route table: method, path, query parameters, body, auth, success status and its error codes. */
const ROUTES: Array<{
  method: string;
  path: string;
  query?: string[];
  body?: "required" | "optional";
  headers?: string[];
  auth?: boolean;
  success: string;
  errors: string[];
}> = [
  { method: "get", path: "/health", success: "200", errors: [] },
  { method: "get", path: "/openapi.json", success: "200", errors: [] },
  { method: "get", path: "/docs", success: "200", errors: [] },
  {
    method: "post",
    path: "/users",
    body: "required",
    headers: ["Idempotency-Key"],
    success: "201",
    errors: [
      "invalid_json",
      "validation_failed",
      "unauthorized",
      "email_taken",
      "payload_too_large",
      "unsupported_media_type",
      "request_in_progress",
      "idempotency_mismatch",
    ],
  },
  {
    method: "get",
    path: "/users/{userId}",
    query: ["include", "limit"],
    success: "200",
    errors: ["validation_failed", "unauthorized", "not_found"],
  },
  {
    method: "patch",
    path: "/users/{userId}",
    body: "required",
    auth: true,
    success: "200",
    errors: ["invalid_json", "validation_failed", "unauthorized", "forbidden", "not_found", "email_taken"],
  },
  {
    method: "get",
    path: "/users/{userId}/events",
    query: ["limit", "cursor"],
    success: "200",
    errors: ["validation_failed", "invalid_cursor", "not_found"],
  },
  {
    method: "get",
    path: "/users/{userId}/registrations",
    query: ["limit", "cursor"],
    auth: true,
    success: "200",
    errors: ["validation_failed", "invalid_cursor", "unauthorized", "forbidden", "not_found"],
  },
  {
    method: "post",
    path: "/events",
    body: "required",
    headers: ["Idempotency-Key"],
    auth: true,
    success: "201",
    errors: [
      "invalid_json",
      "validation_failed",
      "unauthorized",
      "payload_too_large",
      "unsupported_media_type",
      "request_in_progress",
      "idempotency_mismatch",
    ],
  },
  {
    method: "get",
    path: "/events",
    query: ["from", "to", "limit", "cursor"],
    success: "200",
    errors: ["validation_failed", "invalid_cursor"],
  },
  {
    method: "get",
    path: "/events/{eventId}",
    query: ["include", "limit"],
    success: "200",
    errors: ["validation_failed", "not_found"],
  },
  {
    method: "patch",
    path: "/events/{eventId}",
    body: "required",
    headers: ["If-Match"],
    auth: true,
    success: "200",
    errors: [
      "invalid_json",
      "validation_failed",
      "unauthorized",
      "forbidden",
      "not_found",
      "capacity_conflict",
      "precondition_failed",
    ],
  },
  {
    method: "delete",
    path: "/events/{eventId}",
    auth: true,
    success: "204",
    errors: [
      "invalid_json",
      "validation_failed",
      "unauthorized",
      "forbidden",
      "not_found",
      "payload_too_large",
      "unsupported_media_type",
    ],
  },
  {
    method: "post",
    path: "/events/{eventId}/registrations",
    body: "optional",
    headers: ["Idempotency-Key"],
    auth: true,
    success: "201",
    errors: [
      "invalid_json",
      "validation_failed",
      "unauthorized",
      "not_found",
      "already_registered",
      "event_full",
      "request_in_progress",
      "idempotency_mismatch",
    ],
  },
  {
    method: "get",
    path: "/events/{eventId}/registrations",
    query: ["limit", "cursor"],
    success: "200",
    errors: ["validation_failed", "invalid_cursor", "not_found"],
  },
  {
    method: "delete",
    path: "/events/{eventId}/registrations/{userId}",
    auth: true,
    success: "204",
    errors: [
      "invalid_json",
      "validation_failed",
      "unauthorized",
      "forbidden",
      "not_found",
      "payload_too_large",
      "unsupported_media_type",
    ],
  },
];

const STATUS: Record<string, string> = {
  invalid_json: "400",
  validation_failed: "400",
  invalid_cursor: "400",
  unauthorized: "401",
  forbidden: "403",
  not_found: "404",
  email_taken: "409",
  already_registered: "409",
  event_full: "409",
  capacity_conflict: "409",
  precondition_failed: "412",
  payload_too_large: "413",
  unsupported_media_type: "415",
  request_in_progress: "409",
  idempotency_mismatch: "422",
};

describe.each(DESIGNS)("GET /openapi.json (%s design)", (design) => {
  const t = useTestApp(design, "http-openapi");

  it("is an OpenAPI 3.1 document of every route of api.md with its parameters, bodies and errors", async () => {
    const reply = await t().get("/openapi.json");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-db-requests")).toBe("0");
    const document = reply.body;
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info.title).toEqual(expect.any(String));

    const documented = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(
      ([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());

    for (const route of ROUTES) {
      const label = `${route.method.toUpperCase()} ${route.path}`;
      const operation = document.paths[route.path][route.method] as Operation;
      const parameters = operation.parameters ?? [];
      for (const name of route.path.match(/(?<=\{)\w+(?=\})/g) ?? []) {
        expect(parameters, `${label}: path parameter ${name}`).toContainEqual(
          expect.objectContaining({ name, in: "path", required: true }),
        );
      }
      const query = parameters.filter((parameter) => parameter.in === "query").map((parameter) => parameter.name);
      expect(query.sort(), `${label}: query parameters`).toEqual([...(route.query ?? [])].sort());
      const headers = parameters.filter((parameter) => parameter.in === "header").map((parameter) => parameter.name);
      expect(headers.sort(), `${label}: header parameters`).toEqual([...(route.headers ?? [])].sort());

      if (route.body) {
        expect(operation.requestBody, `${label}: request body`).toBeDefined();
        expect(Object.keys(operation.requestBody?.content ?? {})).toEqual(["application/json"]);
        expect(Boolean(operation.requestBody?.required), `${label}: body required`).toBe(route.body === "required");
      } else {
        expect(operation.requestBody, `${label}: no request body`).toBeUndefined();
      }

      if (route.auth) expect(operation.security, `${label}: security`).toEqual([{ bearerAuth: [] }]);
      expect(operation.responses[route.success], `${label}: ${route.success}`).toBeDefined();
      for (const code of route.errors) {
        const response = operation.responses[STATUS[code] as string];
        expect(response?.description, `${label}: ${code}`).toContain(`\`${code}\``);
        expect(response?.content?.["application/json"], `${label}: ${code} is JSON`).toEqual({
          schema: { $ref: "#/components/schemas/Error" },
        });
      }
      if (route.path !== "/docs" && route.path !== "/openapi.json" && route.path !== "/health") {
        // Anything that reaches the database can be a 503 (with Retry-After) or a 500.
        expect(operation.responses["503"]?.headers, `${label}: Retry-After`).toHaveProperty("Retry-After");
        expect(operation.responses["500"], `${label}: 500`).toBeDefined();
      }
    }

    const patchEvent = document.paths["/events/{eventId}"].patch as Operation;
    expect(patchEvent.responses["200"]?.headers).toHaveProperty("ETag");
    expect(document.paths["/events/{eventId}"].get.responses["200"].headers).toHaveProperty("ETag");
    expect(document.paths["/events"].post.responses["201"].headers).toHaveProperty("Location");
    expect(document.paths["/events/{eventId}/registrations"].post.responses["201"].headers).toHaveProperty("Location");
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("documents the resources as api.md defines them", async () => {
    const { components } = (await t().get("/openapi.json")).body;
    const schema = (name: string) => components.schemas[name];
    expect(Object.keys(schema("User").properties).sort()).toEqual([
      "createdAt",
      "email",
      "name",
      "updatedAt",
      "userId",
    ]);
    expect(schema("User").required.sort()).toEqual(["createdAt", "name", "updatedAt", "userId"]);
    expect(schema("Event").required.sort()).toEqual(
      [
        "capacity",
        "createdAt",
        "date",
        "eventId",
        "name",
        "organizerId",
        "registeredCount",
        "updatedAt",
        "version",
      ].sort(),
    );
    expect(Object.keys(schema("Event").properties)).toEqual(expect.arrayContaining(["description", "venue"]));
    expect(Object.keys(schema("Registration").properties).sort()).toEqual([
      "event",
      "eventId",
      "registeredAt",
      "user",
      "userId",
    ]);
    expect(schema("Error").properties.error.properties.code.enum).toEqual(
      expect.arrayContaining([...Object.keys(STATUS), "service_unavailable", "internal_error"]),
    );
    for (const input of ["CreateUserInput", "UpdateUserInput", "CreateEventInput", "UpdateEventInput"]) {
      expect(schema(input).additionalProperties, `${input} rejects unknown fields`).toBe(false);
    }
    expect(schema("CreateEventInput").properties.capacity).toMatchObject({
      type: "integer",
      minimum: 1,
      maximum: 100000,
    });
  });

  it("is served to anyone, but a bad token is still a 401", async () => {
    expectError(await t().get("/openapi.json", { token: "a.b.c" }), 401, "unauthorized");
    const { token } = await t().signUp();
    expect((await t().get("/openapi.json", { token })).status).toBe(200);
  });
});
