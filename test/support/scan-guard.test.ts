import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { DESIGNS } from "./database.js";
import { useDatabase } from "./fixtures.js";
import { countItems } from "./items.js";
import { allowScan, takeUnexpectedScans } from "./scan-guard.js";

/** The no-Scan guard must be able to fail: it sees an unmarked Scan and only that one. */
describe("the no-Scan guard (test/setup/no-scan.ts)", () => {
  const db = useDatabase(DESIGNS[0] ?? "single", "scanguard");
  const scan = () =>
    db().clients.client.send(new ScanCommand({ TableName: Object.values(db().tableNames)[0], Limit: 1 }));

  it("records a Scan made outside allowScan, and ignores the helpers' own", async () => {
    expect(takeUnexpectedScans()).toEqual([]);
    await allowScan(scan);
    expect(await countItems(db())).toBe(0);
    expect(takeUnexpectedScans()).toEqual([]);

    // A concurrent unmarked Scan is still caught while a marked one runs.
    await Promise.all([allowScan(scan), scan()]);
    const caught = takeUnexpectedScans();
    expect(caught).toHaveLength(1);
    expect(caught[0]).toMatchObject({ command: "Scan", tables: Object.values(db().tableNames).slice(0, 1) });
  });
});
