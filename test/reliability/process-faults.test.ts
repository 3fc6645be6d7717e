import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import {
  createDynamoClients,
  DEFAULT_COPIES,
  defaultTableNames,
  TABLE_DESIGNS,
  type TableDesign,
  tableDefinitions,
} from "@tablelab/core";
import { checkIntegrity } from "@tablelab/core/doctor";
import { type DynamoDbLocal, ensureTable, freePort, startDynamoDbLocal } from "@tablelab/core/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../packages/api/src/config.js";
import { buildRuntime } from "../../packages/api/src/runtime.js";
import { alive, devJavaPid, startDevProcess } from "../support/dev-process.js";

/**
 * Faults of the process and of the database, on real processes:
 *  - DynamoDB Local stopped while the API serves: every request gets a 503 with Retry-After within 5 s (no hang),
 *    and once it is back on the same port the same API process serves again (no restart).
 *  - `pnpm dev` killed with SIGKILL in the middle of a write load, then started again: every acknowledged 201 is
 *    still there and the integrity check passes. Both designs, each with its own `pnpm dev`.
 * Every process started here is stopped by its pid (or process group) in afterAll.
 */
const JWT_SECRET = "process-faults-secret";
const temporary: string[] = [];
afterAll(() => {
  for (const directory of temporary) rmSync(directory, { recursive: true, force: true });
});
const tempDir = (prefix: string) => {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(directory);
  return directory;
};

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe("DynamoDB Local stopped while the API serves", () => {
  let port: number;
  let dbPath: string;
  let local: DynamoDbLocal | undefined;
  const apis = new Map<
    TableDesign,
    { base: string; close: () => void; destroy: () => void; token: string; userId: string; eventId: string }
  >();

  beforeAll(async () => {
    port = await freePort();
    dbPath = tempDir("tablelab-outage-");
    local = await startDynamoDbLocal({ port, dbPath, maxHeap: "256m" });
    for (const design of TABLE_DESIGNS) {
      // The API's own wiring (config → clients with their timeouts → store → app), served over real HTTP.
      const config = loadConfig({
        DYNAMODB_ENDPOINT: local.endpoint,
        TABLE_DESIGN: design,
        TABLE_NAME: `outage-${design}`,
        LOG_LEVEL: "silent",
        DB_METRICS: "0",
      });
      const { app, clients } = buildRuntime({ ...config, jwtSecret: JWT_SECRET });
      for (const definition of tableDefinitions(design)) {
        await ensureTable(clients.client, definition, config.tableNames[definition.id] as string);
      }
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
      });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const signUp = await fetch(`${base}/users`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: `outage-${design}@example.com`, name: "Before" }),
      });
      expect(signUp.status).toBe(201);
      const { user, token } = await json<{ user: { userId: string }; token: string }>(signUp);
      const event = await fetch(`${base}/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: "Before the outage", date: "2027-09-01", capacity: 10 }),
      });
      expect(event.status).toBe(201);
      const { eventId } = await json<{ eventId: string }>(event);
      expect(await json(await fetch(`${base}/health`))).toEqual({
        status: "ok",
        design,
        copies: DEFAULT_COPIES[design],
        database: "up",
      });
      apis.set(design, {
        base,
        token,
        userId: user.userId,
        eventId,
        close: () => server.close(),
        destroy: () => clients.destroy(),
      });
    }
  });

  afterAll(async () => {
    for (const api of apis.values()) {
      api.close();
      api.destroy();
    }
    await local?.stop();
  });

  /** One read and one write of each kind the API has, as [label, request]. */
  const requests = (design: TableDesign): Array<[string, () => Promise<Response>]> => {
    const api = apis.get(design);
    if (!api) throw new Error(`no API for ${design}`);
    const auth = { "content-type": "application/json", authorization: `Bearer ${api.token}` };
    return [
      ["GET /users/{id}", () => fetch(`${api.base}/users/${api.userId}`)],
      ["GET /events/{id}", () => fetch(`${api.base}/events/${api.eventId}?include=attendees`)],
      ["GET /events", () => fetch(`${api.base}/events?from=2027-09-01&to=2027-09-30`)],
      [
        "POST /users",
        () =>
          fetch(`${api.base}/users`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ email: `during-${design}@example.com`, name: "During" }),
          }),
      ],
      [
        "POST /events (Idempotency-Key)",
        () =>
          fetch(`${api.base}/events`, {
            method: "POST",
            headers: { ...auth, "idempotency-key": `outage-${design}` },
            body: JSON.stringify({ name: "During the outage", date: "2027-09-02", capacity: 5 }),
          }),
      ],
      [
        "POST /events/{id}/registrations",
        () => fetch(`${api.base}/events/${api.eventId}/registrations`, { method: "POST", headers: auth }),
      ],
      [
        "PATCH /users/{id}",
        () =>
          fetch(`${api.base}/users/${api.userId}`, {
            method: "PATCH",
            headers: auth,
            body: JSON.stringify({ name: "During" }),
          }),
      ],
    ];
  };

  describe("while it is down", () => {
    beforeAll(async () => {
      const pid = local?.pid as number;
      await local?.stop();
      local = undefined;
      expect(alive(pid)).toBe(false);
    });

    it.each(TABLE_DESIGNS)("%s design: every request is a 503 with Retry-After within 5 s", async (design) => {
      for (const [label, request] of requests(design)) {
        const started = performance.now();
        const response = await request();
        const elapsed = performance.now() - started;
        const body = await json<{ error: { code: string } }>(response);
        expect({ label, status: response.status, code: body.error?.code }).toEqual({
          label,
          status: 503,
          code: "service_unavailable",
        });
        expect(response.headers.get("retry-after"), label).toMatch(/^[1-9]\d*$/);
        expect(elapsed, label).toBeLessThan(5000);
      }
    });

    it.each(TABLE_DESIGNS)("%s design: /health, which makes no database call, reports it down", async (design) => {
      const api = apis.get(design);
      const health = await fetch(`${api?.base}/health`);
      expect(health.status).toBe(503);
      expect(health.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
      const body = await json<{ error: { code: string; message: string } }>(health);
      expect(body.error.code).toBe("service_unavailable");
      expect(body.error.message).toMatch(/^the database did not answer the last request \(ECONNREFUSED/);
    });
  });

  describe("when it is back on the same port", () => {
    beforeAll(async () => {
      // The old JVM has exited (stop() waits for it), so the port is free again; the data is on disk.
      local = await startDynamoDbLocal({ port, dbPath, maxHeap: "256m" });
    });

    it.each(TABLE_DESIGNS)("%s design: the same API process serves reads and writes again", async (design) => {
      const [read, event, list, signUp, create, register, rename] = requests(design).map(([, request]) => request);
      const api = apis.get(design);
      expect((await read?.())?.status).toBe(200);
      expect((await event?.())?.status).toBe(200);
      const listed = await json<{ items: Array<{ eventId: string }> }>((await list?.()) as Response);
      expect(listed.items.map((item) => item.eventId)).toContain(api?.eventId);
      expect((await signUp?.())?.status).toBe(201);
      // The failed attempt left no idempotency record behind that would block the retry.
      expect((await create?.())?.status).toBe(201);
      expect((await register?.())?.status).toBe(201);
      expect((await rename?.())?.status).toBe(200);
      expect(await json(await fetch(`${api?.base}/health`))).toEqual({
        status: "ok",
        design,
        copies: DEFAULT_COPIES[design],
        database: "up",
      });
    });
  });
});

/**
 * Pids of the running processes in a process group (from /proc: field 5 of `stat` is the group). Zombies are
 * left out: they have exited, and how soon init reaps a killed orphan depends on the machine's load.
 */
function processGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

async function until(condition: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Both designs on every run: the SIGKILL scenario starts `pnpm dev` three times per design (~10 s each here).
 * TABLELAB_FAULTS_DESIGN limits it to one design when iterating locally.
 */
const killDesigns: readonly TableDesign[] = process.env.TABLELAB_FAULTS_DESIGN
  ? [process.env.TABLELAB_FAULTS_DESIGN as TableDesign]
  : TABLE_DESIGNS;

describe.each(killDesigns)("pnpm dev killed with SIGKILL during a write load (%s design)", (design) => {
  const dataDir = tempDir("tablelab-sigkill-");
  const groups: number[] = [];
  const javaPids: number[] = [];
  let ports: { api: number; dynamo: number };
  /** Everything the API acknowledged with a 201. */
  const acknowledged = {
    users: [] as Array<{ userId: string; token: string }>,
    events: [] as string[],
    registrations: [] as Array<{ eventId: string; userId: string }>,
  };

  async function startDev() {
    const { child, base, output } = await startDevProcess({
      apiPort: ports.api,
      env: {
        DYNAMODB_LOCAL_PORT: String(ports.dynamo),
        JWT_SECRET,
        TABLE_DESIGN: design,
        TABLE_NAME: "faults",
        TABLELAB_DATA_DIR: dataDir,
      },
    });
    groups.push(child.pid as number);
    const javaPid = devJavaPid(dataDir, ports.dynamo);
    javaPids.push(javaPid);
    return { child, base, javaPid, output };
  }

  const post = (base: string, path: string, body: unknown, token?: string, key?: string) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token && { authorization: `Bearer ${token}` }),
        ...(key && { "idempotency-key": key }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  /**
   * Workers sign up, create events and register, recording every 201, until the API stops answering.
   * Returns once `killAfter` writes were acknowledged (the caller kills) and then all workers have ended.
   */
  async function writeLoad(base: string, killAfter: number, kill: () => void) {
    let sequence = 0;
    let killed = false;
    const acks = () => acknowledged.users.length + acknowledged.events.length + acknowledged.registrations.length;
    const worker = async (id: number) => {
      for (;;) {
        const n = sequence++;
        try {
          const signUp = await post(base, "/users", { email: `load-${n}@example.com`, name: `Load ${n}` });
          if (signUp.status !== 201) throw new Error(`sign-up: ${signUp.status}`);
          const { user, token } = await json<{ user: { userId: string }; token: string }>(signUp);
          acknowledged.users.push({ userId: user.userId, token });
          if (n % 3 === 0) {
            const event = await post(
              base,
              "/events",
              { name: `Event ${n}`, date: "2027-10-01", capacity: 50 },
              token,
              `e-${n}`,
            );
            if (event.status !== 201) throw new Error(`event: ${event.status}`);
            acknowledged.events.push((await json<{ eventId: string }>(event)).eventId);
          }
          for (const eventId of acknowledged.events.slice(-2)) {
            const registration = await post(
              base,
              `/events/${eventId}/registrations`,
              undefined,
              token,
              `r-${n}-${eventId}`,
            );
            if (registration.status !== 201) throw new Error(`registration: ${registration.status}`);
            acknowledged.registrations.push({ eventId, userId: user.userId });
          }
        } catch (error) {
          // Only the kill may stop a worker: anything else is a failure of the load itself.
          if (!killed) throw new Error(`worker ${id} failed before the kill: ${(error as Error).message}`);
          return;
        }
        if (!killed && acks() >= killAfter) {
          killed = true;
          kill();
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, id) => worker(id)));
  }

  async function verifyAcknowledged(base: string) {
    for (const { userId } of acknowledged.users) {
      expect((await fetch(`${base}/users/${userId}`)).status, `user ${userId}`).toBe(200);
    }
    for (const eventId of acknowledged.events) {
      const registered = new Set<string>();
      let cursor: string | null = null;
      do {
        const page: Response = await fetch(
          `${base}/events/${eventId}/registrations?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        expect(page.status, `event ${eventId}`).toBe(200);
        const body = await json<{ items: Array<{ userId: string }>; cursor: string | null }>(page);
        for (const item of body.items) registered.add(item.userId);
        cursor = body.cursor;
      } while (cursor);
      const expected = acknowledged.registrations.filter((r) => r.eventId === eventId).map((r) => r.userId);
      expect(
        expected.filter((userId) => !registered.has(userId)),
        `lost registrations of ${eventId}`,
      ).toEqual([]);
    }
  }

  async function integrity() {
    const clients = createDynamoClients({ endpoint: `http://127.0.0.1:${ports.dynamo}` });
    try {
      return await checkIntegrity({
        design,
        document: clients.document,
        tableNames: defaultTableNames(design, "faults"),
      });
    } finally {
      clients.destroy();
    }
  }

  beforeAll(async () => {
    ports = { api: await freePort(), dynamo: await freePort() };
  });

  afterAll(() => {
    for (const group of groups) {
      for (const pid of processGroup(group)) process.kill(pid, "SIGKILL");
    }
    for (const pid of javaPids)
      if (alive(pid) && commandLine(pid).includes("DynamoDBLocal")) process.kill(pid, "SIGKILL");
  });

  it("loses no acknowledged write when the whole process group is killed, and the data passes the check", async () => {
    const first = await startDev();
    const group = first.child.pid as number;
    await writeLoad(first.base, 40, () => process.kill(-group, "SIGKILL"));
    await until(() => processGroup(group).length === 0, 10_000, "the killed group to be gone");
    expect(acknowledged.users.length).toBeGreaterThan(0);
    expect(acknowledged.registrations.length).toBeGreaterThan(0);
    // Left behind: the next start must find its owner dead and clear the claim.
    expect(existsSync(join(dataDir, "run", `dynamodb-${ports.dynamo}.json`))).toBe(true);

    const second = await startDev();
    await verifyAcknowledged(second.base);
    const report = await integrity();
    expect(report.violations).toEqual([]);
    expect(report.counts.users).toBeGreaterThanOrEqual(acknowledged.users.length);
    expect(report.counts.registrations).toBeGreaterThanOrEqual(acknowledged.registrations.length);
  }, 150_000);

  it("stops the DynamoDB Local a killed run left behind (recorded with its start time) and serves the same data", async () => {
    const group = groups.at(-1) as number;
    const orphan = javaPids.at(-1) as number;
    // Everything but java dies, as when the orchestrator and its server are killed and the JVM survives.
    for (const pid of processGroup(group)) if (pid !== orphan) process.kill(pid, "SIGKILL");
    await until(() => processGroup(group).every((pid) => pid === orphan), 10_000, "all but java to be gone");
    expect(alive(orphan)).toBe(true);

    const third = await startDev();
    expect(third.output()).toContain(`pid ${orphan}`);
    expect(alive(orphan)).toBe(false);
    expect(third.javaPid).not.toBe(orphan);
    await verifyAcknowledged(third.base);
    expect((await integrity()).violations).toEqual([]);

    const exited = new Promise((resolve) => third.child.once("exit", resolve));
    process.kill(-(third.child.pid as number), "SIGINT");
    await exited;
    expect(alive(third.javaPid)).toBe(false);
  }, 120_000);
});
