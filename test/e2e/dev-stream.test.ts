import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STATED_P99_LAG_MS } from "@tablelab/core";
import { freePort } from "@tablelab/core/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, type DevProcess, devJavaPid, startDevProcess } from "../support/dev-process.js";

/**
 * `COPIES=stream pnpm dev` as a developer runs it: the API writes only originals and the copy consumer `pnpm dev`
 * starts beside it brings the registrations' copies up to date — a rename shows in the registration lists within
 * the stated lag bound (README, "Copies"), with room for a busy machine — and Ctrl-C stops the API, the consumer
 * and DynamoDB Local alike.
 */
// Each step starts JVMs and tsx processes: generous on a busy 2-core machine.
const SLOW = 240_000;
/** How long a rename may take to show: the stated p99 bound, with CI's room (as test/copies/copy-lag.test.ts). */
const SHOWS_WITHIN_MS = 3 * STATED_P99_LAG_MS;
const dataDir = mkdtempSync(join(tmpdir(), "tablelab-dev-stream-"));
const groups: ChildProcess[] = [];

afterAll(() => {
  for (const child of groups) if (child.pid && alive(child.pid)) process.kill(-child.pid, "SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

describe("pnpm dev with COPIES=stream", () => {
  let dev: DevProcess;
  let dbPort = 0;
  let apiPort = 0;

  async function call(method: string, path: string, options: { token?: string; json?: unknown } = {}) {
    const response = await fetch(`${dev.base}${path}`, {
      method,
      headers: {
        ...(options.json !== undefined && { "content-type": "application/json" }),
        ...(options.token && { authorization: `Bearer ${options.token}` }),
      },
      ...(options.json !== undefined && { body: JSON.stringify(options.json) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field.
    return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
  }

  /** Polls a list until `shows` holds for it; returns how long that took (ms), or fails after `SHOWS_WITHIN_MS`. */
  async function showsWithin(path: string, token: string | undefined, shows: (items: unknown[]) => boolean) {
    const start = performance.now();
    for (;;) {
      const reply = await call("GET", path, token ? { token } : {});
      expect(reply.status).toBe(200);
      if (shows(reply.body.items)) return Math.round(performance.now() - start);
      if (performance.now() - start > SHOWS_WITHIN_MS) {
        throw new Error(`${path} did not show the change within ${SHOWS_WITHIN_MS} ms: ${JSON.stringify(reply.body)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  beforeAll(async () => {
    [apiPort, dbPort] = [await freePort(), await freePort()];
    dev = await startDevProcess({
      apiPort,
      viaPnpm: true,
      env: { COPIES: "stream", DYNAMODB_LOCAL_PORT: String(dbPort), TABLELAB_DATA_DIR: dataDir, JWT_SECRET: "" },
    });
    groups.push(dev.child);
  }, 300_000);

  it(
    "serves COPIES=stream and names it in /health",
    async () => {
      expect(await (await fetch(`${dev.base}/health`)).json()).toMatchObject({ design: "single", copies: "stream" });
      expect(dev.output()).toMatch(/copy consumer following the streams of single tables \(COPIES=stream\)/);
    },
    SLOW,
  );

  it(
    "a renamed event and a renamed attendee show in the registration lists within the stated bound",
    async () => {
      const organizer = await call("POST", "/users", { json: { email: "org@example.com", name: "Organizer" } });
      const attendee = await call("POST", "/users", { json: { email: "att@example.com", name: "Attendee" } });
      expect([organizer.status, attendee.status]).toEqual([201, 201]);
      const event = await call("POST", "/events", {
        token: organizer.body.token,
        json: { name: "Before", date: "2031-05-01", capacity: 10 },
      });
      expect(event.status).toBe(201);
      const { eventId } = event.body;
      const { userId } = attendee.body.user;
      expect((await call("POST", `/events/${eventId}/registrations`, { token: attendee.body.token })).status).toBe(201);

      const renamed = await call("PATCH", `/events/${eventId}`, {
        token: organizer.body.token,
        json: { name: "After" },
      });
      expect(renamed.status).toBe(200);
      const eventShows = await showsWithin(`/users/${userId}/registrations`, attendee.body.token, (items) =>
        items.some((item) => (item as { event: { name: string } }).event.name === "After"),
      );
      const user = await call("PATCH", `/users/${userId}`, { token: attendee.body.token, json: { name: "Renamed" } });
      expect(user.status).toBe(200);
      const userShows = await showsWithin(`/events/${eventId}/registrations`, undefined, (items) =>
        items.some((item) => (item as { user: { name: string } }).user.name === "Renamed"),
      );
      console.log(
        `pnpm dev COPIES=stream: event rename shown after ${eventShows} ms, user rename after ${userShows} ms`,
      );
    },
    SLOW,
  );

  it(
    "Ctrl-C stops the API, the copy consumer and DynamoDB Local: nothing is left running",
    async () => {
      const java = devJavaPid(dataDir, dbPort);
      const exited = new Promise<number | null>((resolve) => dev.child.once("exit", (code) => resolve(code)));
      process.kill(-(dev.child.pid as number), "SIGINT");
      const code = await exited;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect([0, 130]).toContain(code);
      expect(dev.output()).not.toMatch(/Force killing|ELIFECYCLE|Error|copy consumer: .*retrying/);
      expect(alive(java)).toBe(false);
      expect(existsSync(join(dataDir, "run", `api-${apiPort}.json`))).toBe(false);
      expect(existsSync(join(dataDir, "run", `dynamodb-${dbPort}.json`))).toBe(false);
      await expect(fetch(`${dev.base}/health`)).rejects.toThrow();
    },
    SLOW,
  );
});
