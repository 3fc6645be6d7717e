import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type CompareOptions, parseCompareArgs, UsageError, usage } from "./args.js";
import type { Prices } from "./billing.js";
import type { Mix, MixResult } from "./mix/model.js";
import { loadMixFile, MixFileError } from "./mix/schema.js";
import { type Progress, silentProgress, terminalProgress } from "./progress.js";
import { type ReportContext, reportContext } from "./report/context.js";
import { renderHtml } from "./report/html.js";
import { renderJson } from "./report/json.js";
import { renderMarkdown } from "./report/markdown.js";
import { patternLabel } from "./report/names.js";
import { type ComparisonResult, RefusalError, runComparison } from "./run.js";

export const PRICES_FILE = join(dirname(fileURLToPath(import.meta.url)), "..", "prices.json");

export function loadPrices(file = PRICES_FILE): Prices {
  return JSON.parse(readFileSync(file, "utf8")) as Prices;
}

/** Writes the three reports; returns their paths. */
export function writeReports(context: ReportContext, directory: string): string[] {
  mkdirSync(directory, { recursive: true });
  const files: Array<[string, string]> = [
    ["compare.json", renderJson(context)],
    ["compare.md", renderMarkdown(context.result, context.found, context)],
    ["compare.html", renderHtml(context)],
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
  let custom: Mix | undefined;
  try {
    custom =
      options.mix === undefined
        ? undefined
        : loadMixFile(resolve(io.cwd ?? process.env.INIT_CWD ?? process.cwd(), options.mix));
  } catch (error) {
    if (!(error instanceof MixFileError)) throw error;
    io.err(error.message);
    return 2;
  }
  const progress = options.progress ? (io.progress ?? terminalProgress()) : silentProgress;
  try {
    const result = await runComparison(options, loadPrices(), {
      progress,
      log: io.err,
      ...(io.signal && { signal: io.signal }),
    });
    const context = reportContext(result, custom);
    const paths = writeReports(context, resolve(io.cwd ?? process.env.INIT_CWD ?? process.cwd(), options.out));
    io.out(summary(result));
    for (const mix of context.mixes) io.out(mixSummary(mix));
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
  const lines = [
    `compare: ${result.meta.designs.join(", ")} in ${(result.meta.durationMs / 1000).toFixed(1)} s`,
    "per operation: requests / billed RCU* / billed WCU*",
  ];
  const width = 19;
  lines.push("access pattern".padEnd(36) + result.designs.map((d) => d.variant.padEnd(width)).join(""));
  const patterns = result.designs[0]?.patterns.map((p) => p.pattern) ?? [];
  for (const pattern of patterns) {
    const cells = result.designs.map((design) => {
      const stats = design.patterns.find((p) => p.pattern === pattern);
      if (!stats) return "".padEnd(width);
      return `${fmt(stats.requestsPerOp)} ${fmt(stats.billedReadUnitsPerOp)} ${fmt(stats.billedWriteUnitsPerOp)}`.padEnd(
        width,
      );
    });
    lines.push(`${patternLabel(pattern).slice(0, 34).padEnd(36)}${cells.join("")}`);
  }
  for (const design of result.designs) {
    if (design.sweep.length === 0) continue;
    lines.push(
      `sweep ${design.variant.padEnd(13)} ${design.sweep
        .map((point) =>
          point.outcome === "renamed"
            ? `${point.copies}: ${point.requests} req, ${Math.round(point.billedWriteUnits)} WCU, ${point.latencyMs.toFixed(0)} ms`
            : `${point.copies}: ${point.outcome}`,
        )
        .join(" · ")}`,
    );
  }
  lines.push(
    `(* billed by AWS's rules; this endpoint reported a one-item transaction as ${result.meta.calibration.reportedTransactWrite} WCU, so transaction units × ${result.meta.calibration.transactionFactor})`,
  );
  return lines.join("\n");
}

const fmt = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2)).padStart(5);

/** A month of a mix per design, as the HTML page's mix editor shows it for the same mix. */
export function mixSummary(mix: MixResult): string {
  const lines = [
    `mix "${mix.mix.name}": ${Math.round(mix.totalOps).toLocaleString("en-US")} operations/month, ` +
      `${mix.mix.users.toLocaleString("en-US")} users, ${mix.mix.events.toLocaleString("en-US")} events, ` +
      `${mix.mix.registrationsPerEvent} registrations/event`,
  ];
  for (const design of mix.designs) {
    lines.push(
      `  ${design.id.padEnd(14)} $${design.totalCost.toFixed(2)}/month (reads $${design.readCost.toFixed(2)}, writes $${design.writeCost.toFixed(2)}, storage $${design.storageCost.toFixed(2)}), ` +
        `${Math.round(design.requests).toLocaleString("en-US")} requests, ~${design.latencyMs.toFixed(1)} ms AWS (est.)`,
    );
  }
  return lines.join("\n");
}
