import type { Highlight } from "../../highlights.js";
import type { Mix, ModelFigures } from "../../mix/model.js";

/** What the report embeds for its page script (one JSON element). */
export interface PageData {
  model: ModelFigures;
  /** The headline mix first, then the presets. */
  mixes: Mix[];
  /** Per design id, per read pattern: what its request read (the layout view's highlights). */
  highlights: Record<string, Partial<Record<string, Highlight[]>>>;
}
