import type { ComparisonResult, DesignResult } from "../run.js";
import { PATTERNS } from "../workloads/types.js";
import { caveats } from "./caveats.js";
import type { ReportContext } from "./context.js";
import { PER_ENTITY_ADVANTAGES, SINGLE_TABLE_ADVANTAGES } from "./explanations.js";
import type { Finding } from "./findings.js";
import { tally } from "./findings.js";
import { bytes, commands, num, usd } from "./format.js";
import { gridMarkdown } from "./grid-section.js";
import { money } from "./html-kit.js";
import { designName } from "./names.js";
import { quotableSentences } from "./verdict.js";
import { WRITE_SPLIT_HEADER, WRITE_SPLIT_NOTE, writeSplitRows } from "./write-split.js";

export { designName } from "./names.js";

function table(header: string[], rows: string[][]): string {
  const escapeCell = (cell: string) => cell.replace(/\|/g, "\\|");
  return [
    `| ${header.map(escapeCell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(" | ")} |`),
  ].join("\n");
}

/** "a / b" across designs, in the run's design order. */
function across(designs: DesignResult[], pick: (design: DesignResult) => string): string {
  return designs.map(pick).join(" / ");
}

export function summaryTable(result: ComparisonResult, found: Finding[]): string {
  const designs = result.designs;
  const stat = (design: DesignResult, pattern: string) => design.patterns.find((p) => p.pattern === pattern);
  const rows = PATTERNS.map(({ id, title }) => {
    const cell = (pick: (s: NonNullable<ReturnType<typeof stat>>) => string) =>
      across(designs, (design) => {
        const s = stat(design, id);
        return s ? pick(s) : "–";
      });
    return [
      id,
      title,
      cell((s) => num(s.requestsPerOp)),
      cell((s) => num(s.billedReadUnitsPerOp)),
      cell((s) => num(s.billedWriteUnitsPerOp)),
      cell((s) => usd(s.costPerMillionOps)),
      cell((s) => num(s.latencyMs.p50)),
      found.find((f) => f.pattern === id)?.winner ?? "–",
    ];
  });
  const order = designs.map((d) => d.variant).join(" / ");
  return table(
    [
      "AP",
      "pattern",
      `requests/op (${order})`,
      "billed RCU/op",
      "billed WCU/op",
      "$ per million ops",
      "p50 ms",
      "cheaper",
    ],
    rows,
  );
}

function detailTable(result: ComparisonResult): string {
  const rows = PATTERNS.flatMap(({ id }) =>
    result.designs.flatMap((design) => {
      const s = design.patterns.find((p) => p.pattern === id);
      if (!s) return [];
      return [
        [
          id,
          design.variant,
          String(s.ops),
          commands(s.commandsPerOp),
          num(s.readUnitsPerOp),
          num(s.writeUnitsPerOp),
          num(s.billedReadUnitsPerOp),
          num(s.billedWriteUnitsPerOp),
          `${num(s.latencyMs.p50)} / ${num(s.latencyMs.p95)} / ${num(s.latencyMs.p99)}`,
          num(s.itemsPerOp),
          String(s.errors),
        ],
      ];
    }),
  );
  return table(
    [
      "AP",
      "design",
      "ops",
      "requests per op",
      "reported RCU",
      "reported WCU",
      "billed RCU",
      "billed WCU",
      "p50 / p95 / p99 ms",
      "items/op",
      "errors",
    ],
    rows,
  );
}

function subCasesTable(result: ComparisonResult): string | undefined {
  const rows = result.designs.flatMap((design) =>
    design.patterns.flatMap((s) =>
      Object.entries(s.subCases ?? {}).map(([subCase, v]) => [
        s.pattern,
        subCase,
        design.variant,
        String(v.ops),
        commands(v.commandsPerOp),
        num(v.billedReadUnitsPerOp),
        num(v.billedWriteUnitsPerOp),
        usd(v.costPerMillionOps),
        num(v.latencyMs.p50),
      ]),
    ),
  );
  if (rows.length === 0) return undefined;
  rows.sort(
    (a, b) =>
      (a[0] as string).localeCompare(b[0] as string, "en", { numeric: true }) ||
      (a[1] as string).localeCompare(b[1] as string),
  );
  return table(
    ["AP", "case", "design", "ops", "requests per op", "billed RCU", "billed WCU", "$ per million", "p50 ms"],
    rows,
  );
}

