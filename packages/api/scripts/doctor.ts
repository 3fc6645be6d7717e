import { createDynamoClients, measure, STATED_P99_LAG_MS } from "@tablelab/core";
import { checkIntegrity, type IntegrityReport, type ScanProgress, type Violation } from "@tablelab/core/doctor";
import cliProgress from "cli-progress";
import { cli, resolveScriptTarget, TARGET_HELP, UsageError } from "./local.js";

/**
 * `pnpm check-integrity` (root script; this file keeps its first name): checks the invariants of a table design's data (see `checkIntegrity` in @tablelab/core/doctor)
 * and prints a summary. Same environment as the API: TABLE_DESIGN, COPIES (what registrations' copies must look
 * like: none, sync or stream; the design's default), TABLE_NAME (the table, or the multi-table
 * prefix), DYNAMODB_ENDPOINT (default: the DynamoDB of the running `pnpm dev`; any endpoint works, AWS's included;
 * under `pnpm sst shell`, the stage's tables).
 * Under COPIES=stream, stale copies found are checked again after the consumer's stated lag (see STREAM_SETTLE_MS).
 * `--json` prints the whole report as JSON instead. Exit code 0: no violation; 1: violations; 2: the check
 * could not run (no such table, endpoint unreachable).
 */
const SHOWN_PER_KIND = 20;

const program = cli("check-integrity")
  .description(
    "Reads every item of the design's tables (a parallel Scan) and checks the invariants the API relies on. " +
      "Exit code 0: every invariant holds; 1: violations; 2: the check could not run.",
  )
  .option("--json", "print the whole report, every violation, as JSON", false)
  .addHelpText("after", TARGET_HELP)
  // Could not run: an unknown option is exit code 2 as well (--help stays 0).
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .parse();

function progressReporter(): { onProgress: (progress: ScanProgress) => void; stop: () => void } {
  const tables = new Map<string, ScanProgress>();
  const totals = () => {
    let scanned = 0;
    let estimated = 0;
    for (const table of tables.values()) {
      scanned += table.scanned;
      estimated += Math.max(table.estimated, table.scanned);
    }
    return { scanned, estimated };
  };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: "scanning {bar} {value}/{total} items | {table}", hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let stopped = false;
    return {
      onProgress(progress) {
        tables.set(progress.table, progress);
        const { scanned, estimated } = totals();
        if (!started) {
          bar.start(estimated, scanned, { table: progress.table });
          started = true;
        } else {
          bar.setTotal(estimated);
          bar.update(scanned, { table: progress.table });
        }
      },
      stop: () => {
        if (started && !stopped) bar.stop();
        stopped = true;
      },
    };
  }
  // Not a terminal (CI, a pipe): a line every few seconds instead of a bar.
  let last = Date.now();
  return {
    onProgress(progress) {
      tables.set(progress.table, progress);
      if (Date.now() - last < 5000) return;
      last = Date.now();
      const { scanned, estimated } = totals();
      console.error(`scanned ${scanned} of about ${estimated} items (${progress.table})`);
    },
    stop: () => {},
  };
}

function printSummary(report: IntegrityReport, cost: { requests: number; readUnits: number }) {
  const { counts } = report;
  console.log(
    `${counts.items} items: ${counts.users} users, ${counts.emailMarkers} email markers, ${counts.events} events, ` +
      `${counts.seats} seats, ${counts.registrations} registrations, ${counts.idempotencyRecords} idempotency records, ${counts.unreadable} unreadable`,
  );
  console.log(`cost: ${cost.requests} requests, ${cost.readUnits} read units`);
  if (report.ok) {
    console.log("OK: every invariant holds");
    return;
  }
  const byKind = new Map<string, Violation[]>();
  for (const violation of report.violations) {
    byKind.set(violation.kind, [...(byKind.get(violation.kind) ?? []), violation]);
  }
  console.log(`FAILED: ${report.violations.length} violations`);
  for (const [kind, violations] of byKind) {
    console.log(`\n${kind} (${violations.length})`);
    for (const violation of violations.slice(0, SHOWN_PER_KIND)) {
      console.log(`  ${violation.table} ${JSON.stringify(violation.key)}: ${violation.message}`);
    }
    if (violations.length > SHOWN_PER_KIND)
      console.log(`  … and ${violations.length - SHOWN_PER_KIND} more (--json lists all)`);
  }
}

