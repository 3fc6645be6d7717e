import type { ReportContext } from "./context.js";

/** compare.json: everything measured, the findings, the workload model's figures and the mixes priced on them. */
export function renderJson(context: ReportContext): string {
  const { result, found, model, mixes } = context;
  return `${JSON.stringify({ ...result, findings: found, model, mixes }, null, 2)}\n`;
}
