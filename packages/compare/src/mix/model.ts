import { PATTERNS, type PatternId } from "../workloads/types.js";

/**
 * The workload model: prices a month of a team's own mix of operations on every design, from the figures one run
 * measured. Pure and browser-safe: the CLI (`--mix`) and the HTML report's in-page editor run this same module
 * (the page gets it bundled by esbuild), so both give the same numbers for the same mix.
 */

/** Figures per operation of one pattern on one design (billed by AWS's rules). */
export interface OpFigures {
  requests: number;
  roundTrips: number;
  billedReadUnits: number;
  billedWriteUnits: number;
  /** Fan-outs: `intercept + slope × items`, items being what `FAN_OUT` says for the mix. */
  perItem?: { intercept: Omit<OpFigures, "perItem">; slope: Omit<OpFigures, "perItem"> };
}

export interface DesignFigures {
  id: string;
  label: string;
  /** Billable bytes (table + index entries, 100-byte overhead each) per entity, from the run's census. */
  bytesPer: { user: number; event: number; registration: number };
  patterns: Partial<Record<PatternId, OpFigures>>;
}

export interface ModelFigures {
  prices: { readPerMillion: number; writePerMillion: number; storageGbMonth: number };
  latency: { dynamoRoundTripMs: number; apiOverheadMs: number };
  designs: DesignFigures[];
}

/** A month of a workload: operations per pattern, and the size of the data. */
export interface Mix {
  name: string;
  perMonth: Partial<Record<PatternId, number>>;
  users: number;
  events: number;
  registrationsPerEvent: number;
}

/** Groups a team decides by (every pattern is in exactly one). */
export const GROUPS = [
  { id: "joined", label: "joined reads", patterns: ["AP9", "AP14", "AP15", "AP16"] },
  { id: "plain", label: "plain reads", patterns: ["AP1", "AP2", "AP6", "AP7", "AP8"] },
  { id: "creates", label: "creates", patterns: ["AP3", "AP5"] },
  { id: "renames", label: "renames, moves and deletes (fan-out writes)", patterns: ["AP4", "AP10", "AP11"] },
  { id: "registrations", label: "registrations", patterns: ["AP12", "AP13"] },
] as const satisfies ReadonlyArray<{ id: string; label: string; patterns: readonly PatternId[] }>;

export type GroupId = (typeof GROUPS)[number]["id"];

export const READ_PATTERNS = PATTERNS.filter((p) => p.kind === "read").map((p) => p.id) as PatternId[];

/** Items a fan-out operation touches, for a mix's data shape (the workloads report the same as `items`). */
export const FAN_OUT: Partial<Record<PatternId, { label: string; items: (mix: Mix) => number }>> = {
  AP4: { label: "registrations per user", items: (mix) => (mix.registrationsPerEvent * mix.events) / mix.users },
  AP10: { label: "registrations per event", items: (mix) => mix.registrationsPerEvent },
  AP11: { label: "1 + registrations per event", items: (mix) => 1 + mix.registrationsPerEvent },
};

/** The figures of one operation of `pattern` under `mix` (fan-outs scaled to the mix's registrations). */
export function opFigures(figures: OpFigures, pattern: PatternId, mix: Mix): Omit<OpFigures, "perItem"> {
  const fan = FAN_OUT[pattern];
  if (!fan || !figures.perItem) return figures;
  const items = fan.items(mix);
  const at = (key: keyof Omit<OpFigures, "perItem">) =>
    Math.max(0, (figures.perItem?.intercept[key] ?? 0) + (figures.perItem?.slope[key] ?? 0) * items);
  return {
    requests: Math.max(1, at("requests")),
    roundTrips: Math.max(1, at("roundTrips")),
    billedReadUnits: at("billedReadUnits"),
    billedWriteUnits: at("billedWriteUnits"),
  };
}

export interface DesignMonth {
  id: string;
  label: string;
  readCost: number;
  writeCost: number;
  storageCost: number;
  totalCost: number;
  storageBytes: number;
  requests: number;
  /** Ops-weighted mean of the estimated AWS latency per operation (ms). */
  latencyMs: number;
  /** Per group: ops, cost and mean estimated latency. */
  groups: Record<GroupId, { ops: number; cost: number; latencyMs: number }>;
}

const MILLION = 1_000_000;
const GB = 1024 ** 3;

