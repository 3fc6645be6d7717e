import { designMonth, FAN_OUT, type Mix, type ModelFigures } from "../mix/model.js";
import type { ReportContext } from "./context.js";
import { escapeHtml, htmlTable, money } from "./html-kit.js";
import { designName, patternLabel } from "./names.js";

/**
 * Projections to 10 M / 100 M / 1 B items: the headline mix's data shape (users : events : registrations) and its
 * operations per item held constant, so storage and request cost are linear in the item count; what is not
 * linear is stated next to the table.
 */
export const SCALES = [10_000_000, 100_000_000, 1_000_000_000] as const;

export function itemsOf(mix: Mix): number {
  return mix.users + mix.events + mix.events * mix.registrationsPerEvent;
}

export function scaledMix(mix: Mix, items: number): Mix {
  const factor = items / itemsOf(mix);
  return {
    ...mix,
    name: `${mix.name} at ${items.toLocaleString("en-US")} items`,
    users: Math.round(mix.users * factor),
    events: Math.round(mix.events * factor),
    perMonth: Object.fromEntries(Object.entries(mix.perMonth).map(([p, ops]) => [p, (ops ?? 0) * factor])),
  };
}

const gb = (bytes: number) => bytes / 1024 ** 3;
const label = (items: number) => (items >= 1e9 ? `${items / 1e9} B` : `${items / 1e6} M`);

export function scaleSection(context: ReportContext): string {
  const headline = context.mixes[0];
  if (!headline) return "";
  const model: ModelFigures = context.model;
  const rows = SCALES.flatMap((items) => {
    const mix = scaledMix(headline.mix, items);
    return model.designs.map((design, index) => {
      const month = designMonth(design, mix, model);
      return [
        index === 0 ? `<strong>${label(items)} items</strong>` : "",
        escapeHtml(design.label),
        `${gb(month.storageBytes).toLocaleString("en-US", { maximumFractionDigits: 0 })} GB`,
        money(month.storageCost),
        money(month.readCost + month.writeCost),
        `<strong>${money(month.totalCost)}</strong>`,
      ];
    });
  });
  const amplification = context.result.designs.map((design) => {
    const s = design.storage;
    return `${escapeHtml(designName(design.variant))}: ${(s.indexEntries / Math.max(1, s.items)).toFixed(2)} index entries per item (each written with the item, billed as write units, stored again)`;
  });
  const fanOuts = context.result.designs.flatMap((design) =>
    design.patterns.flatMap((stats) => {
      const fan = FAN_OUT[stats.pattern];
      if (!fan || !stats.perItem || stats.perItem.slope.billedWriteUnits <= 0.01) return [];
      return [
        `${escapeHtml(designName(design.variant))}, ${escapeHtml(patternLabel(stats.pattern))}: +${stats.perItem.slope.billedWriteUnits.toFixed(2)} WCU and +${stats.perItem.slope.requests.toFixed(2)} requests per item touched (${escapeHtml(fan.label)})`,
      ];
    }),
  );
  return `<section id="scale"><h2>Scale: 10 M, 100 M and 1 B items</h2>
<p>The default workload (${escapeHtml(headline.mix.name)}) grown to each size with its shape kept: the same ratio of users, events and registrations (${headline.mix.registrationsPerEvent} per event), and the same operations per item per month. Storage is linear in items; request cost is linear in operations.</p>
${htmlTable(["size", "design", "storage", "storage $/month", "requests $/month", "total $/month"], rows)}
<h3>What is not linear</h3><ul>
<li><strong>Fan-out grows with registrations per event, not with items.</strong> Measured slopes: ${fanOuts.length ? fanOuts.join("; ") : "none measured"}. At 10× the registrations per event these writes cost about 10× the per-item part; the mix editor above applies these slopes.</li>
<li><strong>Index write amplification</strong> is constant per write, so linear — but it multiplies every write: ${amplification.join("; ")}.</li>
<li><strong>Hot partitions</strong> do not spread as the table grows: a month bucket (events by date) or one popular event's partition takes a fixed share of its pattern's traffic whatever the item count, and one partition serves at most 1,000 WCU and 3,000 RCU per second. See <a href="#hot">hot partitions</a>.</li>
<li>On-demand prices are linear; provisioned capacity, reserved capacity and the Standard-IA table class are not modelled.</li>
</ul></section>`;
}
