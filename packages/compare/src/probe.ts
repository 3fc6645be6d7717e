import { AsyncLocalStorage } from "node:async_hooks";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * Probes for the layout view: one read of each read pattern, on the sample's own entities, with the request's key
 * condition and the items it returned recorded — so the report highlights exactly the range a request read, as
 * measured rather than as described. Only calls made inside `probe()` are recorded; the workloads never are.
 */
export interface ProbeCall {
  command: string;
  table: string;
  index?: string;
  /** The key condition with its placeholders filled in, e.g. `pk = E#01J… AND sk >= R#`; or the key read. */
  condition: string;
  limit?: number;
  /** Items returned, plain (unmarshalled) attribute values. */
  items: Array<Record<string, unknown>>;
}

const recording = new AsyncLocalStorage<ProbeCall[]>();

/** Plain value of a (possibly marshalled) attribute. */
function plain(value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [type, inner] = entries[0] as [string, unknown];
      if (type === "S" || type === "N" || type === "BOOL") return inner;
    }
  }
  return value;
}

function plainItem(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, plain(value)]));
}

type Input = Record<string, unknown> & {
  TableName?: string;
  IndexName?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  Key?: Record<string, unknown>;
  Limit?: number;
  RequestItems?: Record<string, { Keys?: Array<Record<string, unknown>> }>;
  TransactItems?: Array<{ Get?: { TableName?: string; Key?: Record<string, unknown> } }>;
};

function conditionOf(input: Input): string {
  if (input.KeyConditionExpression) {
    let text = input.KeyConditionExpression;
    for (const [name, attribute] of Object.entries(input.ExpressionAttributeNames ?? {}))
      text = text.split(name).join(attribute);
    for (const [name, value] of Object.entries(input.ExpressionAttributeValues ?? {}))
      text = text.split(name).join(JSON.stringify(plain(value)));
    return text;
  }
  const keys = (key: Record<string, unknown>) =>
    Object.entries(key)
      .map(([name, value]) => `${name} = ${JSON.stringify(plain(value))}`)
      .join(" AND ");
  if (input.Key) return keys(input.Key);
  if (input.RequestItems)
    return Object.values(input.RequestItems)
      .flatMap((request) => (request.Keys ?? []).map(keys))
      .join(" | ");
  if (input.TransactItems)
    return input.TransactItems.flatMap((item) => (item.Get?.Key ? [keys(item.Get.Key)] : [])).join(" | ");
  return "";
}

type Output = {
  Item?: Record<string, unknown>;
  Items?: Array<Record<string, unknown>>;
  Responses?: Record<string, Array<Record<string, unknown>>> | Array<{ Item?: Record<string, unknown> }>;
};

function itemsOf(output: Output | undefined): Array<Record<string, unknown>> {
  if (!output) return [];
  if (output.Item) return [plainItem(output.Item)];
  if (output.Items) return output.Items.map(plainItem);
  if (Array.isArray(output.Responses))
    return output.Responses.flatMap((response) => (response.Item ? [plainItem(response.Item)] : []));
  if (output.Responses) return Object.values(output.Responses).flat().map(plainItem);
  return [];
}

export function installProbe(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const calls = recording.getStore();
      if (!calls) return next(args);
      const input = args.input as Input;
      const result = await next(args);
      const tables = input.TableName
        ? [input.TableName]
        : Object.keys(input.RequestItems ?? {}).concat(
            (input.TransactItems ?? []).flatMap((item) => (item.Get?.TableName ? [item.Get.TableName] : [])),
          );
      calls.push({
        command: (context.commandName ?? "").replace(/Command$/, ""),
        table: tables[0] ?? "",
        ...(input.IndexName && { index: input.IndexName }),
        condition: conditionOf(input),
        ...(input.Limit !== undefined && { limit: input.Limit }),
        items: itemsOf(result.output as Output),
      });
      return result;
    },
    { step: "initialize", name: "tablelabProbe", priority: "low" },
  );
}

/** Runs `operation`, returning the calls it made (with their conditions and returned items). */
export async function probe(operation: () => Promise<unknown>): Promise<ProbeCall[]> {
  const calls: ProbeCall[] = [];
  await recording.run(calls, operation);
  return calls;
}