export function opCost(op: Omit<OpFigures, "perItem">, prices: ModelFigures["prices"]): number {
  return (op.billedReadUnits * prices.readPerMillion + op.billedWriteUnits * prices.writePerMillion) / MILLION;
}

export function opLatencyMs(op: Omit<OpFigures, "perItem">, latency: ModelFigures["latency"]): number {
  return latency.apiOverheadMs + op.roundTrips * latency.dynamoRoundTripMs;
}

/** Sums in pattern order, whatever the mix's key order: the page and the CLI must get the same float. */
export function totalOps(mix: Mix): number {
  return PATTERNS.reduce((sum, pattern) => sum + (mix.perMonth[pattern.id] ?? 0), 0);
}

/** One month of `mix` on one design. */
export function designMonth(design: DesignFigures, mix: Mix, model: ModelFigures): DesignMonth {
  let readCost = 0;
  let writeCost = 0;
  let requests = 0;
  let latencyWeighted = 0;
  const groups = Object.fromEntries(
    GROUPS.map((g) => [g.id, { ops: 0, cost: 0, latencyMs: 0 }]),
  ) as DesignMonth["groups"];
  for (const group of GROUPS) {
    const entry = groups[group.id];
    for (const pattern of group.patterns) {
      const ops = mix.perMonth[pattern] ?? 0;
      const measured = design.patterns[pattern];
      if (ops <= 0 || !measured) continue;
      const op = opFigures(measured, pattern, mix);
      readCost += (ops * op.billedReadUnits * model.prices.readPerMillion) / MILLION;
      writeCost += (ops * op.billedWriteUnits * model.prices.writePerMillion) / MILLION;
      requests += ops * op.requests;
      const latency = opLatencyMs(op, model.latency);
      latencyWeighted += ops * latency;
      entry.ops += ops;
      entry.cost += ops * opCost(op, model.prices);
      entry.latencyMs += ops * latency;
    }
    if (entry.ops > 0) entry.latencyMs /= entry.ops;
  }
  const registrations = mix.events * mix.registrationsPerEvent;
  const storageBytes =
    mix.users * design.bytesPer.user +
    mix.events * design.bytesPer.event +
    registrations * design.bytesPer.registration;
  const storageCost = (storageBytes / GB) * model.prices.storageGbMonth;
  const all = totalOps(mix);
  return {
    id: design.id,
    label: design.label,
    readCost,
    writeCost,
    storageCost,
    totalCost: readCost + writeCost + storageCost,
    storageBytes,
    requests,
    latencyMs: all > 0 ? latencyWeighted / all : 0,
    groups,
  };
}

export interface BreakEven {
  group: GroupId;
  groupLabel: string;
  /** The design cheaper at the mix as given. */
  cheaper: string;
  other: string;
  /** Ops of the group per 1,000 reads at which both cost the same (the rest of the mix unchanged). */
  perThousandReads: number;
  /** Whether the cheaper design stays cheaper below (more of the group favours the other) or above. */
  cheaperBelow: boolean;
  /** The group's ops per 1,000 reads in the mix as given. */
  current: number;
}

export interface MixResult {
  mix: Mix;
  totalOps: number;
  readsPerMonth: number;
  designs: DesignMonth[];
  /** Design ids, cheapest first. */
  ranking: string[];
  breakEven: BreakEven[];
}

/** Cost of one op of the group on a design, at the group's composition in the mix (equal shares if absent). */
function groupOpCost(design: DesignFigures, group: (typeof GROUPS)[number], mix: Mix, model: ModelFigures): number {
  const weights = group.patterns.map((pattern) => mix.perMonth[pattern] ?? 0);
  const total = weights.reduce((a, b) => a + b, 0);
  let cost = 0;
  group.patterns.forEach((pattern, index) => {
    const measured = design.patterns[pattern];
    if (!measured) return;
    const weight = total > 0 ? (weights[index] as number) / total : 1 / group.patterns.length;
    cost += weight * opCost(opFigures(measured, pattern, mix), model.prices);
  });
  return cost;
}

/**
 * Break-even per group against the cheapest design: how many operations of that group per 1,000 reads (the rest
 * of the mix as it is) make another design as cheap. Storage counts, as in the monthly total.
 */
