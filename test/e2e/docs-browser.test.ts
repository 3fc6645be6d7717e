import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp, silentLogger } from "@tablelab/api";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser.js";
import { createTestDatabase } from "../support/database.js";

describe("interactive docs in a real browser", () => {
  let server: ReturnType<typeof serve>;
  let browser: Browser;
  let base: string;
  const requested: string[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase("single", "docs");
    const app = createApp({
      store: db.store,
      jwtSecret: "docs-secret",
      dbMetrics: true,
      corsOrigins: [],
      logger: silentLogger,
      now: () => new Date(),
    });
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("lists every operation, with all assets served by the app itself", async () => {
    const page = await browser.newPage();
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(`${base}/docs`);
    await page.waitForSelector(".opblock-summary-path", { timeout: 30_000 });
    const paths = await page.$$eval(".opblock-summary-path", (nodes) => nodes.map((node) => node.textContent?.trim()));
    expect(paths).toEqual(
      expect.arrayContaining([
        "/users",
        "/users/{userId}",
        "/users/{userId}/events",
        "/users/{userId}/registrations",
        "/events",
        "/events/{eventId}",
        "/events/{eventId}/registrations",
        "/events/{eventId}/registrations/{userId}",
        "/health",
      ]),
    );
    expect(paths.length).toBeGreaterThanOrEqual(14);
    // Offline: nothing but the app itself was asked for anything.
    expect(requested.filter((url) => !url.startsWith(base))).toEqual([]);
    await page.close();
  });
});
