import { type TableDefinition, tableDefinitions } from "@tablelab/core";
import { entityOf } from "../census.js";
import { rowId } from "../highlights.js";
import type { DesignResult } from "../run.js";
import type { SampleTable } from "../samples.js";
import { PATTERNS } from "../workloads/types.js";
import { colorOf, escapeHtml } from "./html-kit.js";
import { designName, patternLabel } from "./names.js";

/**
 * The layout view, drawn the way NoSQL Workbench's aggregate view draws a table: one row per item, columns for the
 * partition key, the sort key, every index key and the other attributes, rows coloured by entity and grouped by
 * partition. A switch per table re-groups the same items by each index's keys (items without the index's keys
 * are listed apart, greyed: the index is sparse). The page script highlights the rows each read pattern's
 * request returned (the probes, highlights.ts).
 */
type Item = Record<string, unknown>;
type Keys = { hashKey: string; rangeKey?: string };

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function short(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

function view(definition: TableDefinition, sample: SampleTable, keys: Keys, viewName: string, hidden: boolean): string {
  const items = sample.partitions.flatMap((partition) => partition.items);
  const indexKeys = Object.values(definition.globalIndexes).flatMap((index) => [index.hashKey, index.rangeKey ?? ""]);
  const keyColumns = [
    ...new Set(
      [
        keys.hashKey,
        keys.rangeKey ?? "",
        definition.primaryIndex.hashKey,
        definition.primaryIndex.rangeKey ?? "",
        ...indexKeys,
      ].filter(Boolean),
    ),
  ];
  const present = (item: Item) =>
    item[keys.hashKey] !== undefined && (!keys.rangeKey || item[keys.rangeKey] !== undefined);
  const groups = new Map<string, Item[]>();
  for (const item of items.filter(present)) {
    const key = String(item[keys.hashKey]);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const absent = items.filter((item) => !present(item));
  const columns = keyColumns.length + 1;
  const row = (item: Item, extra = "") => {
    const entity = entityOf(definition.id, item);
    const cells = keyColumns
      .map((column, index) => {
        const value = item[column];
        const cls = index === 0 ? "k pk" : index === 1 && keys.rangeKey ? "k sk" : "k";
        return `<td class="${cls}">${value === undefined ? "" : escapeHtml(short(value))}</td>`;
      })
      .join("");
    const others = Object.entries(item)
      .filter(([name]) => !keyColumns.includes(name))
      .map(([name, value]) => `<span class="attr"><b>${escapeHtml(name)}</b> ${escapeHtml(short(value))}</span>`)
      .join(" ");
    return `<tr class="item e-${entity}${extra}" data-row="${escapeHtml(rowId(definition, item))}">${cells}<td class="attrs">${others}</td></tr>`;
  };
  const body = [...groups.entries()]
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([key, list]) => {
      const sorted = keys.rangeKey
        ? [...list].sort((a, b) => byteOrder(String(a[keys.rangeKey as string]), String(b[keys.rangeKey as string])))
        : list;
      return `<tr class="partition"><td colspan="${columns}">partition <code>${escapeHtml(keys.hashKey)} = ${escapeHtml(key)}</code> · ${sorted.length} item(s)</td></tr>${sorted
        .map((item) => row(item))
        .join("")}`;
    })
    .join("");
  const sparse = absent.length
    ? `<tr class="partition sparse"><td colspan="${columns}">not in this index (no <code>${escapeHtml(keys.hashKey)}</code>${
        keys.rangeKey ? ` / <code>${escapeHtml(keys.rangeKey)}</code>` : ""
      }): ${absent.length} item(s) — the index is sparse</td></tr>${absent.map((item) => row(item, " absent")).join("")}`
    : "";
  const header = keyColumns
    .map((column, index) => {
      const role = index === 0 ? " (partition key)" : index === 1 && keys.rangeKey ? " (sort key)" : "";
      return `<th>${escapeHtml(column)}${role}</th>`;
    })
    .join("");
  return `<div class="view" data-table="${escapeHtml(definition.id)}" data-view="${escapeHtml(viewName)}"${hidden ? " hidden" : ""}><table class="layout"><thead><tr>${header}<th>other attributes</th></tr></thead><tbody>${body}${sparse}</tbody></table></div>`;
}

function tableBlock(design: DesignResult, definition: TableDefinition, sample: SampleTable): string {
  const views: Array<[string, Keys]> = [
    ["table", definition.primaryIndex],
    ...Object.entries(definition.globalIndexes).map(([name, index]): [string, Keys] => [name, index]),
  ];
  const buttons =
    views.length > 1
      ? `<div class="switch" role="group" aria-label="view of ${escapeHtml(definition.id)}">${views
          .map(
            ([name], index) =>
              `<button type="button" data-table="${escapeHtml(definition.id)}" data-view="${escapeHtml(name)}"${index === 0 ? ' class="on"' : ""}>${
                index === 0 ? "table" : `index ${escapeHtml(name)}`
              }</button>`,
          )
          .join("")}</div>`
      : "";
  return `<div class="table-block" data-table="${escapeHtml(definition.id)}"><h4>${escapeHtml(definition.id)} <small>${escapeHtml(
    design.tables[definition.id] ?? "",
  )}</small></h4>${buttons}${views.map(([name, keys], index) => view(definition, sample, keys, name, index > 0)).join("")}</div>`;
}

const LEGEND = `<p class="legend"><span class="e-user swatch">user (and its email marker)</span><span class="e-event swatch">event</span><span class="e-registration swatch">registration</span></p>`;

/**
 * Cells whose items and read probes are the same (sync and stream store the same copies) share one panel: six
 * panels of which two pairs are identical would only make the reader diff them. Grouped in the run's order.
 */
export function layoutGroups(designs: readonly DesignResult[]): DesignResult[][] {
  const groups = new Map<string, DesignResult[]>();
  for (const design of designs) {
    // Calls sent together (Query ‖ GetItem) are recorded in the order they answered: compare them as a set.
    const reads = Object.entries(design.highlights)
      .map(([pattern, list]) => [pattern, (list ?? []).map((read) => JSON.stringify(read)).sort()])
      .sort(([a], [b]) => String(a).localeCompare(String(b)));
    const key = JSON.stringify([design.design, design.samples, reads]);
    groups.set(key, [...(groups.get(key) ?? []), design]);
  }
  return [...groups.values()];
}

function panelTitle(group: readonly DesignResult[]): string {
  const [first, ...same] = group;
  if (!first) return "";
  if (same.length === 0) return escapeHtml(designName(first.variant));
  const variants = group.map((design) => `<code>${escapeHtml(design.variant)}</code>`).join(", ");
  return `${escapeHtml(designName(first.design))} <small>— ${variants}: the same items, so one drawing</small>`;
}

export function layoutSection(designs: DesignResult[]): string {
  const readPatterns = PATTERNS.filter((pattern) => designs.some((design) => design.highlights?.[pattern.id]?.length));
  const select = `<label>Highlight what a request reads: <select id="ap-select"><option value="">(none)</option>${readPatterns
    .map((pattern) => `<option value="${pattern.id}">${escapeHtml(patternLabel(pattern.id))}</option>`)
    .join("")}</select></label>`;
  const panels = layoutGroups(designs)
    .map((group) => {
      const design = group[0] as DesignResult;
      const index = designs.indexOf(design);
      const definitions = tableDefinitions(design.design);
      const blocks = design.samples
        .map((sample) => {
          const definition = definitions.find((d) => d.id === sample.tableId);
          return definition ? tableBlock(design, definition, sample) : "";
        })
        .join("");
      const variants = group.map((member) => member.variant).join(" ");
      return `<section class="design-panel" data-design="${escapeHtml(design.variant)}" data-variants="${escapeHtml(variants)}"><h3><span class="dot" style="background:${colorOf(index)}"></span>${panelTitle(
        group,
      )}</h3><p class="reads" aria-live="polite"></p>${blocks}</section>`;
    })
    .join("");
  return `<section id="layout"><h2>Table layout: why each design answers the way it does</h2>
<p>The sample's items — one user who organizes and attends, one of their events with its registrations — drawn per design as stored: one row per item, coloured by entity, grouped by partition (key order within a partition is sort-key order, as a Query reads it). One drawing per distinct layout: cells whose copy strategies store the same items (<code>sync</code> and <code>stream</code> keep the same copies) share a panel. Switch a table to an index to see the same items re-grouped by that index's keys; items without the index's keys are not in it. Pick an access pattern to highlight exactly the rows its request returned on these items (recorded from a real request, with its key condition).</p>
${LEGEND}${select}<div class="panels">${panels}</div></section>`;
}
