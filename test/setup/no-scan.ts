import { afterAll, expect } from "vitest";
import { installScanGuard, takeUnexpectedScans } from "../support/scan-guard.js";

/**
 * A vitest setup file, so it runs in every test file. data-model.md: "No Scan, ever, in any code path the API
 * or the benchmarks use". Any Scan seen during a test file — other than the test helpers' own, marked with
 * `allowScan` — fails that file.
 */
installScanGuard();

afterAll(() => {
  expect(takeUnexpectedScans(), "a DynamoDB Scan was issued outside a test helper's allowScan scope").toEqual([]);
});
