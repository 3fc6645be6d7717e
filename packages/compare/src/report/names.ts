import { PATTERNS, type PatternId } from "../workloads/types.js";

/** Labels shared by every report: a design id's name, and an AP code always shown with its pattern's name. */
const DESIGN_NAMES: Record<string, string> = {
  single: "single-table (ElectroDB)",
  multi: "one table per entity",
};

/** Known ids get their name; others (e.g. `single/sync` of a design grid) are spelled out from their parts. */
export function designName(design: string): string {
  const known = DESIGN_NAMES[design];
  if (known) return known;
  const [layout, ...rest] = design.split("/");
  const base = layout ? DESIGN_NAMES[layout] : undefined;
  return base ? `${base}, ${rest.join("/")} copies` : design;
}

export function patternTitle(id: string): string {
  return PATTERNS.find((pattern) => pattern.id === id)?.title ?? id;
}

/** "AP15 event + first page of its registrations". */
export function patternLabel(id: PatternId | string): string {
  return `${id} ${patternTitle(id)}`;
}
