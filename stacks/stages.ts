import { parseTableDesign, type TABLE_DESIGNS } from "@tablelab/core/table";

/**
 * Which table design each stage runs, written here and nowhere else. A stage's design must never change:
 * deploying the other design creates that design's (empty) tables and drops the old ones from the stack,
 * which deletes them with their data on a disposable stage and detaches them on production. So the design
 * is a property of the stage, not of the shell that deploys it. Free of SST globals, so tests import it.
 */
export type TableDesign = (typeof TABLE_DESIGNS)[number];

/** The stage that serves users: protected, retained, deletion-protected tables (see sst.config.ts). */
export const PRODUCTION_STAGE = "production";

/** Stages whose design is fixed by name. */
export const STAGE_TABLE_DESIGNS: Readonly<Record<string, TableDesign>> = {
  [PRODUCTION_STAGE]: "single",
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
