import type { ComparisonResult } from "../run.js";
import type { Finding } from "./findings.js";

/** compare.json: everything measured, plus the findings the Markdown and HTML reports state. */
export function renderJson(result: ComparisonResult, findings: Finding[]): string {
  return `${JSON.stringify({ ...result, findings }, null, 2)}\n`;
}
