import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { LATENCY_MODEL } from "../latency.js";
import { PATTERNS } from "../workloads/types.js";
import type { ReportContext } from "./context.js";
import { escapeHtml } from "./html-kit.js";
import { patternLabel } from "./names.js";
import type { PageData } from "./page/data.js";

/**
 * "Your workload": the mix editor. The numbers are computed in the page by the same module the CLI uses
 * (mix/model.ts), bundled by esbuild into the page's one inline script: no server, no network.
 */
export function pageData(context: ReportContext): PageData {
  return {
    model: context.model,
    mixes: context.mixes.map((result) => result.mix),
    highlights: Object.fromEntries(context.result.designs.map((design) => [design.variant, design.highlights ?? {}])),
  };
}

/** JSON safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

let bundled: string | undefined;
/** The page script (page/script.ts and what it imports), bundled once per process. */
export function pageScript(): string {
  if (bundled === undefined) {
    const result = buildSync({
      entryPoints: [fileURLToPath(new URL("./page/script.ts", import.meta.url))],
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      target: "es2020",
      legalComments: "none",
    });
    bundled = (result.outputFiles[0]?.text ?? "").replace(/<\/script/gi, "<\\/script");
  }
  return bundled;
}

export function mixSection(context: ReportContext): string {
  const options = context.mixes
    .map((result, index) => `<option value="${index}">${escapeHtml(result.mix.name)}</option>`)
    .join("");
  const inputs = PATTERNS.map(
    (pattern) =>
      `<label class="ap"><span>${escapeHtml(patternLabel(pattern.id))}</span><input type="number" min="0" step="any" data-ap="${pattern.id}" aria-label="${escapeHtml(
        `${patternLabel(pattern.id)} per month`,
      )}"></label>`,
  ).join("");
  return `<section id="mix"><h2>Your workload</h2>
<p>Operations per month per access pattern, the size of your data, and the latency model: every figure below updates as you type, computed in this page by the same code as <code>pnpm compare --mix &lt;file&gt;</code> (same mix, same numbers).</p>
<div class="mix-editor">
<div class="mix-inputs">
<label>Start from <select id="mix-preset">${options}</select></label>
<fieldset><legend>Data</legend>
<label>users <input type="number" min="1" step="1" id="mix-users"></label>
<label>events <input type="number" min="1" step="1" id="mix-events"></label>
<label>registrations per event <input type="number" min="0" step="any" id="mix-rpe"></label></fieldset>
<fieldset><legend>Operations per month <small>(total <output id="mix-total"></output>)</small></legend>${inputs}</fieldset>
<fieldset id="latency"><legend>AWS latency model (p50)</legend>
<label>${escapeHtml(LATENCY_MODEL.dynamoRoundTripMs.label)}, ms <input type="number" min="0" step="any" id="lat-rt"></label>
<label>${escapeHtml(LATENCY_MODEL.apiOverheadMs.label)}, ms <input type="number" min="0" step="any" id="lat-overhead"></label>
</fieldset></div>
<div class="mix-outputs">
<table id="mix-results"><thead><tr><th>design</th><th>reads $/month</th><th>writes $/month</th><th>storage $/month</th><th>total $/month</th><th>storage</th><th>requests/month</th><th>AWS latency (est.)</th></tr></thead><tbody></tbody></table>
<h3>Break-even</h3><p class="hint">How much of one group of writes, per 1,000 reads, would make another design as cheap as the cheapest (the rest of the mix as it is).</p>
<ul id="break-even"></ul>
<div id="break-even-chart"></div>
</div></div></section>`;
}
