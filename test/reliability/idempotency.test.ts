import { createApp, idempotencyRunnerFor, mintToken, silentLogger } from "@tablelab/api";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, DESIGNS, type TestDatabase } from "../support/database.js";

const SECRET = "idempotency-secret";

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe.each(DESIGNS)("Idempotency-Key (%s design)", (design) => {
  let db: TestDatabase;
  let app: ReturnType<typeof createApp>;
  let token: string;
  let organizerId: string;

  beforeAll(async () => {
    db = await createTestDatabase(design, "idem");
    app = createApp({
      store: db.storeWith({ cursorSecret: SECRET }),
      jwtSecret: SECRET,
      dbMetrics: true,
      corsOrigins: [],
      logger: silentLogger,
      now: () => new Date(),
      idempotency: idempotencyRunnerFor({ design, tableNames: db.tableNames }, db.clients),
    });
    const organizer = await db.store.createUser({ email: `organizer-${design}@example.com`, name: "Organizer" });
    organizerId = organizer.userId;
    token = await mintToken(organizer.userId, SECRET);
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(body),
    });

  const eventsOf = async (userId: string) => (await db.store.listEventsByOrganizer(userId, { limit: 100 })).items;

  it("20 concurrent requests with one key write once; each gets the 201 or request_in_progress", async () => {
    const body = { name: "Once only", date: "2027-05-01", capacity: 10 };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post("/events", body, { "idempotency-key": "create-once" })),
    );
    const created = responses.filter((response) => response.status === 201);
    const inProgress = responses.filter((response) => response.status === 409);
    expect(created.length + inProgress.length).toBe(20);
    expect(created.length).toBeGreaterThanOrEqual(1);
    const bodies = new Set(await Promise.all(created.map((response) => response.text())));
    expect(bodies.size).toBe(1);
    for (const response of inProgress) {
      expect(await errorCode(response)).toBe("request_in_progress");
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    }
    expect((await eventsOf(organizerId)).filter((event) => event.name === "Once only")).toHaveLength(1);
  });

  it("a replay after completion returns the original response and writes nothing", async () => {
    const body = { name: "Replayed", date: "2027-05-02", capacity: 3 };
    const first = await post("/events", body, { "idempotency-key": "replay-me" });
    expect(first.status).toBe(201);
    const original = await first.text();
    const replay = await post("/events", body, { "idempotency-key": "replay-me" });
    expect(replay.status).toBe(201);
    expect(await replay.text()).toBe(original);
    expect(replay.headers.get("location")).toBe(first.headers.get("location"));
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("x-db-write-units")).toBe("0");
    expect((await eventsOf(organizerId)).filter((event) => event.name === "Replayed")).toHaveLength(1);
  });

  it("the same key with another body, or from another caller, is 422 idempotency_mismatch", async () => {
    const first = await post(
      "/events",
      { name: "Original", date: "2027-05-03", capacity: 3 },
      { "idempotency-key": "k-1" },
    );
    expect(first.status).toBe(201);
    const otherBody = await post(
      "/events",
      { name: "Different", date: "2027-05-03", capacity: 3 },
      { "idempotency-key": "k-1" },
    );
    expect(otherBody.status).toBe(422);
    expect(await errorCode(otherBody)).toBe("idempotency_mismatch");

    const stranger = await db.store.createUser({ email: `stranger-${design}@example.com`, name: "Stranger" });
    const otherCaller = await app.request("/events", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await mintToken(stranger.userId, SECRET)}`,
        "idempotency-key": "k-1",
      },
      body: JSON.stringify({ name: "Original", date: "2027-05-03", capacity: 3 }),
    });
    expect(otherCaller.status).toBe(422);
    expect(await eventsOf(stranger.userId)).toHaveLength(0);
    expect((await eventsOf(organizerId)).filter((event) => event.name === "Different")).toHaveLength(0);
  });

  it("a failed request is not kept: its retry runs again", async () => {
    const taken = await post(
      "/users",
      { email: `organizer-${design}@example.com`, name: "Dup" },
      { "idempotency-key": "signup-1" },
    );
    expect(taken.status).toBe(409);
    const retry = await post(
      "/users",
      { email: `organizer-${design}@example.com`, name: "Dup" },
      { "idempotency-key": "signup-1" },
    );
    expect(retry.status).toBe(409);
    expect(await errorCode(retry)).toBe("email_taken");
  });

  it("registrations: a retried POST returns the same registration, registeredCount counts it once", async () => {
    const created = await post("/events", { name: "Seats", date: "2027-05-04", capacity: 5 });
    const { eventId } = (await created.json()) as { eventId: string };
    const attendee = await db.store.createUser({ email: `attendee-${design}@example.com`, name: "Attendee" });
    const attendeeToken = await mintToken(attendee.userId, SECRET);
    const register = () =>
      app.request(`/events/${eventId}/registrations`, {
        method: "POST",
        headers: { authorization: `Bearer ${attendeeToken}`, "idempotency-key": "reg-1" },
      });
    const first = await register();
    const second = await register();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(await second.text()).toBe(await first.text());
    expect((await db.store.getEvent(eventId)).registeredCount).toBe(1);
  });

  it("rejects a malformed key with 400 before doing anything", async () => {
    const response = await post(
      "/events",
      { name: "Bad key", date: "2027-05-05", capacity: 1 },
      { "idempotency-key": "has spaces!" },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("x-db-requests")).toBe("1"); // the caller's existence check only
    expect((await eventsOf(organizerId)).filter((event) => event.name === "Bad key")).toHaveLength(0);
  });
});
