import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { type RunningServer, startServer } from "../support/server.js";
import { repoRoot } from "./documented-commands.js";

/**
 * The README's "Walk-through with curl", run as written by bash against the real app on a loopback port (on a
 * fresh single-table database, the design the README's access-pattern table describes), each step's output
 * checked. Only `echo` lines that mark where a step begins are added between the README's paragraphs; its
 * commands run unchanged, so README and product cannot drift apart unnoticed.
 */

const STEP_MARK = "@@walkthrough-step@@";

/** The fenced block under "## Walk-through with curl", split into its paragraphs (blank-line separated). */
function walkthroughParagraphs(): string[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.split("\n## Walk-through with curl\n")[1];
  const block = section ? /```sh\n([\s\S]*?)\n```/.exec(section)?.[1] : undefined;
  if (!block) throw new Error("README.md has no ```sh block under ## Walk-through with curl");
  return block.split(/\n\s*\n/);
}

/**
 * An HTTP exchange as `curl -si` prints it: status, headers (lower-cased names), the JSON body (one line), and
 * whatever the step printed after it.
 */
// biome-ignore lint/suspicious/noExplicitAny: JSON printed by curl, checked field by field below
function parseHttp(text: string): { status: number; headers: Record<string, string>; body: any; rest: string } {
  const normalized = text.replace(/\r\n/g, "\n");
  const end = normalized.indexOf("\n\n");
  if (end < 0) throw new Error(`not an HTTP response with a body:\n${text}`);
  const head = normalized.slice(0, end);
  const after = normalized.slice(end + 2);
  const [statusLine = "", ...headerLines] = head.split("\n");
  const headers = Object.fromEntries(
    headerLines.map((line) => [
      line.slice(0, line.indexOf(":")).toLowerCase(),
      line.slice(line.indexOf(":") + 1).trim(),
    ]),
  );
  const [body = "", ...rest] = after.split("\n");
  return { status: Number(statusLine.split(" ")[1]), headers, body: JSON.parse(body), rest: rest.join("\n") };
}

/** What the README's access-pattern table says a pattern costs (`caller + 1 = 2` → "2"). */
function tableRequests(pattern: string): string {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const row = readme.split("\n").find((line) => line.startsWith(`| ${pattern} `));
  const total = row
    ?.split("|")
    .at(-2)
    ?.match(/= (\d+)/)?.[1];
  if (!total) throw new Error(`README's access-pattern table has no total for ${pattern}`);
  return total;
}

/** The JSON documents a step printed one per line (`curl -s …; echo`). */
// biome-ignore lint/suspicious/noExplicitAny: JSON printed by curl, checked field by field below
function jsonLines(text: string): any[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}

describe("README walk-through with curl", () => {
  let db: TestDatabase;
  let server: RunningServer;
  const paragraphs = walkthroughParagraphs();
  /** What each paragraph printed, keyed by its leading comment's first words. */
  const outputs = new Map<string, string>();
  let stderr = "";

  beforeAll(async () => {
    db = await createTestDatabase("single", "walkthrough");
    server = await startServer(db);
    const script = paragraphs.map((paragraph) => `echo '${STEP_MARK}'\n${paragraph}`).join("\n\n");
    // Async, never execFileSync: the server answering curl lives in this same process.
    const run = await promisify(execFile)("bash", ["-e", "-c", script], {
      env: { ...process.env, API: server.base },
      timeout: 60_000,
    });
    stderr = run.stderr;
    const printed = run.stdout.split(`${STEP_MARK}\n`).slice(1);
    paragraphs.forEach((paragraph, index) => {
      const comment = /^# (.*)$/m.exec(paragraph)?.[1] ?? "setup";
      outputs.set(comment.split(/[:(.]/)[0]?.trim() as string, printed[index] ?? "");
    });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    db?.clients.destroy();
  });

  const step = (title: string) => {
    const output = outputs.get(title);
    if (output === undefined) throw new Error(`no walk-through step "${title}"; steps: ${[...outputs.keys()]}`);
    return output;
  };
  let ada: { userId: string };
  let eventId: string;

  it("runs to the end without an error on stderr", () => {
    expect(stderr).toBe("");
    expect([...outputs.keys()]).toEqual([
      "setup",
      "Sign up",
      "Create an event",
      "Register for it",
      "List events in a date range, page by page",
      "Change the event only if nobody else changed it since you read version 1",
    ]);
  });

  it("signs up and prints the new user with a token", () => {
    const [signUp] = jsonLines(step("Sign up"));
    expect(signUp.user).toMatchObject({ name: "Ada", email: expect.stringMatching(/^ada\.\d+@example\.com$/) });
    expect(signUp.token).toEqual(expect.any(String));
    ada = signUp.user;
  });

  it('creates the event: 201, ETag "1", Location, X-Db-Requests 2 as the table says for AP5', () => {
    const created = parseHttp(step("Create an event"));
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/events/${created.body.eventId}`);
    expect(created.headers["x-db-requests"]).toBe(tableRequests("AP5"));
    expect(created.headers["x-db-requests"]).toBe("2");
    expect(created.body).toMatchObject({ organizerId: ada.userId, capacity: 30, registeredCount: 0, version: 1 });
    eventId = created.body.eventId;
  });

  it("registers (X-Db-Requests 3 as the table says for AP12), then shows the attendee and the registration", () => {
    const registered = parseHttp(step("Register for it"));
    expect(registered.status).toBe(201);
    expect(registered.headers["x-db-requests"]).toBe(tableRequests("AP12"));
    expect(registered.headers["x-db-requests"]).toBe("3");
    expect(registered.body).toMatchObject({ eventId, userId: ada.userId, user: { name: "Ada" } });
    const [event, registrations] = jsonLines(registered.rest);
    expect(event).toMatchObject({ eventId, registeredCount: 1 });
    expect(event.attendees.items.map((r: { userId: string }) => r.userId)).toEqual([ada.userId]);
    expect(registrations.items).toMatchObject([
      { eventId, event: { name: "Single-table design", date: "2027-03-01" } },
    ]);
    expect(registrations.cursor).toBeNull();
  });

  it("pages through the date range until the cursor is null and sees the event exactly once", () => {
    const pages = jsonLines(step("List events in a date range, page by page"));
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.at(-1).cursor).toBeNull();
    for (const page of pages.slice(0, -1)) expect(page.cursor).toEqual(expect.any(String));
    expect(pages.flatMap((page) => page.items.map((e: { eventId: string }) => e.eventId))).toEqual([eventId]);
  });

  it("changes the capacity under If-Match: 200, version 2, X-Db-Requests 3 as the table says for AP10", () => {
    const changed = parseHttp(step("Change the event only if nobody else changed it since you read version 1"));
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).toBe('"2"');
    expect(changed.headers["x-db-requests"]).toBe(tableRequests("AP10"));
    expect(changed.headers["x-db-requests"]).toBe("3");
    expect(changed.body).toMatchObject({ eventId, capacity: 40, version: 2 });
  });
});
