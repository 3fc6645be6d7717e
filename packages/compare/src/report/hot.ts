import type { MixResult } from "../mix/model.js";
import type { ReportContext } from "./context.js";
import { escapeHtml, htmlTable } from "./html-kit.js";
import { designName } from "./names.js";

/**
 * The hot-partition view: under the headline workload, each design's busiest partition key per table and index
 * (from the keys the measured operations addressed, weighted by the mix), its share of that table's or index's
 * traffic, and its average rate against DynamoDB's per-partition limits.
 */
export const PARTITION_LIMITS = { readUnitsPerSecond: 3000, writeUnitsPerSecond: 1000 } as const;
const SECONDS_PER_MONTH = 30 * 86_400;

export interface HotPartition {
  design: string;
  table: string;
  index?: string;
  key: string;
  share: number;
  readUnitsPerSecond: number;
  writeUnitsPerSecond: number;
  /** The larger of its read and write rates as a share of the partition's limit. */
  ofLimit: number;
}

export function hotPartitions(context: ReportContext, mix: MixResult): HotPartition[] {
  const out: HotPartition[] = [];
  for (const design of context.result.designs) {
    const keys = new Map<string, Map<string, { r: number; w: number }>>();
    const totals = new Map<string, { r: number; w: number }>();
    for (const stats of design.patterns) {
      const monthly = mix.mix.perMonth[stats.pattern] ?? 0;
      if (!stats.traffic || monthly <= 0 || stats.ops <= 0) continue;
      const weight = monthly / stats.ops;
      for (const [where, summary] of Object.entries(stats.traffic)) {
        const total = totals.get(where) ?? { r: 0, w: 0 };
        total.r += weight * summary.total.readUnits;
        total.w += weight * summary.total.writeUnits;
        totals.set(where, total);
        const map = keys.get(where) ?? new Map();
        for (const top of summary.top) {
          const entry = map.get(top.key) ?? { r: 0, w: 0 };
          entry.r += weight * top.readUnits;
          entry.w += weight * top.writeUnits;
          map.set(top.key, entry);
        }
        keys.set(where, map);
      }
    }
    for (const [where, map] of keys) {
      const [table = "", index = ""] = where.split("|");
      const total = totals.get(where) ?? { r: 0, w: 0 };
      const rate = (units: { r: number; w: number }) =>
        Math.max(units.r / PARTITION_LIMITS.readUnitsPerSecond, units.w / PARTITION_LIMITS.writeUnitsPerSecond);
      const [key, units] = [...map.entries()].sort(([, a], [, b]) => rate(b) - rate(a))[0] ?? ["", { r: 0, w: 0 }];
      const all = total.r / PARTITION_LIMITS.readUnitsPerSecond + total.w / PARTITION_LIMITS.writeUnitsPerSecond;
      const mine = units.r / PARTITION_LIMITS.readUnitsPerSecond + units.w / PARTITION_LIMITS.writeUnitsPerSecond;
      out.push({
        design: design.variant,
        table,
        ...(index && { index }),
        key,
        share: all > 0 ? mine / all : 0,
        readUnitsPerSecond: units.r / SECONDS_PER_MONTH,
        writeUnitsPerSecond: units.w / SECONDS_PER_MONTH,
        ofLimit: rate(units) / SECONDS_PER_MONTH,
      });
    }
  }
  return out;
}

const pct = (value: number) => (value >= 0.1 ? `${(value * 100).toFixed(0)}%` : `${(value * 100).toFixed(2)}%`);

export function hotSection(context: ReportContext): string {
  const mix = context.mixes[0];
  if (!mix) return "";
  const rows = hotPartitions(context, mix).map((hot) => [
    escapeHtml(designName(hot.design)),
    `${escapeHtml(hot.table)}${hot.index ? ` / index <code>${escapeHtml(hot.index)}</code>` : ""}`,
    `<code>${escapeHtml(hot.key.length > 44 ? `${hot.key.slice(0, 41)}…` : hot.key)}</code>`,
    pct(hot.share),
    hot.readUnitsPerSecond.toFixed(2),
    hot.writeUnitsPerSecond.toFixed(2),
    `${pct(hot.ofLimit)}${hot.ofLimit > 0 ? ` (room for ${Math.floor(1 / hot.ofLimit).toLocaleString("en-US")}× this rate)` : ""}`,
  ]);
  return `<section id="hot"><h2>Hot partitions</h2>
<p>Under the default workload (${escapeHtml(mix.mix.name)}), the busiest partition key of each table and index: the keys the run's measured operations addressed (capacity as DynamoDB reported it, split between the keys a call touched; a put also counts on each index partition it writes), weighted by the workload's operations per pattern. Rates are monthly averages; a partition serves at most ${PARTITION_LIMITS.readUnitsPerSecond.toLocaleString("en-US")} RCU and ${PARTITION_LIMITS.writeUnitsPerSecond.toLocaleString("en-US")} WCU per second, and peaks are what hit it.</p>
${htmlTable(["design", "table / index", "busiest partition key", "share of its traffic", "RCU/s (avg)", "WCU/s (avg)", "of one partition's limit"], rows)}
<p class="hint">What this can and cannot say: the run picks its targets uniformly from ${context.result.meta.dataset.events.toLocaleString("en-US")} events and ${context.result.meta.dataset.users.toLocaleString("en-US")} users, so an entity's partition here is as busy as any other; real traffic is skewed (one popular event's page, one organizer's back office) and that key's share is what to size for. Keys whose number does not grow with the data — month buckets of events by date — keep their share at any scale: a month bucket takes about 1/12 of a year's date-range traffic at 10 M items as at 10 k.</p></section>`;
}
