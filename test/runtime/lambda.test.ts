import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { createApp, mintToken, silentLogger } from "@tablelab/api";
import type { APIGatewayProxyResult, ApiGatewayRequestContextV2, LambdaContext, LambdaEvent } from "hono/aws-lambda";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { bundleSstFunction } from "../../scripts/lambda-build.js";
import { apiFunctionArgs } from "../../scripts/sst-functions.js";
import { API_HANDLER } from "../../stacks/lambda-package.js";
import { createTestDatabase, DESIGNS, type TestDatabase } from "../support/database.js";

const SECRET = "lambda-test-secret";

/** Hono exports the union only; the payload 2.0 member is the one with `requestContext.http`. */
type APIGatewayProxyEventV2 = Extract<LambdaEvent, { requestContext: ApiGatewayRequestContextV2 }>;

/** An API Gateway HTTP API (payload format 2.0) event, as the `$default` route delivers it. */
function httpApiEvent(
  method: string,
  path: string,
  options: { query?: string; body?: string; base64?: boolean; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: options.query ?? "",
    headers: { host: "abc123.execute-api.eu-west-1.amazonaws.com", ...options.headers },
    body:
      options.body === undefined ? null : options.base64 ? Buffer.from(options.body).toString("base64") : options.body,
    isBase64Encoded: options.base64 ?? false,
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      authentication: null,
      authorizer: {} as never,
      domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
      domainPrefix: "abc123",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "vitest" },
      requestId: "req-1",
      routeKey: "$default",
      stage: "$default",
      time: "25/Nov/2026:10:00:00 +0000",
      timeEpoch: 1795600000000,
    },
  };
}

const context = { awsRequestId: "lambda-req", functionName: "tablelab-api" } as LambdaContext;

