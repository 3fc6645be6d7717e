/**
 * Text rules shared by every string field (api.md, Conventions): trim first, then reject control characters,
 * bidirectional overrides and ill-formed UTF-16. DynamoDB would store lone surrogates and NULs, so the boundary
 * has to refuse them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/u;
const LINE_FEED = /\n/;
const BIDI_OVERRIDE = /[\u202A-\u202E\u2066-\u2069]/;

export type TextProblem = "control_character" | "line_break" | "bidi_override" | "ill_formed";

export function textProblem(value: string, options: { allowLineBreaks?: boolean } = {}): TextProblem | undefined {
  if (!value.isWellFormed()) return "ill_formed";
  if (CONTROL.test(value)) return "control_character";
  if (!options.allowLineBreaks && LINE_FEED.test(value)) return "line_break";
  if (BIDI_OVERRIDE.test(value)) return "bidi_override";
  return undefined;
}

export const TEXT_PROBLEM_MESSAGES: Record<TextProblem, string> = {
  control_character: "must not contain control characters",
  line_break: "must not contain line breaks",
  bidi_override: "must not contain bidirectional override characters",
  ill_formed: "must be well-formed Unicode (no lone surrogates)",
};
