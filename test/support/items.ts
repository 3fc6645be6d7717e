import { ScanCommand } from "@aws-sdk/client-dynamodb";
import type { TestDatabase } from "./database.js";
import { allowScan } from "./scan-guard.js";

/**
 * Every item in every table of the design (a paginated, strongly consistent Scan with Select COUNT). The
 * stored layout differs per design, so tests compare counts before and after an operation instead of
 * expecting a number of items per entity. Test-only: the no-Scan guard lets exactly these calls through.
 */
export async function countItems(db: TestDatabase): Promise<number> {
  return allowScan(async () => {
    let total = 0;
    for (const tableName of Object.values(db.tableNames)) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.clients.client.send(
          new ScanCommand({
            TableName: tableName,
            Select: "COUNT",
            ConsistentRead: true,
            ExclusiveStartKey: startKey as never,
          }),
        );
        total += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return total;
  });
}