/**
 * COPIES=stream: a copy found stale may be a change the stream consumer has not applied yet. Such a copy is
 * checked again once the consumer's stated p99 lag has passed since the first pass; only a copy still stale then is
 * reported (as the whole second pass: a second full scan, paid only when the first found stale copies).
 */
const STREAM_SETTLE_MS = STATED_P99_LAG_MS;

const staleCopies = (report: IntegrityReport) =>
  report.violations.filter((violation) => violation.kind === "stale_copy").length;

const copiesCount = (count: number) => `${count} ${count === 1 ? "copy" : "copies"}`;

/** The line that says what the second pass found, with both counts. */
function settledMessage(first: number, second: number): string {
  const waited = `${STREAM_SETTLE_MS / 1000} s later (the stream consumer's stated p99 lag)`;
  if (second === 0)
    return `COPIES=stream: the ${copiesCount(first)} stale on the first pass ${first === 1 ? "was" : "were"} current ${waited}: changes the consumer had not applied yet, not violations`;
  return (
    `COPIES=stream: ${copiesCount(first)} stale on the first pass, ${second} still stale ${waited}: the consumer is behind ` +
    "or not running (pnpm dev starts it with COPIES=stream; on AWS the stage's copy consumer function), or the " +
    "copies were written outside the API"
  );
}

async function main(): Promise<number> {
  const json = (program.opts() as { json: boolean }).json;
  const { config, where } = await resolveScriptTarget();
  // An offline tool: patient timeouts and retries (a 1 MB Scan page on a busy table may take a while).
  const clients = createDynamoClients({ ...config.dynamo, metrics: true, requestTimeoutMs: 30_000, maxAttempts: 5 });
  const tableList = Object.values(config.tableNames).join(", ");
  if (!json)
    console.log(
      `tablelab integrity check: ${config.design} design, copies ${config.copies}, on ${where}, table(s) ${tableList}`,
    );
  let progress = json ? undefined : progressReporter();
  const check = () =>
    checkIntegrity({
      design: config.design,
      copies: config.copies,
      document: clients.document,
      tableNames: config.tableNames,
      ...(progress && { onProgress: progress.onProgress }),
    });
  try {
    let settled: { first: number; second: number } | undefined;
    const { result: report, meter } = await measure(async () => {
      const first = await check();
      progress?.stop();
      if (config.copies !== "stream" || staleCopies(first) === 0) return first;
      if (!json)
        console.log(
          `COPIES=stream: ${copiesCount(staleCopies(first))} stale on the first pass; checking again in ` +
            `${STREAM_SETTLE_MS / 1000} s, once the stream consumer has had its stated p99 lag to apply pending changes`,
        );
      await new Promise((resolve) => setTimeout(resolve, STREAM_SETTLE_MS));
      progress = json ? undefined : progressReporter();
      const second = await check();
      settled = { first: staleCopies(first), second: staleCopies(second) };
      return second;
    });
    progress?.stop();
    if (json) console.log(JSON.stringify(report, null, 2));
    else {
      printSummary(report, { requests: meter.requests, readUnits: meter.readUnits });
      if (settled) console.log(`\n${settledMessage(settled.first, settled.second)}`);
    }
    return report.ok ? 0 : 1;
  } finally {
    progress?.stop();
    clients.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const name = (error as { name?: string }).name;
    const message = error instanceof Error ? error.message : String(error);
    console.error(
      error instanceof UsageError
        ? message
        : name === "ResourceNotFoundException"
          ? `no such table (${message}): check TABLE_DESIGN and TABLE_NAME`
          : `the check could not run: ${name ? `${name}: ` : ""}${message}`,
    );
    process.exit(2);
  },
);
