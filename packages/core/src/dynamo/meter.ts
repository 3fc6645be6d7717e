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
  /** The call's total: its table(s) and every index together (`CapacityUnits` of each `ConsumedCapacity`). */
  readUnits: number;
  writeUnits: number;
  /** The base table(s) alone (`ConsumedCapacity.Table`, asked for with `ReturnConsumedCapacity: INDEXES`). */
  tableUnits: CapacityUnits;
  /**
   * Each secondary index apart, by index name: a Query on an index reads here, and a write that adds, changes or
   * removes an index entry writes here too — the GSI write amplification, seen apart from the table's own write.
   */
  indexUnits: Record<string, CapacityUnits>;
  /** Items a transaction touched: AWS bills 2 units per item (older DynamoDB Local releases report 1). */
  transactionItems: number;
  ok: boolean;
  /** A failed call's error name (`ConditionalCheckFailedException`, …): billing applies AWS's rule for it. */
  error?: string;
  durationMs: number;
  /** `performance.now()` when the call was sent: with `durationMs`, which calls overlapped (see `roundTripDepth`). */
  startedMs: number;
  /** Made inside `runAsAdmin` (an offline admin tool such as `pnpm check-integrity`), not by the API or a benchmark. */
  admin?: true;
}

/** Read and write capacity units, as DynamoDB reports them. */
export interface CapacityUnits {
  readUnits: number;
  writeUnits: number;
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

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

interface CapacityEntry extends Capacity {
  Table?: Capacity;
  GlobalSecondaryIndexes?: Record<string, Capacity>;
  LocalSecondaryIndexes?: Record<string, Capacity>;
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

/** One `Capacity` as read/write units: `CapacityUnits` counts as the command's kind when the split is absent. */
function unitsOf(capacity: Capacity, isRead: boolean): CapacityUnits {
  const read = capacity.ReadCapacityUnits;
  const write = capacity.WriteCapacityUnits;
  if (read === undefined && write === undefined) {
    const units = capacity.CapacityUnits ?? 0;
    return isRead ? { readUnits: units, writeUnits: 0 } : { readUnits: 0, writeUnits: units };
  }
  return { readUnits: read ?? 0, writeUnits: write ?? 0 };
}

const add = (into: CapacityUnits, units: CapacityUnits) => {
  into.readUnits += units.readUnits;
  into.writeUnits += units.writeUnits;
};

/**
 * Totals, table and per-index units of a response. An entry without `Table` (an endpoint answering `TOTAL` only)
 * counts wholly as the table's, so the split always adds up to the total.
 */
function splitCapacity(
  consumed: CapacityEntry | CapacityEntry[] | undefined,
  isRead: boolean,
): Pick<DbCall, "readUnits" | "writeUnits" | "tableUnits" | "indexUnits"> {
  const entries = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
  const total: CapacityUnits = { readUnits: 0, writeUnits: 0 };
  const tableUnits: CapacityUnits = { readUnits: 0, writeUnits: 0 };
  const indexUnits: Record<string, CapacityUnits> = {};
  for (const entry of entries) {
    const entryTotal = unitsOf(entry, isRead);
    add(total, entryTotal);
    const indexes = { ...entry.LocalSecondaryIndexes, ...entry.GlobalSecondaryIndexes };
    if (entry.Table === undefined && Object.keys(indexes).length === 0) {
      add(tableUnits, entryTotal);
      continue;
    }
    add(tableUnits, unitsOf(entry.Table ?? {}, isRead));
    for (const [name, capacity] of Object.entries(indexes)) {
      const into = indexUnits[name] ?? { readUnits: 0, writeUnits: 0 };
      add(into, unitsOf(capacity, isRead));
      indexUnits[name] = into;
    }
  }
  return { ...total, tableUnits, indexUnits };
}

/**
 * Installs the metering middleware. With `requestCapacity` on, it asks DynamoDB for `INDEXES` consumed capacity
 * (the total, and the table and each index apart) on every command that supports it; off (production,
 * `DB_METRICS=0`) it still counts requests. A failed call is recorded with its error name, and with the capacity
 * the error carries if any (neither DynamoDB Local nor AWS's error shapes carry one today: see billing.ts).
 */
export function installMeter(client: DynamoDBClient, options: { requestCapacity: boolean }): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? "UnknownCommand";
      const input = args.input as CommandInput;
      if (options.requestCapacity && SUPPORTS_CONSUMED_CAPACITY.has(command)) {
        input.ReturnConsumedCapacity = "INDEXES";
      }
      const started = performance.now();
      const record = (output: { ConsumedCapacity?: CapacityEntry | CapacityEntry[] } | undefined, error?: unknown) => {
        const call: DbCall = {
          command: command.replace(/Command$/, ""),
          tables: tablesOf(input),
          ...(input.IndexName ? { index: input.IndexName } : {}),
          ...splitCapacity(output?.ConsumedCapacity, READS.has(command)),
          transactionItems: input.TransactItems?.length ?? 0,
          ok: error === undefined,
          ...(error !== undefined ? { error: errorName(error) } : {}),
          durationMs: performance.now() - started,
          startedMs: started,
          ...(isAdminCall() ? { admin: true as const } : {}),
        };
        for (const meter of activeMeters()) meter.calls.push(call);
        for (const listener of listeners) listener(call);
      };
      try {
        const result = await next(args);
        record(result.output as { ConsumedCapacity?: CapacityEntry });
        return result;
      } catch (error) {
        record(error as { ConsumedCapacity?: CapacityEntry }, error ?? "Error");
        throw error;
      }
    },
    // "initialize" runs once per command, before retries: a retried call is one logical request.
    { step: "initialize", name: "tablelabMeter", priority: "high" },
  );
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error === "string" ? error : "Error";
}
