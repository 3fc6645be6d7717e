import { modelFigures } from "../mix/figures.js";
import { DEFAULT_PRESET, evaluateMix, type Mix, type MixResult, type ModelFigures, PRESETS } from "../mix/model.js";
import type { ComparisonResult } from "../run.js";
import { type Finding, findings } from "./findings.js";

/** Everything the three reports are rendered from: the run, its findings, and the workload model on it. */
export interface ReportContext {
  result: ComparisonResult;
  found: Finding[];
  model: ModelFigures;
  /** The headline mix first (the `--mix` file if given, else the default preset), then the other presets. */
  mixes: MixResult[];
  /** The `--mix` file's mix, if one was given. */
  custom?: Mix;
}

export function reportContext(result: ComparisonResult, custom?: Mix): ReportContext {
  const model = modelFigures(result);
  const presets = Object.entries(PRESETS)
    .sort(([a], [b]) => (a === DEFAULT_PRESET ? -1 : b === DEFAULT_PRESET ? 1 : 0))
    .map(([, preset]) => preset.mix);
  const mixes = [...(custom ? [custom] : []), ...presets].map((mix) => evaluateMix(mix, model));
  return { result, found: findings(result), model, mixes, ...(custom && { custom }) };
}
