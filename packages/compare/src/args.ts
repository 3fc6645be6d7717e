import { TABLE_DESIGNS, type TableDesign } from "@tablelab/core";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";

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
  designs: TableDesign[];
  pageSize: number;
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

function designList(value: string): TableDesign[] {
  const designs = value
    .split(",")
    .map((design) => design.trim())
    .filter(Boolean);
  for (const design of designs) {
    if (!(TABLE_DESIGNS as readonly string[]).includes(design)) {
      throw new InvalidArgumentError(`unknown design "${design}" (known: ${TABLE_DESIGNS.join(", ")}).`);
    }
  }
  if (designs.length === 0) throw new InvalidArgumentError("name at least one design.");
  return [...new Set(designs)] as TableDesign[];
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
      new Option("--designs <list>", `comma-separated, of: ${TABLE_DESIGNS.join(", ")}`)
        .argParser(designList)
        .default([...TABLE_DESIGNS], "all"),
    )
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
    designs: TableDesign[];
    pageSize: number;
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
    progress: values.progress,
  };
}
