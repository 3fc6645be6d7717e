import { createStore } from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { DESIGNS, TEST_CURSOR_SECRET } from "../support/database.js";
import { expectError, httpClient, uniqueEmail, useTestApp } from "../support/http.js";

interface Operation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: { enum?: string[] } }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<
    string,
    { description: string; headers?: Record<string, { required?: boolean }>; content?: Record<string, unknown> }
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
  { method: "get", path: "/docs/{asset}", success: "200", errors: ["not_found"] },
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
    errors: [
      "invalid_json",
      "validation_failed",
      "unauthorized",
      "forbidden",
      "not_found",
      "email_taken",
      "too_many_copies",
    ],
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
      "too_many_copies",
      "precondition_failed",
    ],
  },
  {
    method: "delete",
    path: "/events/{eventId}",
    body: "optional",
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
    body: "optional",
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
  too_many_copies: "409",
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
      expect(operation.operationId, `${label}: operationId`).toMatch(/^[a-z][A-Za-z]+$/);
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

      // A public route still takes a token (it must be valid, and may change the answer): optional, not absent.
      expect(operation.security, `${label}: security`).toEqual(
        route.auth ? [{ bearerAuth: [] }] : [{}, { bearerAuth: [] }],
      );
      expect(operation.responses[route.success], `${label}: ${route.success}`).toBeDefined();
      for (const code of route.errors) {
        const response = operation.responses[STATUS[code] as string];
        expect(response?.description, `${label}: ${code}`).toContain(`\`${code}\``);
        expect(response?.content?.["application/json"], `${label}: ${code} is JSON`).toEqual({
          schema: { $ref: "#/components/schemas/Error" },
        });
      }
      if (!["/docs", "/docs/{asset}", "/openapi.json", "/health"].includes(route.path)) {
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

  it("answers a change past the copy bound with the 409 too_many_copies its PATCH routes list", async () => {
    // COPIES=sync with a bound of 1 over the same tables: two copies of a name are one too many for a request.
    const { db } = t();
    const bounded = httpClient(
      createStore({
        design,
        copies: "sync",
        maxSyncCopies: 1,
        document: db.clients.document,
        tableNames: db.tableNames,
        cursorSecret: TEST_CURSOR_SECRET,
      }),
      { copies: "sync" },
    );
    const organizer = await t().signUp();
    const [first, second] = [await t().createEvent(organizer.token), await t().createEvent(organizer.token)];
    const attendee = await t().signUp();
    for (const event of [first, second]) await t().register(attendee.token, event.eventId);
    await t().register(organizer.token, first.eventId);

    const rename = { json: { name: "Renamed" } };
    expectError(
      await bounded.patch(`/users/${attendee.user.userId}`, { token: attendee.token, ...rename }),
      409,
      "too_many_copies",
    );
    expectError(
      await bounded.patch(`/events/${first.eventId}`, { token: organizer.token, ...rename }),
      409,
      "too_many_copies",
    );
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

  it("names its operations, servers and licence, as client generators expect", async () => {
    const document = (await t().get("/openapi.json")).body;
    const ids = Object.values(document.paths as Record<string, Record<string, Operation>>).flatMap((operations) =>
      Object.values(operations).map((operation) => operation.operationId),
    );
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size, "operationIds are unique").toBe(ids.length);
    expect(document.servers).toEqual([expect.objectContaining({ url: "/" })]);
    expect(document.info.license).toMatchObject({ name: expect.any(String), identifier: expect.any(String) });
  });

  it("states what the server enforces: non-empty PATCH bodies, formats, bodies of the no-field routes", async () => {
    const document = (await t().get("/openapi.json")).body;
    const schema = (name: string) => document.components.schemas[name];
    for (const input of ["UpdateUserInput", "UpdateEventInput"]) {
      expect(schema(input).minProperties, `${input}: {} is a 400`).toBe(1);
    }
    // Email addresses may contain Unicode (RFC 6531): JSON Schema's idn-email, not the ASCII-only email.
    for (const [name, property] of [
      ["CreateUserInput", "email"],
      ["UpdateUserInput", "email"],
      ["User", "email"],
    ] as const) {
      expect(schema(name).properties[property].format, `${name}.${property}`).toBe("idn-email");
    }
    for (const name of ["CreateEventInput", "UpdateEventInput", "Event"]) {
      expect(schema(name).properties.date.format, `${name}.date`).toBe("date");
    }
    expect(schema("Registration").properties.event.properties.date.format).toBe("date");
    const listEvents = document.paths["/events"].get as Operation;
    for (const name of ["from", "to"]) {
      const parameter = listEvents.parameters?.find((candidate) => candidate.name === name) as { schema?: object };
      expect(parameter.schema, `GET /events ${name}`).toMatchObject({ type: "string", format: "date" });
    }
    for (const [path, method] of [
      ["/events/{eventId}", "delete"],
      ["/events/{eventId}/registrations/{userId}", "delete"],
      ["/events/{eventId}/registrations", "post"],
    ] as const) {
      const operation = document.paths[path][method] as Operation;
      expect(operation.requestBody, `${method} ${path}: no body, or {}`).toEqual({
        required: false,
        content: { "application/json": { schema: { type: "object", properties: {}, additionalProperties: false } } },
      });
    }
    // No keyword says "no other query parameters": each operation's 400 says it.
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.responses["400"]?.description, `${method} ${path}`).toMatch(/query parameter/);
      }
    }
  });

  it("documents the response headers where they are sent", async () => {
    const document = (await t().get("/openapi.json")).body;
    expect(document.components.headers["X-Request-Id"]).toMatchObject({ required: true });
    for (const name of ["X-Db-Requests", "X-Db-Read-Units", "X-Db-Write-Units", "Server-Timing"]) {
      // Sent only when database metrics are on (DB_METRICS), so documented but not required.
      expect(document.components.headers[name], name).toMatchObject({ required: false });
    }
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const label = `${method} ${path} ${status}`;
          for (const name of [
            "X-Request-Id",
            "X-Db-Requests",
            "X-Db-Read-Units",
            "X-Db-Write-Units",
            "Server-Timing",
          ]) {
            expect(response.headers?.[name], `${label}: ${name}`).toEqual({ $ref: `#/components/headers/${name}` });
          }
          if (status === "503") expect(response.headers?.["Retry-After"], label).toMatchObject({ required: true });
          if (response.description.includes("`request_in_progress`")) {
            expect(response.headers?.["Retry-After"], label).toMatchObject({ required: false });
          }
        }
      }
    }
    expect(document.paths["/users"].post.responses["409"].description).toContain("`request_in_progress`");
  });

  it("documents the marker of a replayed idempotent POST (the harness checks the replay's headers)", async () => {
    const key = `replay-${Date.now()}`;
    const call = { json: { name: "Replay", email: uniqueEmail("replay") }, headers: { "Idempotency-Key": key } };
    const first = await t().post("/users", call);
    const replay = await t().post("/users", call);
    expect([first.status, replay.status]).toEqual([201, 201]);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    for (const path of ["/users", "/events", "/events/{eventId}/registrations"]) {
      const created = (await t().get("/openapi.json")).body.paths[path].post.responses["201"];
      expect(created.headers, path).toHaveProperty("Idempotent-Replayed");
    }
  });

  it("serves every asset the docs page loads, with a documented name and media type", async () => {
    const document = (await t().get("/openapi.json")).body;
    const assets = (document.paths["/docs/{asset}"].get as Operation).parameters?.[0]?.schema?.enum ?? [];
    const page = (await t().get("/docs")).text;
    const loaded = [...page.matchAll(/(?:href|src)="\/docs\/([^"]+)"/g)].map((match) => match[1]);
    expect(loaded.length).toBeGreaterThan(0);
    expect([...assets].sort()).toEqual([...new Set(loaded)].sort());
    for (const asset of assets) {
      // The harness holds each reply to the document (status, media type, headers).
      expect((await t().get(`/docs/${asset}`)).status, asset).toBe(200);
    }
  });

  it("is served to anyone, but a bad token is still a 401", async () => {
    expectError(await t().get("/openapi.json", { token: "a.b.c" }), 401, "unauthorized");
    const { token } = await t().signUp();
    expect((await t().get("/openapi.json", { token })).status).toBe(200);
  });
});
