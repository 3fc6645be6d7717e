import { AsyncLocalStorage } from "node:async_hooks";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * Metering: every DynamoDB call made inside `measure()` is recorded with its consumed capacity, so a test,
 * the API's X-Db-* headers and the comparison harness can all ask "what did this operation cost?" the same way.
 * It sits on the client, below both table designs, so both are measured identically.
 */
export interface DbCall {
  command: string;
  tables: string[];
  index?: string;
  readUnits: number;
  writeUnits: number;
  /** Items a transaction touched: AWS bills 2 units per item where DynamoDB Local reports 1. */
  transactionItems: number;
  ok: boolean;
  durationMs: number;
  /** `performance.now()` when the call was sent: with `durationMs`, which calls overlapped (see `roundTripDepth`). */
  startedMs: number;
  /** Made inside `runAsAdmin` (an offline admin tool such as `pnpm check-integrity`), not by the API or a benchmark. */
  admin?: true;
}

export class Meter {
  readonly calls: DbCall[] = [];
  get requests(): number {
    return this.calls.length;
  }
  get readUnits(): number {
    return round(this.calls.reduce((sum, call) => sum + call.readUnits, 0));
  }
  get writeUnits(): number {
    return round(this.calls.reduce((sum, call) => sum + call.writeUnits, 0));
  }
  get durationMs(): number {
    return this.calls.reduce((sum, call) => sum + call.durationMs, 0);
  }
  /** Round trips in sequence: what a client waits for, whatever ran in parallel (see `roundTripDepth`). */
  get roundTrips(): number {
    return roundTripDepth(this.calls);
  }
}

/**
 * The longest chain of calls where each was sent after the previous one had answered: 1 for a single call or
 * any number of calls sent together (Promise.all), n for n calls that each waited for the one before. This,
 * not the request count, is what network latency multiplies.
 */
export function roundTripDepth(calls: ReadonlyArray<Pick<DbCall, "startedMs" | "durationMs">>): number {
  const sorted = [...calls].sort((a, b) => a.startedMs - b.startedMs);
  const depth: number[] = [];
  sorted.forEach((call, index) => {
    let before = 0;
    for (let earlier = 0; earlier < index; earlier++) {
      const previous = sorted[earlier] as (typeof sorted)[number];
      if (previous.startedMs + previous.durationMs <= call.startedMs) before = Math.max(before, depth[earlier] ?? 0);
    }
    depth.push(before + 1);
  });
  return Math.max(0, ...depth);
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const scope = new AsyncLocalStorage<Meter[]>();

/** The meters of the scopes the caller is in (nested scopes each see their calls). */
function activeMeters(): Meter[] {
  return scope.getStore() ?? [];
}

/** Runs `operation` in a fresh metering scope and returns its result together with what it cost. */
export async function measure<T>(operation: () => Promise<T>): Promise<{ result: T; meter: Meter }> {
  const meter = new Meter();
  const result = await scope.run([...activeMeters(), meter], operation);
  return { result, meter };
}

/** Like `measure`, but hands the meter to the caller up front (middleware reads it after `next()`). */
export function runMetered<T>(meter: Meter, operation: () => T): T {
  return scope.run([...activeMeters(), meter], operation);
}

/**
 * Admin scope: offline tools that legitimately read a whole table (the integrity checker's parallel `Scan`) run
 * inside `runAsAdmin`, and every call they make is recorded with `admin: true`. A "no Scan" guard (an
 * `onDbCall` listener in the test suite) exempts exactly those calls, so the API's and the benchmarks' paths
 * stay Scan-free while the checker can still be tested against the same DynamoDB.
 */
const adminScope = new AsyncLocalStorage<true>();

/** Runs `operation` as an admin tool: the calls it makes carry `admin: true` (see `DbCall`). */
export function runAsAdmin<T>(operation: () => T): T {
  return adminScope.run(true, operation);
}

/** True inside `runAsAdmin`. */
export function isAdminCall(): boolean {
  return adminScope.getStore() === true;
}

/** A listener that sees every call of every client with the meter installed (tests assert "no Scan" with it). */
type CallListener = (call: DbCall) => void;
const listeners = new Set<CallListener>();
export function onDbCall(listener: CallListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const READS = new Set([
  "GetItemCommand",
  "QueryCommand",
  "ScanCommand",
  "BatchGetItemCommand",
  "TransactGetItemsCommand",
]);
const SUPPORTS_CONSUMED_CAPACITY = new Set([
  ...READS,
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
  "BatchWriteItemCommand",
  "TransactWriteItemsCommand",
]);

interface CapacityEntry {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

type CommandInput = Record<string, unknown> & {
  TableName?: string;
  IndexName?: string;
  RequestItems?: Record<string, unknown>;
  TransactItems?: Array<Record<string, { TableName?: string }>>;
};

function tablesOf(input: CommandInput): string[] {
  if (input.TableName) return [input.TableName];
  if (input.RequestItems) return Object.keys(input.RequestItems);
  if (input.TransactItems) {
    const names = input.TransactItems.flatMap((item) => Object.values(item).map((action) => action.TableName ?? ""));
    return [...new Set(names.filter(Boolean))];
  }
  return [];
}

function sumCapacity(consumed: CapacityEntry | CapacityEntry[] | undefined, isRead: boolean) {
  const entries = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
  let readUnits = 0;
  let writeUnits = 0;
  for (const entry of entries) {
    const read = entry.ReadCapacityUnits;
    const write = entry.WriteCapacityUnits;
    if (read === undefined && write === undefined) {
      if (isRead) readUnits += entry.CapacityUnits ?? 0;
      else writeUnits += entry.CapacityUnits ?? 0;
    } else {
      readUnits += read ?? 0;
      writeUnits += write ?? 0;
    }
  }
  return { readUnits, writeUnits };
}

/**
 * Installs the metering middleware. With `requestCapacity` on, it asks DynamoDB for `TOTAL` consumed capacity
 * on every command that supports it; off (production, `DB_METRICS=0`) it still counts requests.
 */
export function installMeter(client: DynamoDBClient, options: { requestCapacity: boolean }): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? "UnknownCommand";
      const input = args.input as CommandInput;
      if (options.requestCapacity && SUPPORTS_CONSUMED_CAPACITY.has(command)) {
        input.ReturnConsumedCapacity = "TOTAL";
      }
      const started = performance.now();
      const record = (output: { ConsumedCapacity?: CapacityEntry | CapacityEntry[] } | undefined, ok: boolean) => {
        const call: DbCall = {
          command: command.replace(/Command$/, ""),
          tables: tablesOf(input),
          ...(input.IndexName ? { index: input.IndexName } : {}),
          ...sumCapacity(output?.ConsumedCapacity, READS.has(command)),
          transactionItems: input.TransactItems?.length ?? 0,
          ok,
          durationMs: performance.now() - started,
          startedMs: started,
          ...(isAdminCall() ? { admin: true as const } : {}),
        };
        for (const meter of activeMeters()) meter.calls.push(call);
        for (const listener of listeners) listener(call);
      };
      try {
        const result = await next(args);
        record(result.output as { ConsumedCapacity?: CapacityEntry }, true);
        return result;
      } catch (error) {
        record(undefined, false);
        throw error;
      }
    },
    // "initialize" runs once per command, before retries: a retried call is one logical request.
    { step: "initialize", name: "tablelabMeter", priority: "high" },
  );
}