export function breakEvens(months: DesignMonth[], mix: Mix, model: ModelFigures): BreakEven[] {
  const reads = READ_PATTERNS.reduce((sum, pattern) => sum + (mix.perMonth[pattern] ?? 0), 0);
  const cheapest = [...months].sort((a, b) => a.totalCost - b.totalCost)[0];
  if (!cheapest || reads <= 0) return [];
  const cheapestFigures = model.designs.find((d) => d.id === cheapest.id);
  if (!cheapestFigures) return [];
  const out: BreakEven[] = [];
  for (const other of months) {
    if (other.id === cheapest.id) continue;
    const otherFigures = model.designs.find((d) => d.id === other.id);
    if (!otherFigures) continue;
    for (const group of GROUPS) {
      if (group.patterns.every((p) => READ_PATTERNS.includes(p))) continue;
      const groupOps = cheapest.groups[group.id].ops;
      // Cost without this group's ops, then the per-op difference of the group.
      const restGap =
        other.totalCost - other.groups[group.id].cost - (cheapest.totalCost - cheapest.groups[group.id].cost);
      const perOpGap = groupOpCost(otherFigures, group, mix, model) - groupOpCost(cheapestFigures, group, mix, model);
      if (Math.abs(perOpGap) < 1e-15) continue;
      const ops = -restGap / perOpGap;
      if (!(ops > 0) || !Number.isFinite(ops)) continue;
      out.push({
        group: group.id,
        groupLabel: group.label,
        cheaper: cheapest.id,
        other: other.id,
        perThousandReads: (ops / reads) * 1000,
        cheaperBelow: perOpGap < 0,
        current: (groupOps / reads) * 1000,
      });
    }
  }
  return out;
}

export function evaluateMix(mix: Mix, model: ModelFigures): MixResult {
  const designs = model.designs.map((design) => designMonth(design, mix, model));
  return {
    mix,
    totalOps: totalOps(mix),
    readsPerMonth: READ_PATTERNS.reduce((sum, pattern) => sum + (mix.perMonth[pattern] ?? 0), 0),
    designs,
    ranking: [...designs].sort((a, b) => a.totalCost - b.totalCost).map((d) => d.id),
    breakEven: breakEvens(designs, mix, model),
  };
}

/** Shares (any positive weights) and a monthly total → whole operations per month per pattern. */
export function fromShares(shares: Partial<Record<PatternId, number>>, total: number): Mix["perMonth"] {
  const sum = Object.values(shares).reduce((a: number, b) => a + (b ?? 0), 0);
  if (sum <= 0) return {};
  return Object.fromEntries(
    Object.entries(shares).map(([pattern, share]) => [pattern, Math.round(((share ?? 0) / sum) * total)]),
  ) as Mix["perMonth"];
}

/** Two named presets (shares of a monthly total): the report's defaults and `--mix` examples. */
export const PRESETS: Record<"event-site" | "back-office", { description: string; mix: Mix }> = {
  "event-site": {
    description:
      "read-heavy event site: 20 M operations a month, mostly event pages with attendees, listings and users' own registrations",
    mix: {
      name: "read-heavy event site",
      perMonth: fromShares(
        {
          AP1: 6,
          AP2: 2,
          AP3: 0.5,
          AP4: 0.2,
          AP5: 0.3,
          AP6: 20,
          AP7: 15,
          AP8: 3,
          AP9: 4,
          AP10: 0.35,
          AP11: 0.1,
          AP12: 2,
          AP13: 0.5,
          AP14: 5,
          AP15: 30,
          AP16: 11,
        },
        20_000_000,
      ),
      users: 1_000_000,
      events: 50_000,
      registrationsPerEvent: 40,
    },
  },
  "back-office": {
    description:
      "write-heavy back office: 2 M operations a month, organizers editing, renaming, moving and cancelling events and managing attendee lists",
    mix: {
      name: "write-heavy back office",
      perMonth: fromShares(
        {
          AP1: 3,
          AP2: 1,
          AP3: 4,
          AP4: 12,
          AP5: 12,
          AP6: 5,
          AP7: 2,
          AP8: 6,
          AP9: 3,
          AP10: 22,
          AP11: 4,
          AP12: 10,
          AP13: 8,
          AP14: 5,
          AP15: 2,
          AP16: 1,
        },
        2_000_000,
      ),
      users: 20_000,
      events: 10_000,
      registrationsPerEvent: 60,
    },
  },
};

/** The preset the report's headline uses. */
export const DEFAULT_PRESET = "event-site" as const;
