import type { AppType } from "@tablelab/api";
import { DEFAULT_COPIES } from "@tablelab/core";
import { hc } from "hono/client";
import { describe, expect, it } from "vitest";
import { DESIGNS } from "../support/database.js";
import { expectError, followPages, httpClient, uniqueEmail, useTestApp } from "../support/http.js";

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

describe.each(DESIGNS)("HTTP conventions (%s design)", (design) => {
  const t = useTestApp(design, "http-conv");

  describe("GET /health", () => {
    it("answers 200 { status: ok, design, copies, database } without a database call", async () => {
      const reply = await t().get("/health");
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        status: "ok",
        design,
        copies: DEFAULT_COPIES[design],
        database: expect.stringMatching(/^(up|unknown)$/),
      });
      expect(reply.headers.get("x-db-requests")).toBe("0");
      expect(reply.headers.get("x-db-read-units")).toBe("0");
      expect(reply.headers.get("x-db-write-units")).toBe("0");
    });
  });

  it("names the copy strategy the app was given, not the design's default", async () => {
    const other = DEFAULT_COPIES[design] === "sync" ? "none" : "sync";
    const reply = await httpClient(t().db.store, { copies: other }).get("/health");
    expect(reply.body).toMatchObject({ design, copies: other });
  });

  describe("X-Request-Id", () => {
    it("echoes a sane client request id", async () => {
      const reply = await t().get("/health", { headers: { "X-Request-Id": "client-abc_123" } });
      expect(reply.headers.get("x-request-id")).toBe("client-abc_123");
    });

    it.each([
      ["with spaces", "two words"],
      ["too long", "a".repeat(300)],
      ["with a newline-like char", "abc\u00e9"],
      ["empty", ""],
    ])("replaces a request id %s with a new one", async (_, value) => {
      const reply = await t().get("/health", { headers: { "X-Request-Id": value } });
      const id = reply.headers.get("x-request-id");
      expect(id).toBeTruthy();
      expect(id).not.toBe(value);
      expect(id).toMatch(/^[\w-]{8,}$/);
    });

    it("is on every response: success, 4xx, unknown routes, 204", async () => {
      const { token } = await t().signUp();
      const event = await t().createEvent(token);
      const replies = [
        await t().get("/health"),
        await t().get("/nope"),
        await t().get("/users/not-a-ulid"),
        await t().post("/events", { json: {} }),
        await t().del(`/events/${event.eventId}`, { token }),
      ];
      expect(replies.map((r) => r.status)).toEqual([200, 404, 400, 401, 204]);
      const ids = replies.map((r) => r.headers.get("x-request-id"));
      for (const id of ids) expect(id).toMatch(/^[\w-]{8,}$/);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });

  describe("database metrics headers", () => {
    it("report requests, capacity units and Server-Timing on reads, writes and errors", async () => {
      const signUp = await t().post("/users", { json: { name: "Meter", email: uniqueEmail() } });
      expect(signUp.status).toBe(201);
      expect(Number(signUp.headers.get("x-db-requests"))).toBeGreaterThanOrEqual(1);
      expect(Number(signUp.headers.get("x-db-write-units"))).toBeGreaterThan(0);
      expect(signUp.headers.get("server-timing")).toMatch(/(^|,\s*)db;dur=\d+(\.\d+)?/);

      const read = await t().get(`/users/${signUp.body.user.userId}`);
      expect(read.status).toBe(200);
      expect(Number(read.headers.get("x-db-requests"))).toBeGreaterThanOrEqual(1);
      expect(Number(read.headers.get("x-db-read-units"))).toBeGreaterThan(0);
      expect(read.headers.get("x-db-write-units")).toBe("0");
      expect(read.headers.get("server-timing")).toMatch(/db;dur=\d+(\.\d+)?/);

      const missing = await t().get("/users/01ARZ3NDEKTSV4RRFFQ69G5FAV");
      expectError(missing, 404, "not_found");
      expect(Number(missing.headers.get("x-db-requests"))).toBeGreaterThanOrEqual(1);
      expect(missing.headers.get("server-timing")).toMatch(/db;dur=/);
    });

    it("are absent when dbMetrics is off", async () => {
      const quiet = httpClient(t().db.store, { dbMetrics: false });
      for (const reply of [
        await quiet.get("/health"),
        await quiet.post("/users", { json: { name: "Quiet", email: uniqueEmail() } }),
        await quiet.get("/users/01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        await quiet.get("/nope"),
      ]) {
        expect(reply.headers.get("x-db-requests")).toBeNull();
        expect(reply.headers.get("x-db-read-units")).toBeNull();
        expect(reply.headers.get("x-db-write-units")).toBeNull();
        expect(reply.headers.get("server-timing") ?? "").not.toMatch(/db;dur/);
        expect(reply.headers.get("x-request-id")).toBeTruthy();
      }
    });
  });

  describe("unknown routes", () => {
    it.each([
      ["GET", "/nope"],
      ["GET", "/users"],
      ["DELETE", "/users/01ARZ3NDEKTSV4RRFFQ69G5FAV"],
      ["PUT", "/events/01ARZ3NDEKTSV4RRFFQ69G5FAV"],
      ["GET", "/events/01ARZ3NDEKTSV4RRFFQ69G5FAV/registrations/01ARZ3NDEKTSV4RRFFQ69G5FAV"],
      ["GET", "/events/01ARZ3NDEKTSV4RRFFQ69G5FAV/nope"],
      ["POST", "/health"],
    ])("%s %s → 404 not_found as JSON, no database call", async (method, path) => {
      const reply = await t().request(method, path);
      expectError(reply, 404, "not_found");
      expect(reply.headers.get("x-db-requests")).toBe("0");
    });
  });

  describe("CORS", () => {
    it("allows a preflight from a configured origin exactly once, and no other origin", async () => {
      const cors = httpClient(t().db.store, { corsOrigins: ["https://app.example"] });
      const preflight = (origin: string) =>
        cors.request("OPTIONS", "/events", {
          headers: {
            Origin: origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
          },
        });
      const allowed = await preflight("https://app.example");
      expect(allowed.status).toBeLessThan(300);
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
      expect(allowed.headers.get("access-control-allow-methods")).toMatch(/POST/);
      expect((allowed.headers.get("access-control-allow-headers") ?? "").toLowerCase()).toMatch(/authorization/);

      const other = await preflight("https://evil.example");
      expect(other.headers.get("access-control-allow-origin")).toBeNull();

      const simple = await cors.get("/health", { headers: { Origin: "https://app.example" } });
      expect(simple.headers.get("access-control-allow-origin")).toBe("https://app.example");
      expect((simple.headers.get("access-control-expose-headers") ?? "").toLowerCase()).toMatch(/x-request-id/);
      const foreign = await cors.get("/health", { headers: { Origin: "https://evil.example" } });
      expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    });

    it("sends no CORS headers when no origin is configured", async () => {
      const reply = await t().request("OPTIONS", "/events", {
        headers: { Origin: "https://app.example", "Access-Control-Request-Method": "POST" },
      });
      for (const [name] of reply.headers) expect(name).not.toMatch(/^access-control-/);
      const simple = await t().get("/health", { headers: { Origin: "https://app.example" } });
      for (const [name] of simple.headers) expect(name).not.toMatch(/^access-control-/);
    });
  });

  describe("docs", () => {
    it("GET /docs is HTML whose assets the app serves itself", async () => {
      const page = await t().get("/docs");
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      const assets = [...page.text.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => match[1] as string);
      expect(assets).toEqual(
        expect.arrayContaining(["/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js", "/docs/init.js"]),
      );
      for (const asset of assets) {
        expect(asset.startsWith("/"), `${asset} must come from the app, not a CDN`).toBe(true);
        const reply = await t().get(asset);
        expect(reply.status, asset).toBe(200);
        expect(reply.text.length, asset).toBeGreaterThan(0);
        expect(reply.headers.get("content-type"), asset).toMatch(/^(text\/css|text\/javascript|image\/png)/);
      }
      expect((await t().get("/docs/init.js")).text).toMatch(/\/openapi\.json/);
      expectError(await t().get("/docs/package.json"), 404, "not_found");
      expectError(await t().get("/docs/..%2Fpackage.json"), 404, "not_found");
    });
  });

  describe("typed client (hc<AppType>)", () => {
    it("signs up and creates an event through the exported AppType", async () => {
      const app = t().app;
      const client = hc<AppType>("http://tablelab.test", {
        fetch: (input: string | URL | Request, init?: RequestInit) => app.request(input, init),
      });
      const signUp = await client.users.$post({ json: { name: "Typed", email: uniqueEmail("typed") } });
      expect(signUp.status).toBe(201);
      if (signUp.status !== 201) return;
      const { user, token } = await signUp.json();
      expect(user.userId).toMatch(ULID);
      const created = await client.events.$post(
        { json: { name: "Typed event", date: "2031-03-03", capacity: 5 } },
        { headers: { Authorization: `Bearer ${token}` } },
      );
      expect(created.status).toBe(201);
      if (created.status !== 201) return;
      const event = await created.json();
      expect(event.organizerId).toBe(user.userId);
      const read = await client.events[":eventId"].$get({ param: { eventId: event.eventId }, query: {} });
      expect(read.status).toBe(200);
      const organized = await followPages(t(), `/users/${user.userId}/events`);
      expect(organized.items).toEqual([event]);
    });
  });
});
