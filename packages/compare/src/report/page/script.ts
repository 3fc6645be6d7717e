/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { evaluateMix, GROUPS, type Mix, type MixResult, type ModelFigures, READ_PATTERNS } from "../../mix/model.js";
import { PATTERNS, type PatternId } from "../../workloads/types.js";
import { colorOf, escapeHtml, money } from "../html-kit.js";
import type { PageData } from "./data.js";

/**
 * The report's only script (bundled into compare.html by esbuild): the mix editor, computed with the same
 * mix/model.ts as `pnpm compare --mix`, and the layout view's index switches and access-pattern highlights.
 */
const data = JSON.parse(document.getElementById("tablelab-data")?.textContent ?? "{}") as PageData;

const $ = <T extends Element>(selector: string) => document.querySelector<T>(selector);
const $$ = <T extends Element>(selector: string) => [...document.querySelectorAll<T>(selector)];

const compact = (value: number) =>
  value >= 1e9
    ? `${(value / 1e9).toFixed(2)} B`
    : value >= 1e6
      ? `${(value / 1e6).toFixed(2)} M`
      : value >= 1e3
        ? `${(value / 1e3).toFixed(1)} k`
        : value.toFixed(0);

const bytes = (value: number) =>
  value >= 1024 ** 3 ? `${(value / 1024 ** 3).toFixed(2)} GB` : `${(value / 1024 ** 2).toFixed(1)} MB`;

function numberOf(input: HTMLInputElement | null): number {
  const value = Number(input?.value ?? 0);
  return Number.isFinite(value) && value >= 0 ? value : 0;
}

function fill(mix: Mix): void {
  const set = (selector: string, value: number) => {
    const input = $<HTMLInputElement>(selector);
    if (input) input.value = String(Math.round(value * 1000) / 1000);
  };
  set("#mix-users", mix.users);
  set("#mix-events", mix.events);
  set("#mix-rpe", mix.registrationsPerEvent);
  for (const input of $$<HTMLInputElement>("input[data-ap]")) {
    input.value = String(mix.perMonth[input.dataset.ap as PatternId] ?? 0);
  }
}

/** The mix as the inputs say; the preset's name while its numbers are untouched. */
function readMix(base: Mix): Mix {
  const perMonth: Mix["perMonth"] = {};
  for (const input of $$<HTMLInputElement>("input[data-ap]")) {
    const value = numberOf(input);
    if (value > 0) perMonth[input.dataset.ap as PatternId] = value;
  }
  return {
    name: base.name,
    perMonth,
    users: Math.max(1, numberOf($("#mix-users"))),
    events: Math.max(1, numberOf($("#mix-events"))),
    registrationsPerEvent: numberOf($("#mix-rpe")),
  };
}

function modelNow(): ModelFigures {
  return {
    ...data.model,
    latency: {
      dynamoRoundTripMs: numberOf($("#lat-rt")),
      apiOverheadMs: numberOf($("#lat-overhead")),
    },
  };
}

const FIELDS = ["readCost", "writeCost", "storageCost", "totalCost", "storageBytes", "requests", "latencyMs"] as const;

function renderResults(result: MixResult): void {
  const body = $("#mix-results tbody");
  if (!body) return;
  const cheapest = result.ranking[0];
  body.innerHTML = result.designs
    .map((design, index) => {
      const text = (field: (typeof FIELDS)[number]) => {
        const value = design[field];
        if (field === "storageBytes") return bytes(value);
        if (field === "requests") return compact(value);
        if (field === "latencyMs") return `~${value.toFixed(1)} ms`;
        return money(value);
      };
      const cells = FIELDS.map(
        (field) =>
          `<td data-field="${field}" data-value="${design[field]}">${field === "totalCost" ? `<strong>${text(field)}</strong>` : text(field)}</td>`,
      ).join("");
      return `<tr data-design="${escapeHtml(design.id)}"${design.id === cheapest ? ' class="cheapest"' : ""}><td><span class="dot" style="background:${colorOf(index)}"></span>${escapeHtml(design.label)}</td>${cells}</tr>`;
    })
    .join("");
  const total = $("#mix-total");
  if (total) total.textContent = compact(result.totalOps);
  const labelOf = (id: string) => result.designs.find((d) => d.id === id)?.label ?? id;
  const list = $("#break-even");
  if (list) {
    list.innerHTML = result.breakEven.length
      ? result.breakEven
          .map(
            (b) =>
              `<li data-group="${b.group}">${escapeHtml(labelOf(b.cheaper))} is cheaper ${b.cheaperBelow ? "below" : "above"} <strong>${b.perThousandReads.toFixed(1)}</strong> ${escapeHtml(
                b.groupLabel,
              )} per 1,000 reads than ${escapeHtml(labelOf(b.other))} (this mix: ${b.current.toFixed(1)}).</li>`,
          )
          .join("")
      : "<li>No break-even: with this mix, no change of a single write group alone makes another design the cheapest.</li>";
  }
  renderBreakEvenChart(result);
}

