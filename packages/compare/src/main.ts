import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type CompareOptions, parseCompareArgs, UsageError, usage } from "./args.js";
import type { Prices } from "./billing.js";
import { type Progress, silentProgress, terminalProgress } from "./progress.js";
import { findings } from "./report/findings.js";
import { renderHtml } from "./report/html.js";
import { renderJson } from "./report/json.js";
import { renderMarkdown } from "./report/markdown.js";
import { type ComparisonResult, RefusalError, runComparison } from "./run.js";

export const PRICES_FILE = join(dirname(fileURLToPath(import.meta.url)), "..", "prices.json");

export function loadPrices(file = PRICES_FILE): Prices {
  return JSON.parse(readFileSync(file, "utf8")) as Prices;
}

/** Writes the three reports; returns their paths. */
export function writeReports(result: ComparisonResult, directory: string): string[] {
  mkdirSync(directory, { recursive: true });
  const found = findings(result);
  const files: Array<[string, string]> = [
    ["compare.json", renderJson(result, found)],
    ["compare.md", renderMarkdown(result, found)],
    ["compare.html", renderHtml(result, found)],
  ];
  return files.map(([name, content]) => {
    const path = join(directory, name);
    writeFileSync(path, content);
    return path;
  });
}

export interface MainIo {
  out: (line: string) => void;
  err: (line: string) => void;
  progress?: Progress;
  /** Where relative `--out` paths resolve (the directory `pnpm compare` was run from). */
  cwd?: string;
  signal?: AbortSignal;
}

const defaultIo: MainIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** The whole command; returns the exit code (0 ok, 1 failure, 2 usage or refusal). */
export async function main(argv: string[], io: MainIo = defaultIo): Promise<number> {
  let options: CompareOptions | "help";
  try {
    options = parseCompareArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${error.message} (see pnpm compare --help)`);
    return 2;
  }
  if (options === "help") {
    io.out(usage());
    return 0;
  }
  const progress = options.progress ? (io.progress ?? terminalProgress()) : silentProgress;
  try {
    const result = await runComparison(options, loadPrices(), {
      progress,
      log: io.err,
      ...(io.signal && { signal: io.signal }),
    });
    const paths = writeReports(result, resolve(io.cwd ?? process.env.INIT_CWD ?? process.cwd(), options.out));
    io.out(summary(result));
    io.out(`reports: ${paths.join(", ")}`);
    return 0;
  } catch (error) {
    if (error instanceof RefusalError) {
      io.err(error.message);
      return 2;
    }
    io.err(`compare failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

function summary(result: ComparisonResult): string {
  const lines = [`compare: ${result.meta.designs.join(" vs ")} in ${(result.meta.durationMs / 1000).toFixed(1)} s`];
  lines.push(
    "AP    " + result.designs.map((d) => `${d.design.padEnd(8)} req  RCU*   WCU*   p50ms`.padEnd(34)).join(""),
  );
  const patterns = result.designs[0]?.patterns.map((p) => p.pattern) ?? [];
  for (const pattern of patterns) {
    const cells = result.designs.map((design) => {
      const stats = design.patterns.find((p) => p.pattern === pattern);
      if (!stats) return "".padEnd(34);
      return `${"".padEnd(8)} ${fmt(stats.requestsPerOp)} ${fmt(stats.billedReadUnitsPerOp)} ${fmt(stats.billedWriteUnitsPerOp)} ${fmt(stats.latencyMs.p50)}`.padEnd(
        34,
      );
    });
    lines.push(`${pattern.padEnd(6)}${cells.join("")}`);
  }
  lines.push(
    `(* billed by AWS's rules; this endpoint reported a one-item transaction as ${result.meta.calibration.reportedTransactWrite} WCU, so transaction units × ${result.meta.calibration.transactionFactor})`,
  );
  return lines.join("\n");
}

const fmt = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2)).padStart(5);
