import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { ScanProgress } from "./types.js";

export type Item = Record<string, unknown>;

/** DescribeTable's ItemCount: only an estimate (AWS refreshes it about every six hours). Fails if there is no table. */
export async function estimatedItemCount(document: DynamoDBDocumentClient, table: string): Promise<number> {
  const { Table } = await document.send(new DescribeTableCommand({ TableName: table }));
  return Table?.ItemCount ?? 0;
}

/**
 * Every item of a table, by a paginated parallel Scan (`segments` workers, each following its own
 * LastEvaluatedKey). Strongly consistent reads. The integrity checker is an offline admin tool: this is the one
 * place a Scan is right, and it runs inside `runAsAdmin` so the test suite's "no Scan" guard can tell it apart.
 */
export async function scanTable(
  document: DynamoDBDocumentClient,
  table: string,
  options: { segments: number; pageSize?: number | undefined; estimated: number },
  onItems: (items: Item[]) => void,
  onProgress?: (progress: ScanProgress) => void,
): Promise<number> {
  let scanned = 0;
  const segment = async (index: number) => {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await document.send(
        new ScanCommand({
          TableName: table,
          Segment: index,
          TotalSegments: options.segments,
          ConsistentRead: true,
          ...(options.pageSize !== undefined && { Limit: options.pageSize }),
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      const items = (page.Items ?? []) as Item[];
      scanned += items.length;
      onItems(items);
      onProgress?.({ table, scanned, estimated: options.estimated });
      start = page.LastEvaluatedKey;
    } while (start);
  };
  await Promise.all(Array.from({ length: options.segments }, (_, index) => segment(index)));
  return scanned;
}
