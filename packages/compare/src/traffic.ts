import { AsyncLocalStorage } from "node:async_hooks";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { TableDefinition } from "@tablelab/core";

/**
 * Partition traffic for the hot-partition view: for every call made inside `collectTraffic()`, the partition key
 * value(s) it addressed — on the table, or on the index it queried; a Put also lands on each index whose key it
 * carries — with the call's total reported capacity (`CapacityUnits`) split evenly between them. Reported, not
 * billed, units: transactions are not doubled here; what matters is where traffic goes.
 */
export interface PartitionUnits {
  readUnits: number;
  writeUnits: number;
}

/** `tableId|index|partitionKey` (index empty for the table) → units. */
export type TrafficMap = Map<string, PartitionUnits>;

const collecting = new AsyncLocalStorage<TrafficMap>();

export function collectTraffic<T>(map: TrafficMap, operation: () => Promise<T>): Promise<T> {
  return collecting.run(map, operation);
}

function plain(value: unknown): string {
  if (value && typeof value === "object") {
    const inner = (value as { S?: unknown; N?: unknown }).S ?? (value as { N?: unknown }).N;
    if (inner !== undefined) return String(inner);
  }
  return String(value);
}

type Attrs = Record<string, unknown>;
type Input = Attrs & {
  TableName?: string;
  IndexName?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Attrs;
  Key?: Attrs;
  Item?: Attrs;
  RequestItems?: Record<
    string,
    Array<{ PutRequest?: { Item: Attrs }; DeleteRequest?: { Key: Attrs } }> | { Keys?: Attrs[] }
  >;
  TransactItems?: Array<Record<string, { TableName?: string; Key?: Attrs; Item?: Attrs }>>;
};

const READS = new Set(["GetItem", "Query", "BatchGetItem", "TransactGetItems", "Scan"]);

/** Installs the collector; `tables` maps physical table names to their definitions. */
export function installTraffic(client: DynamoDBClient, tables: () => Map<string, TableDefinition>): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const map = collecting.getStore();
      if (!map) return next(args);
      const command = (context.commandName ?? "").replace(/Command$/, "");
      const input = args.input as Input;
      const result = await next(args);
      const definitions = tables();
      const keys: string[] = [];
      const addItem = (tableName: string | undefined, item: Attrs | undefined, withIndexes: boolean) => {
        const definition = tableName ? definitions.get(tableName) : undefined;
        if (!definition || !item) return;
        const hash = item[definition.primaryIndex.hashKey];
        if (hash !== undefined) keys.push(`${definition.id}||${plain(hash)}`);
        if (!withIndexes) return;
        for (const [name, index] of Object.entries(definition.globalIndexes)) {
          const value = item[index.hashKey];
          if (value !== undefined) keys.push(`${definition.id}|${name}|${plain(value)}`);
        }
      };
      if (input.KeyConditionExpression && input.TableName) {
        const definition = definitions.get(input.TableName);
        const hashKey = input.IndexName
          ? definition?.globalIndexes[input.IndexName]?.hashKey
          : definition?.primaryIndex.hashKey;
        const placeholder =
          Object.entries(input.ExpressionAttributeNames ?? {}).find(([, name]) => name === hashKey)?.[0] ?? hashKey;
        const match = placeholder
          ? new RegExp(`(?:^|[\\s(])${placeholder.replace(/[#$]/g, "\\$&")}\\s*=\\s*(:[\\w]+)`).exec(
              input.KeyConditionExpression,
            )
          : null;
        const value = match?.[1] ? input.ExpressionAttributeValues?.[match[1]] : undefined;
        if (definition && value !== undefined) keys.push(`${definition.id}|${input.IndexName ?? ""}|${plain(value)}`);
      } else if (input.Key) addItem(input.TableName, input.Key, false);
      else if (input.Item) addItem(input.TableName, input.Item, true);
      else if (input.RequestItems) {
        for (const [tableName, request] of Object.entries(input.RequestItems)) {
          if (Array.isArray(request)) {
            for (const write of request) {
              addItem(tableName, write.PutRequest?.Item, true);
              addItem(tableName, write.DeleteRequest?.Key, false);
            }
          } else for (const key of request.Keys ?? []) addItem(tableName, key, false);
        }
      } else if (input.TransactItems) {
        for (const item of input.TransactItems)
          for (const action of Object.values(item)) addItem(action.TableName, action.Item ?? action.Key, !!action.Item);
      }
      const consumed = (
        result.output as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> }
      ).ConsumedCapacity;
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce(
        (sum, entry) => sum + (entry.CapacityUnits ?? 0),
        0,
      );
      const share = keys.length > 0 ? units / keys.length : 0;
      const isRead = READS.has(command);
      for (const key of keys) {
        const entry = map.get(key) ?? { readUnits: 0, writeUnits: 0 };
        if (isRead) entry.readUnits += share;
        else entry.writeUnits += share;
        map.set(key, entry);
      }
      return result;
    },
    { step: "initialize", name: "tablelabTraffic", priority: "low" },
  );
}

/** Per table/index: its total units and its busiest partition keys (top 5), for one pattern. */
export interface TrafficSummary {
  [tableAndIndex: string]: { total: PartitionUnits; top: Array<{ key: string } & PartitionUnits> };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

export function summarizeTraffic(map: TrafficMap): TrafficSummary {
  const groups: TrafficSummary = {};
  for (const [composite, units] of map) {
    const [table = "", index = "", ...rest] = composite.split("|");
    const name = index ? `${table}|${index}` : `${table}|`;
    const group = groups[name] ?? { total: { readUnits: 0, writeUnits: 0 }, top: [] };
    groups[name] = group;
    group.total.readUnits = round(group.total.readUnits + units.readUnits);
    group.total.writeUnits = round(group.total.writeUnits + units.writeUnits);
    group.top.push({ key: rest.join("|"), readUnits: round(units.readUnits), writeUnits: round(units.writeUnits) });
  }
  for (const group of Object.values(groups)) {
    group.top.sort(
      (a, b) => b.readUnits + 3 * b.writeUnits - (a.readUnits + 3 * a.writeUnits) || (a.key < b.key ? -1 : 1),
    );
    group.top = group.top.slice(0, 5);
  }
  return groups;
}
