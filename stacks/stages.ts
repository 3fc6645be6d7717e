import { COPY_STRATEGIES, type CopyStrategy, DEFAULT_COPIES, parseCopyStrategy } from "@tablelab/core/copies/strategy";
import { parseTableDesign, type TABLE_DESIGNS } from "@tablelab/core/table";

/**
 * Which table design and copy strategy each stage runs, written here and nowhere else. A stage's design must never
 * change: deploying the other design creates that design's (empty) tables and drops the old ones from the stack,
 * which deletes them with their data on a disposable stage and detaches them on production. So the design
 * is a property of the stage, not of the shell that deploys it. Its copy strategy is one too: switching from
 * `none` leaves every existing registration without the copies the reads then rely on, and switching to or from
 * `stream` adds or drops the table streams and their consumer. Free of SST globals, so tests import it.
 */
export type TableDesign = (typeof TABLE_DESIGNS)[number];
export type { CopyStrategy };

/** The stage that serves users: protected, retained, deletion-protected tables (see sst.config.ts). */
export const PRODUCTION_STAGE = "production";

/** Stages whose design is fixed by name. */
export const STAGE_TABLE_DESIGNS: Readonly<Record<string, TableDesign>> = {
  [PRODUCTION_STAGE]: "single",
};

/**
 * Stages whose copy strategy is fixed by name. Production keeps its design's default (the single table copies in
 * the request): the strategy the README recommends for it.
 */
export const STAGE_COPIES: Readonly<Record<string, CopyStrategy>> = {
  [PRODUCTION_STAGE]: "sync",
};

/**
 * Every other stage (personal stages, previews) runs the single-table design, unless its name ends in
 * `-multi`: `--stage alice-multi` is a stage of the one-table-per-entity design, from its first deploy on.
 */
export const MULTI_STAGE_SUFFIX = "-multi";

export function tableDesignOfStage(stage: string): TableDesign {
  return STAGE_TABLE_DESIGNS[stage] ?? (stage.endsWith(MULTI_STAGE_SUFFIX) ? "multi" : "single");
}

/**
 * Every other stage keeps its design's default copies (DEFAULT_COPIES: single → sync, multi → none), unless its
 * name, before any `-multi`, ends in a strategy: `alice-stream` (single+stream), `alice-none-multi` (multi+none),
 * `alice-sync-multi` (multi+sync). The design's suffix stays last, so the design rule above is unchanged.
 */
export function copiesOfStage(stage: string): CopyStrategy {
  const fixed = STAGE_COPIES[stage];
  if (fixed) return fixed;
  const design = tableDesignOfStage(stage);
  const name = design === "multi" ? stage.slice(0, -MULTI_STAGE_SUFFIX.length) : stage;
  return COPY_STRATEGIES.find((copies) => name.endsWith(`-${copies}`)) ?? DEFAULT_COPIES[design];
}

/**
 * The design to deploy to `stage`. `TABLE_DESIGN` in the deploying shell (it picks the design of `pnpm dev`)
 * is only accepted when it names the stage's own design; any other value refuses the deploy.
 */
export function stageTableDesign(stage: string, shellDesign: string | undefined): TableDesign {
  const design = tableDesignOfStage(stage);
  if (shellDesign === undefined || shellDesign === "") return design;
  const asked = parseTableDesign(shellDesign);
  if (asked === design) return design;
  const elsewhere =
    asked === "multi"
      ? `deploy the multi-table design to a stage whose name ends in "${MULTI_STAGE_SUFFIX}" (e.g. --stage alice${MULTI_STAGE_SUFFIX})`
      : `deploy the single-table design to a stage whose name does not end in "${MULTI_STAGE_SUFFIX}"`;
  throw new Error(
    `Stage "${stage}" runs the ${design}-table design (stacks/stages.ts), but this shell sets TABLE_DESIGN=${shellDesign}. ` +
      `A stage's design never changes: deploying another would create its empty tables and drop the ones holding the data. ` +
      `Unset TABLE_DESIGN (it selects the design of \`pnpm dev\` only), or ${elsewhere}.`,
  );
}

/**
 * The copy strategy to deploy to `stage`. `COPIES` in the deploying shell (it picks the strategy of `pnpm dev`) is
 * only accepted when it names the stage's own; any other value refuses the deploy, like a TABLE_DESIGN mismatch.
 */
export function stageCopies(stage: string, shellCopies: string | undefined): CopyStrategy {
  const copies = copiesOfStage(stage);
  if (shellCopies === undefined || shellCopies === "") return copies;
  const design = tableDesignOfStage(stage);
  const asked = parseCopyStrategy(shellCopies, design);
  if (asked === copies) return copies;
  const suffix = design === "multi" ? `-${asked}${MULTI_STAGE_SUFFIX}` : `-${asked}`;
  throw new Error(
    `Stage "${stage}" keeps copies ${copies} (stacks/stages.ts), but this shell sets COPIES=${shellCopies}. ` +
      "A stage's copy strategy never changes: registrations written under one lack what another relies on. " +
      `Unset COPIES (it selects the strategy of \`pnpm dev\` only), or deploy COPIES=${asked} to a stage whose ` +
      `name ends in "${suffix}" (e.g. --stage alice${suffix}).`,
  );
}
