import { describe, expect, it } from "vitest";
import { DESIGNS } from "../support/database.js";
import { type Reply, useTestApp } from "../support/http.js";
import { createResponseValidator, type SentResponse } from "../support/openapi.js";

/**
 * The harness holds every reply of the HTTP suite to the served document (test/support/openapi.ts). These tests
 * show that the check can fail: on the document as it was (GET /openapi.json's 200 typed as a string, the mistake
 * a validating proxy found) and on each kind of mismatch it looks for.
 */
describe.each(DESIGNS)("the response validator (%s design)", (design) => {
  const t = useTestApp(design, "http-openapi-validator");

  const sent = (method: string, url: string, reply: Reply, changes: Partial<SentResponse> = {}): SentResponse => ({
    method,
    url,
    status: reply.status,
    headers: reply.headers,
    text: reply.text,
    ...changes,
  });

  it("accepts the real responses, and rejects them against the document as it was", async () => {
    const reply = await t().get("/openapi.json");
    const document = reply.body;
    expect(createResponseValidator(document).problems(sent("GET", "/openapi.json", reply))).toEqual([]);

    const asItWas = structuredClone(document);
    asItWas.paths["/openapi.json"].get.responses["200"].content["application/json"].schema = { type: "string" };
    expect(createResponseValidator(asItWas).problems(sent("GET", "/openapi.json", reply))).toEqual([
      expect.stringMatching(/^GET \/openapi\.json → 200: body .*must be string/),
    ]);
  });

  it("reports an undocumented status, header or media type, a missing required header and a wrong body", async () => {
    const document = (await t().get("/openapi.json")).body;
    const validator = createResponseValidator(document);
    const { user } = await t().signUp();
    const path = `/users/${user.userId}`;
    const reply = await t().get(path);
    expect(validator.problems(sent("GET", path, reply))).toEqual([]);

    const headers = (change: (headers: Headers) => void) => {
      const copy = new Headers(reply.headers);
      change(copy);
      return copy;
    };
    const cases: Array<[Partial<SentResponse>, RegExp]> = [
      [{ status: 418 }, /status not documented/],
      [{ headers: headers((h) => h.set("X-Secret-Cost", "1")) }, /header x-secret-cost sent but not documented/],
      [{ headers: headers((h) => h.delete("X-Request-Id")) }, /required header X-Request-Id missing/],
      [{ headers: headers((h) => h.set("X-Db-Requests", "many")) }, /header X-Db-Requests=many/],
      [{ headers: headers((h) => h.set("Content-Type", "text/plain")) }, /content type text\/plain not documented/],
      [{ text: JSON.stringify({ ...reply.body, createdAt: "yesterday" }) }, /must match format "date-time"/],
      [{ text: JSON.stringify({ ...reply.body, email: "not an address" }) }, /must match format "idn-email"/],
    ];
    for (const [change, problem] of cases) {
      expect(validator.problems(sent("GET", path, reply, change)), String(problem)).toEqual([
        expect.stringMatching(problem),
      ]);
    }
  });
});
