import { PATTERNS, type PatternId } from "../workloads/types.js";

/** Labels shared by every report: a design id's name, and an AP code always shown with its pattern's name. */
const DESIGN_NAMES: Record<string, string> = {
  single: "single-table (ElectroDB)",
  multi: "one table per entity",
};

const COPY_NAMES: Record<string, string> = {
  none: "no copies (joins at read time)",
  sync: "copies written in the request",
  stream: "copies kept by a stream consumer",
};

/** Known ids get their name; grid cells (`single+sync`) are spelled out from their parts. */
export function designName(design: string): string {
  const known = DESIGN_NAMES[design];
  if (known) return known;
  const [layout, copies, ...rest] = design.split("+");
  const base = layout ? DESIGN_NAMES[layout] : undefined;
  const strategy = copies ? COPY_NAMES[copies] : undefined;
  return base && strategy && rest.length === 0 ? `${base}, ${strategy}` : design;
}

export function patternTitle(id: string): string {
  return PATTERNS.find((pattern) => pattern.id === id)?.title ?? id;
}

/** "AP15 event + first page of its registrations". */
export function patternLabel(id: PatternId | string): string {
  return `${id} ${patternTitle(id)}`;
}
