import type { TableDesign } from "../store.js";

/**
 * How registrations keep copies of the user's name and the event's name, date and venue (data-model.md,
 * "Copies: a second axis"). Independent of the table design: every design serves every strategy.
 *
 * - `none`   — no copies; list reads join the names with one BatchGetItem per page.
 * - `sync`   — copies written inside the request that changes the original (bounded: see MAX_SYNC_COPIES).
 * - `stream` — the request writes only the original; a consumer of the table's stream updates the copies.
 */
export type CopyStrategy = "none" | "sync" | "stream";

export const COPY_STRATEGIES = ["none", "sync", "stream"] as const satisfies readonly CopyStrategy[];

/**
 * Without `COPIES`, each design keeps the strategy it was built around: the single table copies in the request
 * (one request per read page), the per-entity tables join at read time (the article's style).
 */
export const DEFAULT_COPIES: Record<TableDesign, CopyStrategy> = { single: "sync", multi: "none" };

export function parseCopyStrategy(value: string | undefined, design: TableDesign): CopyStrategy {
  if (value === undefined || value === "") return DEFAULT_COPIES[design];
  if ((COPY_STRATEGIES as readonly string[]).includes(value)) return value as CopyStrategy;
  throw new Error(`COPIES must be one of ${COPY_STRATEGIES.join(", ")} (got "${value}")`);
}

/** One cell of the comparison grid: a table design and a copy strategy. */
export interface DesignVariant {
  design: TableDesign;
  copies: CopyStrategy;
}

/** `single+sync`, `multi+stream`, …: how reports, tests and tables name one cell of the grid. */
export function variantName(variant: DesignVariant): string {
  return `${variant.design}+${variant.copies}`;
}

/** All six cells, design-major. */
export const DESIGN_VARIANTS: readonly DesignVariant[] = (["single", "multi"] as const).flatMap((design) =>
  COPY_STRATEGIES.map((copies) => ({ design, copies })),
);

/**
 * The most copies one request rewrites under `sync` (a rename of a user or an event): above it the change is
 * refused with 409 `too_many_copies` before anything is written. 1,000 UpdateItems at 32 in flight are ~32 waves
 * of one round trip each — well inside the Lambda's 10 s timeout and API Gateway's 30 s on AWS.
 */
export const MAX_SYNC_COPIES = 1000;