/** Monthly cost per design as the fan-out writes per 1,000 reads grow (the rest of the mix unchanged). */
function renderBreakEvenChart(result: MixResult): void {
  const target = $("#break-even-chart");
  if (!target) return;
  const group = GROUPS.find((g) => g.id === "renames");
  const reads = result.readsPerMonth;
  if (!group || reads <= 0) {
    target.innerHTML = "";
    return;
  }
  const current = group.patterns.reduce((sum, p) => sum + (result.mix.perMonth[p] ?? 0), 0);
  const found = result.breakEven.filter((b) => b.group === "renames").map((b) => b.perThousandReads);
  const maxX = Math.max(10, 2 * Math.max((current / reads) * 1000, ...found));
  const model = modelNow();
  const steps = 24;
  const series = result.designs.map(() => [] as Array<[number, number]>);
  for (let step = 0; step <= steps; step++) {
    const x = (maxX * step) / steps;
    const ops = (x / 1000) * reads;
    const perMonth = { ...result.mix.perMonth };
    for (const p of group.patterns) {
      const share = current > 0 ? (result.mix.perMonth[p] ?? 0) / current : 1 / group.patterns.length;
      perMonth[p] = ops * share;
    }
    const at = evaluateMix({ ...result.mix, perMonth }, model);
    at.designs.forEach((design, index) => {
      series[index]?.push([x, design.totalCost]);
    });
  }
  const maxY = Math.max(1e-9, ...series.flat().map(([, y]) => y));
  const [w, h, left, bottom] = [640, 260, 70, 40];
  const px = (x: number) => left + (x / maxX) * (w - left - 20);
  const py = (y: number) => h - bottom - (y / maxY) * (h - bottom - 20);
  const lines = series
    .map(
      (points, index) =>
        `<polyline fill="none" stroke="${colorOf(index)}" stroke-width="3" points="${points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ")}"/>`,
    )
    .join("");
  const marker = `<line x1="${px((current / reads) * 1000)}" x2="${px((current / reads) * 1000)}" y1="20" y2="${h - bottom}" stroke="#999" stroke-dasharray="4 4"/><text x="${px((current / reads) * 1000) + 4}" y="32" class="value">this mix</text>`;
  target.innerHTML = `<figure class="chart"><figcaption>Cost per month vs ${escapeHtml(group.label)} per 1,000 reads</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${lines}${marker}<text x="${left}" y="${h - 12}" class="label">0</text><text x="${w - 60}" y="${h - 12}" class="label">${maxX.toFixed(0)}</text><text x="4" y="${py(maxY) + 5}" class="label">${money(maxY)}</text><text x="4" y="${h - bottom}" class="label">$0</text></svg></figure>`;
}

function setupMix(): void {
  const presetSelect = $<HTMLSelectElement>("#mix-preset");
  if (!presetSelect || data.mixes.length === 0) return;
  let base = data.mixes[0] as Mix;
  const rt = $<HTMLInputElement>("#lat-rt");
  const overhead = $<HTMLInputElement>("#lat-overhead");
  if (rt) rt.value = String(data.model.latency.dynamoRoundTripMs);
  if (overhead) overhead.value = String(data.model.latency.apiOverheadMs);
  const update = () => renderResults(evaluateMix(readMix(base), modelNow()));
  presetSelect.addEventListener("change", () => {
    base = data.mixes[Number(presetSelect.value)] ?? base;
    fill(base);
    update();
  });
  for (const input of $$<HTMLInputElement>(".mix-inputs input")) input.addEventListener("input", update);
  fill(base);
  update();
}

function showView(panel: Element, table: string, view: string): void {
  for (const block of panel.querySelectorAll<HTMLElement>(`.view[data-table="${table}"]`))
    block.hidden = block.dataset.view !== view;
  for (const button of panel.querySelectorAll<HTMLElement>(`.switch button[data-table="${table}"]`))
    button.classList.toggle("on", button.dataset.view === view);
}

function setupLayout(): void {
  for (const button of $$<HTMLButtonElement>(".switch button")) {
    button.addEventListener("click", () => {
      const panel = button.closest(".design-panel");
      if (panel) showView(panel, button.dataset.table ?? "", button.dataset.view ?? "table");
    });
  }
  const select = $<HTMLSelectElement>("#ap-select");
  select?.addEventListener("change", () => {
    const pattern = select.value;
    for (const row of $$(".layout tr.hit")) row.classList.remove("hit");
    for (const panel of $$<HTMLElement>(".design-panel")) {
      const reads = panel.querySelector(".reads");
      const highlights = data.highlights[panel.dataset.design ?? ""]?.[pattern] ?? [];
      if (!pattern) {
        if (reads) reads.textContent = "";
        continue;
      }
      const lines: string[] = [];
      for (const highlight of highlights) {
        showView(panel, highlight.tableId, highlight.index ?? "table");
        const view = panel.querySelector(
          `.view[data-table="${highlight.tableId}"][data-view="${highlight.index ?? "table"}"]`,
        );
        let drawn = 0;
        for (const id of highlight.rows) {
          for (const row of view?.querySelectorAll<HTMLElement>("tr[data-row]") ?? []) {
            if (row.dataset.row === id) {
              row.classList.add("hit");
              drawn++;
            }
          }
        }
        lines.push(
          `<li><strong>${escapeHtml(highlight.command)}</strong> on ${escapeHtml(highlight.tableId)}${
            highlight.index ? ` index <code>${escapeHtml(highlight.index)}</code>` : ""
          }: <code>${escapeHtml(highlight.condition.length > 240 ? `${highlight.condition.slice(0, 237)}…` : highlight.condition)}</code>${highlight.limit ? ` (Limit ${highlight.limit})` : ""} → ${highlight.rows.length} item(s), ${drawn} drawn here</li>`,
        );
      }
      if (reads) reads.innerHTML = `${highlights.length} request(s):<ul>${lines.join("")}</ul>`;
    }
  });
}

setupMix();
setupLayout();
// For tests and the curious: the same function the CLI prints from.
Object.assign(window, { tablelab: { evaluateMix, patterns: PATTERNS, reads: READ_PATTERNS } });
