/**
 * Cold-start probe, run in a fresh `node` process per measurement (compiled to plain .mjs first, so no loader
 * sits between node and the bundle):  node probe.mjs <bundle.mjs> <eventId>
 * Measures the handler module's import (what Lambda's init phase does) and the first response to a synthetic
 * API Gateway HTTP API (payload 2.0) event for GET /events/{eventId}; prints one JSON line.
 */
import { pathToFileURL } from "node:url";

const [bundle, eventId] = process.argv.slice(2);
if (!bundle || !eventId) throw new Error("usage: probe.mjs <bundle.mjs> <eventId>");

const path = `/events/${eventId}`;
const event = {
  version: "2.0",
  routeKey: "$default",
  rawPath: path,
  rawQueryString: "",
  headers: { host: "abc123.execute-api.eu-west-1.amazonaws.com", accept: "application/json" },
  body: null,
  isBase64Encoded: false,
  requestContext: {
    accountId: "123456789012",
    apiId: "abc123",
    domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
    domainPrefix: "abc123",
    http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "bench" },
    requestId: "bench-1",
    routeKey: "$default",
    stage: "$default",
    time: "25/Nov/2026:10:00:00 +0000",
    timeEpoch: 1795600000000,
  },
};
const context = { awsRequestId: "bench-1", functionName: "bench", getRemainingTimeInMillis: () => 10_000 };

const started = performance.now();
const module = (await import(pathToFileURL(bundle).href)) as {
  handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body?: string }>;
};
const imported = performance.now();
const response = await module.handler(event, context);
const answered = performance.now();

process.stdout.write(
  `${JSON.stringify({
    probe: true,
    /** node's own start-up, before this script ran (same for every bundle). */
    bootMs: started,
    importMs: imported - started,
    firstResponseMs: answered - imported,
    statusCode: response.statusCode,
    body: response.body,
  })}\n`,
);
// Keep-alive sockets would hold the process open; a Lambda environment is frozen here instead.
process.exit(0);
