import { describe, expect, it } from "vitest";
import { DESIGNS } from "../support/database.js";
import { type Call, expectError, useTestApp } from "../support/http.js";
import { createResponseValidator } from "../support/openapi.js";

/** A query parameter no operation lists: a misspelt one, as a client would send by mistake. */
const UNKNOWN = "limt=5";

describe.each(DESIGNS)("query parameters an operation does not list (%s design)", (design) => {
  const t = useTestApp(design, "http-query");

  it("are a 400 validation_failed on every documented operation, and nothing is written", async () => {
    const organizer = await t().signUp();
    const attendee = await t().signUp();
    const event = await t().createEvent(organizer.token);
    await t().register(attendee.token, event.eventId);
    const { userId } = organizer.user;
    const { eventId } = event;
    // Each request is otherwise valid: without the unknown parameter it would succeed.
    const requests: Array<[string, string, Call]> = [
      ["GET", "/health", {}],
      ["GET", "/openapi.json", {}],
      ["GET", "/docs", {}],
      ["GET", "/docs/swagger-ui.css", {}],
      ["POST", "/users", { json: { name: "Grace", email: `grace-${Date.now()}@example.com` } }],
      ["GET", `/users/${userId}`, {}],
      ["PATCH", `/users/${userId}`, { token: organizer.token, json: { name: "Ada" } }],
      ["GET", `/users/${userId}/events`, {}],
      ["GET", `/users/${userId}/registrations`, { token: organizer.token }],
      ["POST", "/events", { token: organizer.token, json: { name: "Talk", date: "2031-01-01", capacity: 5 } }],
      ["GET", "/events", {}],
      ["GET", `/events/${eventId}`, {}],
      ["PATCH", `/events/${eventId}`, { token: organizer.token, json: { capacity: 9 } }],
      ["DELETE", `/events/${eventId}`, { token: organizer.token }],
      ["POST", `/events/${eventId}/registrations`, { token: organizer.token }],
      ["GET", `/events/${eventId}/registrations`, {}],
      ["DELETE", `/events/${eventId}/registrations/${attendee.user.userId}`, { token: attendee.token }],
    ];

    const document = (await t().get("/openapi.json")).body;
    const validator = createResponseValidator(document);
    const covered = requests.map(([method, path]) => `${method.toLowerCase()} ${validator.templateOf(path)}`);
    const documented = Object.entries(document.paths as Record<string, object>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`),
    );
    expect(covered.sort(), "one request per documented operation").toEqual(documented.sort());

    const before = await t().countItems();
    const registered = await t().db.store.getEvent(event.eventId);
    for (const [method, path, call] of requests) {
      const reply = await t().request(method, `${path}?${UNKNOWN}`, call);
      expectError(reply, 400, "validation_failed");
      expect(reply.body.error.details, `${method} ${path}`).toEqual([{ path: "query.limt", message: "unknown field" }]);
    }
    expect(await t().countItems()).toBe(before);
    expect(await t().db.store.getEvent(eventId)).toEqual(registered);
  });

  it("answer after a JSON syntax error, as api.md's check order puts fields and query after it", async () => {
    const reply = await t().post(`/users?${UNKNOWN}`, { raw: "{", contentType: "application/json" });
    expectError(reply, 400, "invalid_json");
  });
});
