import { parseArgs } from "node:util";
import { TABLE_DESIGNS, type TableDesign } from "@tablelab/core";

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

export const USAGE = `Usage: pnpm compare [options]

Seeds one data set into every table design, runs AP1–AP16 on each, and writes
<out>/compare.json, <out>/compare.md and <out>/compare.html.

  --users <n>          users to seed (default ${DEFAULTS.users})
  --events <n>         events to seed, over 12 months (default ${DEFAULTS.events})
  --registrations <n>  registrations to seed; some events end up full (default ${DEFAULTS.registrations})
  --ops <n>            operations per access pattern and design (default ${DEFAULTS.ops})
  --concurrency <n>    operations in flight (default ${DEFAULTS.concurrency})
  --seed <s>           seed of the data set and of every workload choice (default "${DEFAULTS.seed}")
  --designs <list>     comma-separated, of: ${TABLE_DESIGNS.join(", ")} (default: all)
  --page-size <n>      page size of the list patterns (default ${DEFAULTS.pageSize})
  --out <dir>          report directory (default ${DEFAULTS.out}/)
  --endpoint <url>     use this DynamoDB endpoint instead of starting DynamoDB Local
  --region <region>    AWS region (a real AWS account: credentials from the environment)
  --yes                required to create tables on an endpoint this tool did not start
  --keep               keep the tables at the end (default: delete the tables this run created)
  --no-progress        no progress bars
  -h, --help           this text
`;

export class UsageError extends Error {}

function positive(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new UsageError(`--${name} must be an integer ≥ ${min}`);
  return number;
}

export function parseCompareArgs(argv: string[]): CompareOptions | "help" {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return "help";
  const designs = (values.designs ?? TABLE_DESIGNS.join(","))
    .split(",")
    .map((design) => design.trim())
    .filter(Boolean);
  for (const design of designs) {
    if (!(TABLE_DESIGNS as readonly string[]).includes(design)) {
      throw new UsageError(`--designs: unknown design "${design}" (known: ${TABLE_DESIGNS.join(", ")})`);
    }
  }
  if (designs.length === 0) throw new UsageError("--designs: name at least one design");
  if (values.endpoint !== undefined) {
    try {
      new URL(values.endpoint);
    } catch {
      throw new UsageError(`--endpoint must be a URL (got "${values.endpoint}")`);
    }
  }
  return {
    ...(values.endpoint !== undefined && { endpoint: values.endpoint }),
    ...(values.region !== undefined && { region: values.region }),
    yes: values.yes ?? false,
    keep: values.keep ?? false,
    users: positive("users", values.users, DEFAULTS.users),
    events: positive("events", values.events, DEFAULTS.events),
    registrations: positive("registrations", values.registrations, DEFAULTS.registrations, 0),
    ops: positive("ops", values.ops, DEFAULTS.ops),
    concurrency: positive("concurrency", values.concurrency, DEFAULTS.concurrency),
    pageSize: positive("page-size", values["page-size"], DEFAULTS.pageSize),
    seed: values.seed ?? DEFAULTS.seed,
    out: values.out ?? DEFAULTS.out,
    designs: [...new Set(designs)] as TableDesign[],
    progress: !(values["no-progress"] ?? false),
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      endpoint: { type: "string" },
      region: { type: "string" },
      yes: { type: "boolean" },
      keep: { type: "boolean" },
      users: { type: "string" },
      events: { type: "string" },
      registrations: { type: "string" },
      ops: { type: "string" },
      concurrency: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      designs: { type: "string" },
      "page-size": { type: "string" },
      "no-progress": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
