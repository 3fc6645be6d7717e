import {
  COPY_STRATEGIES,
  type CopyStrategy,
  DESIGN_VARIANTS,
  type DesignVariant,
  TABLE_DESIGNS,
  type TableDesign,
  variantName,
} from "@tablelab/core";

/**
 * The comparison's cells: a table design × a copy strategy (issue 12). Everything the run measures and every
 * report section is keyed by the variant's name (`single+sync`, `multi+none`, …), never by the design alone:
 * the copy strategy changes what the same design costs.
 */
export type { DesignVariant } from "@tablelab/core";
export { variantName } from "@tablelab/core";

export const VARIANT_NAMES: readonly string[] = DESIGN_VARIANTS.map(variantName);

export class UnknownVariantError extends Error {}

/**
 * One `--designs` entry: a variant name, or a bare design name meaning that design with every copy strategy.
 * Throws UnknownVariantError naming the valid entries.
 */
export function parseVariant(entry: string): DesignVariant[] {
  const name = entry.trim();
  if ((TABLE_DESIGNS as readonly string[]).includes(name)) {
    return COPY_STRATEGIES.map((copies) => ({ design: name as TableDesign, copies }));
  }
  const [design, copies, ...rest] = name.split("+");
  if (
    rest.length === 0 &&
    (TABLE_DESIGNS as readonly string[]).includes(design ?? "") &&
    (COPY_STRATEGIES as readonly string[]).includes(copies ?? "")
  ) {
    return [{ design: design as TableDesign, copies: copies as CopyStrategy }];
  }
  throw new UnknownVariantError(
    `unknown design "${name}" (known: ${VARIANT_NAMES.join(", ")}, or a design alone: ${TABLE_DESIGNS.join(", ")}).`,
  );
}

/** A comma-separated list → variants in the grid's own order (design-major), without repeats. */
export function parseVariantList(value: string): DesignVariant[] {
  const wanted = new Set(
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean)
      .flatMap(parseVariant)
      .map(variantName),
  );
  if (wanted.size === 0) throw new UnknownVariantError("name at least one design.");
  return DESIGN_VARIANTS.filter((variant) => wanted.has(variantName(variant)));
}

/** `single+sync` → its design and strategy (names this module produced). */
export function variantOf(name: string): DesignVariant {
  const found = DESIGN_VARIANTS.find((variant) => variantName(variant) === name);
  if (!found) throw new UnknownVariantError(`not a variant name: ${name}`);
  return found;
}

/** A name that is safe in a DynamoDB table name (`+` is not): `single-sync`. */
export function variantSlug(variant: DesignVariant): string {
  return `${variant.design}-${variant.copies}`;
}
