import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { PATTERNS, type PatternId } from "../workloads/types.js";
import { fromShares, type Mix, PRESETS } from "./model.js";

/**
 * A mix file (`pnpm compare --mix <file>`), JSON or YAML (YAML is a superset: one parser reads both):
 *
 *   name: our site                    # optional
 *   preset: event-site                # optional: start from a preset, override what follows
 *   perMonth: { AP6: 3000000, AP15: 2000000 }       # operations per month per pattern, or:
 *   total: 5000000                                  # a monthly total …
 *   shares: { AP6: 30, AP15: 20, AP12: 2 }          # … split by shares (any positive weights)
 *   items: { users: 100000, events: 10000 }
 *   registrationsPerEvent: 25
 */
const patternIds = PATTERNS.map((pattern) => pattern.id) as [PatternId, ...PatternId[]];
const count = z.number().finite().nonnegative();
const perPattern = z.partialRecord(z.enum(patternIds), count);

export const MixFileSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    preset: z.enum(Object.keys(PRESETS) as [keyof typeof PRESETS, ...Array<keyof typeof PRESETS>]).optional(),
    perMonth: perPattern.optional(),
    total: count.optional(),
    shares: perPattern.optional(),
    items: z
      .strictObject({ users: z.number().int().positive(), events: z.number().int().positive() })
      .partial()
      .optional(),
    registrationsPerEvent: count.optional(),
  })
  .superRefine((file, context) => {
    if (file.perMonth && (file.shares || file.total !== undefined)) {
      context.addIssue({
        code: "custom",
        path: ["perMonth"],
        message: "give either perMonth or shares + total, not both",
      });
    }
    if (file.shares && file.total === undefined) {
      context.addIssue({ code: "custom", path: ["total"], message: "shares need a monthly total" });
    }
    if (file.total !== undefined && !file.shares) {
      context.addIssue({ code: "custom", path: ["shares"], message: "a total needs shares to split it by" });
    }
    if (file.shares && Object.values(file.shares).every((share) => !share)) {
      context.addIssue({ code: "custom", path: ["shares"], message: "at least one share must be above 0" });
    }
    if (!file.preset && !file.perMonth && !file.shares) {
      context.addIssue({ code: "custom", path: ["perMonth"], message: "give perMonth, shares + total, or a preset" });
    }
    if (!file.preset && (file.items?.users === undefined || file.items?.events === undefined)) {
      context.addIssue({ code: "custom", path: ["items"], message: "give items.users and items.events (or a preset)" });
    }
    if (!file.preset && file.registrationsPerEvent === undefined) {
      context.addIssue({ code: "custom", path: ["registrationsPerEvent"], message: "required (or a preset)" });
    }
  });

export type MixFile = z.infer<typeof MixFileSchema>;

export class MixFileError extends Error {}

/** One line per problem, each naming its field: `shares.AP99: …`. */
function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join(".") || "(top level)";
      if (issue.code === "unrecognized_keys") {
        const where = issue.path.length ? `${path}.` : "";
        const last = issue.path[issue.path.length - 1];
        const what = last === "shares" || last === "perMonth" ? "not an access pattern (AP1–AP16)" : "unknown field";
        return issue.keys.map((key) => `${where}${key}: ${what}`).join("; ");
      }
      if (issue.code === "invalid_key") return `${path}: not an access pattern (AP1–AP16)`;
      return `${path}: ${issue.message}`;
    })
    .join("; ");
}

/** Validates parsed mix data into a Mix. */
export function mixFrom(data: unknown, fallbackName: string): Mix {
  const result = MixFileSchema.safeParse(data);
  if (!result.success) throw new MixFileError(describe(result.error));
  const file = result.data;
  const base = file.preset ? PRESETS[file.preset].mix : undefined;
  const perMonth = file.perMonth ?? (file.shares ? fromShares(file.shares, file.total ?? 0) : (base?.perMonth ?? {}));
  return {
    name: file.name ?? base?.name ?? fallbackName,
    perMonth,
    users: file.items?.users ?? base?.users ?? 0,
    events: file.items?.events ?? base?.events ?? 0,
    registrationsPerEvent: file.registrationsPerEvent ?? base?.registrationsPerEvent ?? 0,
  };
}

/** Reads and validates a mix file; errors name the file and the field. */
export function loadMixFile(path: string): Mix {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new MixFileError(`--mix ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new MixFileError(`--mix ${path}: not JSON or YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  try {
    return mixFrom(data, path.replace(/^.*[\\/]/, "").replace(/\.(ya?ml|json)$/i, ""));
  } catch (error) {
    if (error instanceof MixFileError) throw new MixFileError(`--mix ${path}: ${error.message}`);
    throw error;
  }
}
