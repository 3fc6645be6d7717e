import { describe, expect, it } from "vitest";
import { lines, runPnpm } from "../support/pnpm-script.js";

/**
 * Every CLI answers `pnpm <script> --help` (README: "Every script answers `--help`") with what it does, its
 * options and their defaults, and refuses an unknown option in one line that names it — run exactly as the
 * README writes them, `pnpm <script> …` from the repository root, through pnpm.
 *
 * pnpm's own lines: it prints `> tablelab@ <script> …` before the script and, when the script fails,
 * ` ELIFECYCLE  Command failed with exit code N.` — both on stdout (pnpm 10), so stderr holds the CLI's line
 * alone; `pnpm -s <script>` drops pnpm's lines altogether.
 */
/** Each run starts pnpm, tsx and the CLI: seconds on a quiet machine, far more on a busy shared one. */
const SLOW = { timeout: 180_000 };

const CLIS: Record<string, { does: RegExp; shows: string[] }> = {
  compare: {
    does: /Seeds one data set into every table design, runs AP1–AP16/,
    shows: [
      "--users <n>",
      "(default: 2000)",
      "--events <n>",
      "--registrations <n>",
      "--ops <n>",
      "--concurrency <n>",
      "--seed <s>",
      "--designs <list>",
      "--page-size <n>",
      "--mix <file>",
      '--out <dir> report directory (default: "reports")',
      "--endpoint <url>",
      "--region <region>",
      "--yes",
      "--keep",
      "--no-progress",
    ],
  },
  bench: {
    does: /Measures what the API adds over a bare Hono \+ DynamoDB SDK server/,
    shows: [
      "--duration <seconds>",
      "(default: 10, --quick: 1.5)",
      "--cold-runs <n>",
      "(default: 12, --quick: 3)",
      '--design <design> table design the API runs on (choices: "single", "multi", default: "single")',
      "--copies <strategy> how the API keeps copies of names, as COPIES",
      "(default: the design's: single → sync, multi → none)",
      "--quick",
      '--out <dir> where to write bench.json and bench.md (default: "reports")',
    ],
  },
  "check-integrity": {
    does: /Reads every item of the design's tables .* checks the invariants/,
    shows: ["--json print the whole report, every violation, as JSON (default: false)", "Exit code 0"],
  },
  seed: {
    does: /Seeds a predictable demo data set: 12 users \(ada@example\.com/,
    shows: ["Re-running it adds only what is missing", "Which database", "DYNAMODB_ENDPOINT"],
  },
  "mint-token": {
    does: /Prints a bearer token \(valid 24 h\) for a user/,
    shows: ["pnpm mint-token [options] <user>", "a user id (ULID) or an email address", "Which database"],
  },
};

describe.each(Object.entries(CLIS))("pnpm %s", (script, { does, shows }) => {
  it("--help: exit 0, usage under the script's own name, what it does, its options and defaults", SLOW, async () => {
    const help = await runPnpm([script, "--help"]);
    expect(help.stderr).toBe("");
    expect(help.code).toBe(0);
    // (commander wraps the help to the terminal's width.)
    const text = help.stdout.replace(/\s+/g, " ");
    expect(text).toContain(`Usage: pnpm ${script} [options]`);
    expect(text).toMatch(does);
    for (const shown of shows) expect(text).toContain(shown);
    expect(text).toMatch(/-h, --help/);
  });

  it("--bogus: exit non-zero, one line on stderr naming the option and the help, no stack trace", SLOW, async () => {
    const refused = await runPnpm([script, "--bogus"]);
    expect(refused.code).not.toBe(0);
    expect(lines(refused.stderr)).toEqual([`error: unknown option '--bogus' (see pnpm ${script} --help)`]);
    expect(refused.stdout).not.toMatch(/^\s+at /m);
  });
});
