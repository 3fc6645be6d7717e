import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { type DesignVariant, parseVariantList, UnknownVariantError, VARIANT_NAMES } from "./variants.js";

/** `pnpm compare` flags. Sizes default to the "around 2,000 users, 1,000 events, 20,000 registrations". */
export interface CompareOptions {
  /** Unset: start DynamoDB Local. Set (or `region` set): an endpoint this tool did not start. */
  endpoint?: string;
  region?: string;
  yes: boolean;
  keep: boolean;
  users: number;
  events: number;
  registrations: number;
  ops: number;
  concurrency: number;
  seed: string;
  out: string;
  /** The grid cells to run (design × copy strategy), in the grid's order. */
  designs: DesignVariant[];
  pageSize: number;
  /** Copies per rename of the fan-out sweep (sweep.ts); empty: no sweep. */
  sweep: number[];
  progress: boolean;
  /** A workload file (JSON or YAML, see mix/schema.ts): priced per design after the run. */
  mix?: string;
}

export const DEFAULTS = {
  users: 2000,
  events: 1000,
  registrations: 20_000,
  ops: 200,
  concurrency: 4,
  seed: "tablelab",
  out: "reports",
  pageSize: 20,
  /** Copies per rename the sweep measures; `--quick` leaves out the last (largest) point. */
  sweep: [10, 100, 1000, 5000],
} as const;

export class UsageError extends Error {}

function integer(min: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min) {
      throw new InvalidArgumentError(`must be an integer ≥ ${min}.`);
    }
    return number;
  };
}

function designList(value: string): DesignVariant[] {
  try {
    return parseVariantList(value);
  } catch (error) {
    if (error instanceof UnknownVariantError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

function sizeList(value: string): number[] {
  const sizes = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(Number);
  if (sizes.length === 0 || sizes.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new InvalidArgumentError("must be a comma-separated list of integers ≥ 1.");
  }
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function url(value: string): string {
  try {
    new URL(value);
  } catch {
    throw new InvalidArgumentError("must be a URL.");
  }
  return value;
}

/** The command definition: the single source of the flags, their defaults and the `--help` text. */
function program(output: { out: (text: string) => void; err: (text: string) => void }): Command {
  return new Command("pnpm compare")
    .description(
      "Seeds one data set into every table design, runs AP1–AP16 on each with DynamoDB's consumed capacity " +
        "metered, and writes <out>/compare.json, <out>/compare.md and <out>/compare.html (verdict, your own " +
        "workload mix, AWS latency estimate, scale and hot partitions, table layout). Method: docs/comparison.md.",
    )
    .helpOption("-h, --help", "this text")
    .addOption(new Option("--users <n>", "users to seed").argParser(integer(1)).default(DEFAULTS.users))
    .addOption(
      new Option("--events <n>", "events to seed, over 12 months").argParser(integer(1)).default(DEFAULTS.events),
    )
    .addOption(
      new Option("--registrations <n>", "registrations to seed; some events end up full")
        .argParser(integer(0))
        .default(DEFAULTS.registrations),
    )
    .addOption(
      new Option("--ops <n>", "operations per access pattern and design").argParser(integer(1)).default(DEFAULTS.ops),
    )
    .addOption(
      new Option("--concurrency <n>", "operations in flight").argParser(integer(1)).default(DEFAULTS.concurrency),
    )
    .addOption(new Option("--seed <s>", "seed of the data set and of every workload choice").default(DEFAULTS.seed))
    .addOption(
      new Option(
        "--designs <list>",
        `comma-separated grid cells (design+copies): ${VARIANT_NAMES.join(", ")}; a design alone (single, multi) ` +
          "means it with all three copy strategies",
      )
        .argParser(designList)
        .default(parseVariantList(VARIANT_NAMES.join(",")), "all six"),
    )
    .addOption(
      new Option(
        "--sweep <sizes>",
        "fan-out sweep: copies per rename to measure, comma-separated (an event renamed with that many registrations, per design)",
      )
        .argParser(sizeList)
        .default([...DEFAULTS.sweep], DEFAULTS.sweep.join(",")),
    )
    .addOption(new Option("--no-sweep", "skip the fan-out sweep"))
    .addOption(new Option("--quick", `leave out the sweep's largest point (${DEFAULTS.sweep.at(-1)} copies)`))
    .addOption(
      new Option("--page-size <n>", "page size of the list patterns").argParser(integer(1)).default(DEFAULTS.pageSize),
    )
    .addOption(
      new Option(
        "--mix <file>",
        "your workload (JSON or YAML: operations per month per AP, or shares + total; item counts; " +
          "registrations per event), priced per design (default: the built-in presets only)",
      ),
    )
    .addOption(new Option("--out <dir>", "report directory").default(DEFAULTS.out))
    .addOption(
      new Option("--endpoint <url>", "use this DynamoDB endpoint instead of starting DynamoDB Local").argParser(url),
    )
    .addOption(new Option("--region <region>", "AWS region (a real AWS account: credentials from the environment)"))
    .addOption(new Option("--yes", "required to create tables on an endpoint this tool did not start"))
    .addOption(new Option("--keep", "keep the tables at the end (default: delete the tables this run created)"))
    .addOption(new Option("--no-progress", "no progress bars"))
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: output.out, writeErr: output.err, outputError: () => {} });
}

/** The `--help` text. */
export function usage(): string {
  return program({ out: () => {}, err: () => {} }).helpInformation();
}

/**
 * Parses argv (without node and the script). Returns "help" for -h/--help; throws UsageError with a one-line
 * message (commander's, e.g. "error: unknown option '--bogus'") for anything it rejects.
 */
export function parseCompareArgs(argv: string[]): CompareOptions | "help" {
  if (argv.includes("-h") || argv.includes("--help")) return "help";
  const command = program({ out: () => {}, err: () => {} });
  try {
    command.parse(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) throw new UsageError(error.message.replace(/\n[\s\S]*$/, ""));
    throw error;
  }
  const values = command.opts<{
    users: number;
    events: number;
    registrations: number;
    ops: number;
    concurrency: number;
    seed: string;
    designs: DesignVariant[];
    pageSize: number;
    sweep: number[] | false;
    quick?: boolean;
    mix?: string;
    out: string;
    endpoint?: string;
    region?: string;
    yes?: boolean;
    keep?: boolean;
    progress: boolean;
  }>();
  return {
    ...(values.endpoint !== undefined && { endpoint: values.endpoint }),
    ...(values.region !== undefined && { region: values.region }),
    ...(values.mix !== undefined && { mix: values.mix }),
    yes: values.yes ?? false,
    keep: values.keep ?? false,
    users: values.users,
    events: values.events,
    registrations: values.registrations,
    ops: values.ops,
    concurrency: values.concurrency,
    pageSize: values.pageSize,
    seed: values.seed,
    out: values.out,
    designs: values.designs,
    sweep: sweepSizes(values.sweep, values.quick ?? false),
    progress: values.progress,
  };
}

/** `--no-sweep`: none; `--quick`: without the largest point when more than one is asked for. */
function sweepSizes(sizes: number[] | false, quick: boolean): number[] {
  if (sizes === false) return [];
  return quick && sizes.length > 1 ? sizes.slice(0, -1) : sizes;
}