function walksTable(result: ComparisonResult): string | undefined {
  const rows = result.designs.flatMap((design) =>
    design.patterns.flatMap((s) =>
      s.walk
        ? [
            [
              s.pattern,
              design.variant,
              String(s.walk.lists),
              num(s.walk.itemsPerList),
              num(s.walk.pagesPerList),
              num(s.walk.requestsPerList),
              num(s.walk.billedReadUnitsPerList),
              num(s.walk.latencyMsPerList.p50),
            ],
          ]
        : [],
    ),
  );
  if (rows.length === 0) return undefined;
  rows.sort((a, b) => (a[0] as string).localeCompare(b[0] as string, "en", { numeric: true }));
  return table(
    ["AP", "design", "lists walked", "items/list", "pages/list", "requests/list", "billed RCU/list", "p50 ms/list"],
    rows,
  );
}

export function storageTable(result: ComparisonResult): string {
  const rows = result.designs.map((design) => {
    const s = design.storage;
    const scanned = design.scannedStorage;
    const gb = s.billableBytes / 1024 ** 3;
    return [
      design.variant,
      String(s.tables.length),
      num(s.items),
      bytes(s.itemBytes),
      num(s.items ? Math.round(s.itemBytes / s.items) : 0),
      num(s.indexEntries),
      bytes(s.billableBytes),
      `$${(gb * result.prices.storageGbMonth).toFixed(4)}`,
      scanned.items === s.items && scanned.itemBytes === s.itemBytes
        ? "✓ same"
        : `${scanned.items} items, ${bytes(scanned.itemBytes)}`,
    ];
  });
  return table(
    [
      "design",
      "tables",
      "items",
      "item bytes",
      "bytes/item",
      "GSI entries",
      "billable (items + GSI entries + 100 B each)",
      "storage $/month",
      "Scan census",
    ],
    rows,
  );
}

function seedingTable(result: ComparisonResult): string {
  return table(
    ["design", "items", "BatchWriteItem requests", "reported WCU", "billed WCU", "seconds"],
    result.designs.map((design) => [
      design.variant,
      num(design.seeding.items),
      num(design.seeding.requests),
      num(design.seeding.writeUnits),
      num(design.seeding.billedWriteUnits),
      (design.seeding.durationMs / 1000).toFixed(1),
    ]),
  );
}

/** The verdict, as in the HTML report: a month of each priced mix per design, and the sentences to quote. */
function verdict(context: ReportContext): string[] {
  const out = ["## Verdict", ""];
  for (const sentence of quotableSentences(context)) out.push(`- ${sentence}`);
  out.push("");
  for (const mix of context.mixes) {
    out.push(
      `**${mix.mix.name}**: ${num(Math.round(mix.totalOps))} operations a month, ${num(mix.mix.users)} users, ${num(mix.mix.events)} events, ${num(mix.mix.registrationsPerEvent)} registrations per event`,
      "",
      table(
        ["design", "$/month", "reads", "writes", "storage", "requests/month", "AWS latency (est., mean)"],
        mix.designs.map((design) => [
          `${design.label} (\`${design.id}\`)`,
          money(design.totalCost),
          money(design.readCost),
          money(design.writeCost),
          money(design.storageCost),
          num(Math.round(design.requests)),
          `~${design.latencyMs.toFixed(1)} ms`,
        ]),
      ),
      "",
    );
  }
  return out;
}