const root = resolve(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "tablelab-lambda-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * The handler as a source module, and as SST deploys it: bundled with SST's esbuild settings from the options
 * sst.config.ts hands its `sst.aws.Function` (scripts/lambda-build.ts, scripts/sst-functions.ts), with the
 * patched zod and ElectroDB of patches/ — so the bundle must answer too.
 */
async function loadHandler(form: "source" | "bundle", design: string) {
  if (form === "source") return import("../../packages/api/src/lambda.js");
  const args = await apiFunctionArgs(root, API_HANDLER);
  const { outfile } = await bundleSstFunction({ root, args, out: join(scratch, design) });
  return import(pathToFileURL(outfile).href);
}

const FORMS = DESIGNS.flatMap((design) => (["source", "bundle"] as const).map((form) => [design, form] as const));

describe.each(FORMS)("Lambda handler (%s design, %s) answers like the node server", (design, form) => {
  let db: TestDatabase;
  let handler: (event: APIGatewayProxyEventV2, context: LambdaContext) => Promise<APIGatewayProxyResult>;
  let server: ReturnType<typeof serve>;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase(design, "lambda");
    // The handler module builds its client, store and app at import time, from the environment.
    vi.stubEnv("DYNAMODB_ENDPOINT", inject("dynamoEndpoint"));
    vi.stubEnv("TABLE_DESIGN", design);
    vi.stubEnv("TABLE_NAME", db.tablePrefix);
    vi.stubEnv("JWT_SECRET", SECRET);
    vi.stubEnv("LOG_LEVEL", "silent");
    vi.resetModules();
    ({ handler } = (await loadHandler(form, design)) as unknown as { handler: typeof handler });

    const app = createApp({
      store: db.storeWith({ cursorSecret: SECRET }),
      jwtSecret: SECRET,
      dbMetrics: true,
      corsOrigins: [],
      logger: silentLogger,
      now: () => new Date(),
    });
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await new Promise((resolve) => server.close(resolve));
  });

  async function viaNode(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
    const response = await fetch(`${base}${path}`, { method, body: init.body ?? null, headers: init.headers ?? {} });
    return { status: response.status, body: await response.text(), contentType: response.headers.get("content-type") };
  }

  it("POST with a JSON body, then GET with a query string, match the node server", async () => {
    const viaLambda = await handler(
      httpApiEvent("POST", "/users", {
        body: JSON.stringify({ email: "lambda@example.com", name: "Lambda" }),
        headers: { "content-type": "application/json" },
      }),
      context,
    );
    expect(viaLambda.statusCode).toBe(201);
    const created = JSON.parse(viaLambda.body) as { user: { userId: string; email: string }; token: string };
    expect(created.user.email).toBe("lambda@example.com");

    const token = await mintToken(created.user.userId, SECRET);
    const eventBody = JSON.stringify({ name: "Launch", date: "2027-03-01", capacity: 5 });
    const posted = await handler(
      httpApiEvent("POST", "/events", {
        body: eventBody,
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      }),
      context,
    );
    expect(posted.statusCode).toBe(201);
    expect(posted.headers?.location).toMatch(/^\/events\/[0-9A-Z]{26}$/);

    const query = "from=2027-03-01&to=2027-03-10&limit=5";
    const lambdaList = await handler(httpApiEvent("GET", "/events", { query }), context);
    const nodeList = await viaNode("GET", `/events?${query}`);
    expect(lambdaList.statusCode).toBe(200);
    expect(nodeList.status).toBe(200);
    expect(JSON.parse(lambdaList.body)).toEqual(JSON.parse(nodeList.body));
    expect((JSON.parse(lambdaList.body) as { items: unknown[] }).items).toHaveLength(1);
  });

  it("registers the caller and lists them under ?include=attendees (transactions and queries)", async () => {
    const json = { "content-type": "application/json" };
    const signUp = async (email: string, name: string) => {
      const response = await handler(
        httpApiEvent("POST", "/users", { body: JSON.stringify({ email, name }), headers: json }),
        context,
      );
      expect(response.statusCode).toBe(201);
      return JSON.parse(response.body) as { user: { userId: string }; token: string };
    };
    const organizer = await signUp("org@example.com", "Org");
    const attendee = await signUp("att@example.com", "Att");
    const event = await handler(
      httpApiEvent("POST", "/events", {
        body: JSON.stringify({ name: "Meetup", date: "2027-04-01", capacity: 2 }),
        headers: { ...json, authorization: `Bearer ${organizer.token}` },
      }),
      context,
    );
    expect(event.statusCode).toBe(201);
    const { eventId } = JSON.parse(event.body) as { eventId: string };

    const registered = await handler(
      httpApiEvent("POST", `/events/${eventId}/registrations`, {
        headers: { authorization: `Bearer ${attendee.token}` },
      }),
      context,
    );
    expect(registered.statusCode).toBe(201);
    const again = await handler(
      httpApiEvent("POST", `/events/${eventId}/registrations`, {
        headers: { authorization: `Bearer ${attendee.token}` },
      }),
      context,
    );
    expect(again.statusCode).toBe(409);
    expect(JSON.parse(again.body).error.code).toBe("already_registered");

    const withAttendees = await handler(
      httpApiEvent("GET", `/events/${eventId}`, { query: "include=attendees" }),
      context,
    );
    expect(withAttendees.statusCode).toBe(200);
    const body = JSON.parse(withAttendees.body) as {
      registeredCount: number;
      attendees: { items: { userId: string }[] };
    };
    expect(body.registeredCount).toBe(1);
    expect(body.attendees.items.map((item) => item.userId)).toEqual([attendee.user.userId]);
    expect(JSON.parse((await viaNode("GET", `/events/${eventId}?include=attendees`)).body)).toEqual(body);
  });

  it("decodes a base64-encoded body", async () => {
    const body = JSON.stringify({ email: "base64@example.com", name: "Base Sixty-Four" });
    const result = await handler(
      httpApiEvent("POST", "/users", { body, base64: true, headers: { "content-type": "application/json" } }),
      context,
    );
    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body).user.name).toBe("Base Sixty-Four");
  });

  it("answers an unknown route with the contract's 404, like the node server", async () => {
    const viaLambda = await handler(httpApiEvent("GET", "/nowhere"), context);
    const node = await viaNode("GET", "/nowhere");
    expect(viaLambda.statusCode).toBe(404);
    expect(node.status).toBe(404);
    expect(JSON.parse(viaLambda.body)).toEqual(JSON.parse(node.body));
    expect(JSON.parse(viaLambda.body).error.code).toBe("not_found");
  });

  it("reports validation errors identically", async () => {
    const bad = JSON.stringify({ email: "not-an-email", name: "" });
    const headers = { "content-type": "application/json" };
    const viaLambda = await handler(httpApiEvent("POST", "/users", { body: bad, headers }), context);
    const node = await viaNode("POST", "/users", { body: bad, headers });
    expect(viaLambda.statusCode).toBe(400);
    expect(JSON.parse(viaLambda.body)).toEqual(JSON.parse(node.body));
  });
});