export function renderMarkdown(result: ComparisonResult, found: Finding[], context?: ReportContext): string {
  const { meta, prices } = result;
  const local = meta.target.kind === "dynamodb-local";
  const wins = tally(found);
  const target = local
    ? "DynamoDB Local (started by the run, in memory)"
    : `${meta.target.endpoint ?? "AWS"}${meta.target.region ? ` (${meta.target.region})` : ""}`;
  const out: string[] = [];
  out.push(`# tablelab: ${result.designs.map((d) => designName(d.variant)).join(" vs ")} — measured`, "");
  out.push(
    `Run ${meta.startedAt} on ${target}; seed \`${meta.seed}\`; data set ${num(meta.dataset.users)} users, ` +
      `${num(meta.dataset.events)} events (${meta.dataset.fullEvents} full) from ${meta.dataset.firstDay} to ${meta.dataset.lastDay}, ` +
      `${num(meta.dataset.registrations)} registrations; ${meta.ops} operations per pattern and design, concurrency ` +
      `${meta.concurrency}, page size ${meta.pageSize}; took ${(meta.durationMs / 1000).toFixed(1)} s.`,
    "",
    `Prices: on-demand, ${prices.region}, $${prices.writeRequestUnitPerMillion} per million write request units, ` +
      `$${prices.readRequestUnitPerMillion} per million read request units, $${prices.storageGbMonth} per GB-month, ` +
      `as of ${prices.asOf} (${prices.source}). ${prices.note ?? ""}`,
    "",
  );
  if (context) out.push(...verdict(context), ...gridMarkdown(context));
  for (const line of caveats(local, meta.calibration)) out.push(`- ${line}`);
  out.push("", "## Per access pattern", "");
  if (result.designs.length > 1) {
    out.push(
      `Cheaper per operation: ${Object.entries(wins)
        .map(([design, count]) => `${design === "tie" ? "tied" : design} ${count}`)
        .join(", ")} (of ${found.length} patterns).`,
      "",
    );
  }
  out.push(summaryTable(result, found), "", "### Detail", "", detailTable(result), "");
  const split = writeSplitRows(result);
  if (split.length > 0)
    out.push("### Where the write units go", "", WRITE_SPLIT_NOTE, "", table(WRITE_SPLIT_HEADER, split), "");
  const subCases = subCasesTable(result);
  if (subCases)
    out.push(
      "### Sub-cases",
      "",
      "AP4 mixes three renames per email change; AP10 cycles rename, capacity and date changes.",
      "",
      subCases,
      "",
    );
  const walks = walksTable(result);
  if (walks) {
    out.push(
      "### Whole lists",
      "",
      "The list patterns are measured on one page per operation above; here a few lists per pattern are walked to the end, passing each cursor back.",
      "",
      walks,
      "",
    );
  }
  out.push("## Storage", "", storageTable(result), "");
  out.push(
    "Item bytes follow DynamoDB's size rules, computed from the items written; the Scan census reads the tables back after seeding (a harness measurement — no workload scans) and must agree.",
    "",
  );
  out.push("## Seeding (bulk load)", "", seedingTable(result), "");
  out.push("## Where each design wins, and why", "");
  for (const finding of found) {
    const verdict = finding.winner === "tie" ? "no winner" : `**${finding.winner}** wins`;
    out.push(`- **${finding.pattern}** ${finding.title} — ${verdict}: ${finding.margin}. ${finding.why}`);
  }
  out.push("", "## Where one table per entity is better", "");
  for (const line of PER_ENTITY_ADVANTAGES) out.push(`- ${line}`);
  out.push("", "## Where single-table design is better", "");
  for (const line of SINGLE_TABLE_ADVANTAGES) out.push(`- ${line}`);
  const errors = result.designs.flatMap((design) =>
    Object.entries(design.errors).map(([pattern, error]) => `- ${design.variant} ${pattern}: ${error}`),
  );
  if (errors.length > 0) out.push("", "## Errors", "", ...errors);
  out.push("", "Method, billing rules and how to reproduce: `docs/comparison.md`.", "");
  return out.join("\n");
}
