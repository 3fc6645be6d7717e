import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { documents, pnpmMentions, repoRoot, rootManifest } from "./documented-commands.js";

/**
 * `pnpm <name>` runs pnpm's own command of that name before any script so named: `pnpm doctor` ran pnpm's doctor
 * (silent, exit 0: the integrity check looked like a pass), `pnpm deploy` pnpm's deploy, and `pnpm token` is
 * handed to `npm token`. Every `pnpm <word>` the README and docs/ show must reach what the text means.
 */

/**
 * pnpm 10's command names (pnpm 10.34.9, `dist/pnpm.cjs`: every `commandNames` of its command registry, then the
 * `switch` in its entry point that hands the second list to npm). `pnpm help <name>` documents the first list;
 * the second is not in `pnpm help` at all, which is how `token` went unnoticed.
 */
// biome-ignore format: a word list
const PNPM_COMMANDS = [
  "add", "approve-builds", "audit", "bin", "cache", "cat-file", "cat-index", "ci", "clean-install", "ic",
  "install-clean", "completion", "config", "c", "create", "dedupe", "deploy", "dlx", "doctor", "env", "exec",
  "fetch", "find-hash", "get", "help", "ignored-builds", "import", "init", "install", "i", "install-test", "it",
  "licenses", "link", "ln", "list", "ls", "ll", "la", "outdated", "pack", "patch", "patch-commit", "patch-remove",
  "prune", "publish", "rebuild", "rb", "recursive", "multi", "m", "remove", "uninstall", "rm", "un", "uni",
  "restart", "root", "run", "run-script", "self-update", "server", "set", "setup", "store", "unlink", "dislink",
  "update", "up", "upgrade", "why",
];
// biome-ignore format: a word list
const NPM_PASS_THROUGH = [
  "access", "adduser", "bugs", "deprecate", "dist-tag", "docs", "edit", "find", "home", "info", "issues", "login",
  "logout", "owner", "ping", "prefix", "profile", "pkg", "repo", "s", "se", "search", "set-script", "show", "star",
  "stars", "team", "token", "unpublish", "unstar", "v", "version", "view", "whoami", "xmas",
];
const SHADOWING = new Set([...PNPM_COMMANDS, ...NPM_PASS_THROUGH]);

/** Names pnpm answers by running the script of that name (its `test`, and `start`/`stop` through `run`). */
const RUN_THE_SCRIPT = new Set(["test", "t", "tst", "start", "stop"]);

/** Built-ins the documents use as built-ins, and why each is meant as such. */
const DOCUMENTED_BUILT_INS: Record<string, string> = {
  install: "installs the workspace's dependencies (Quick start, deploy prerequisites)",
  exec: "runs a dependency's binary without a script",
};

/**
 * Dependencies' binaries the documents run as `pnpm <bin>`: with no script and no built-in of that name, pnpm
 * runs it as `pnpm exec <bin>`.
 */
const DOCUMENTED_BINARIES: Record<string, string> = {
  sst: "SST's CLI (`sst secret`, `sst deploy`, `sst remove`, `sst shell`), pinned in the catalog",
};

const { scripts, packageManager } = rootManifest();

describe("every `pnpm <word>` in README.md and docs/*.md does what the text says", () => {
  const mentions = documents().flatMap(({ file, text }) => pnpmMentions(file, text));

  it("finds the documented commands (the extraction itself works)", () => {
    const words = new Set(mentions.map((m) => m.word));
    for (const expected of ["dev", "seed", "mint-token", "check-integrity", "test", "install", "sst", "bench"]) {
      expect(words, expected).toContain(expected);
    }
    expect(
      pnpmMentions(
        "x.md",
        "Use pnpm 10 here.\n`pnpm -r typecheck` and\n```sh\npnpm sst shell -- pnpm seed # pnpm no\n```",
      ).map((m) => m.word),
    ).toEqual(["typecheck", "sst", "seed"]);
  });

  it("each is a root script, a built-in meant as such, or a dependency's binary", () => {
    const unexplained = mentions.filter(
      (m) => !(m.word in scripts) && !(m.word in DOCUMENTED_BUILT_INS) && !(m.word in DOCUMENTED_BINARIES),
    );
    expect(unexplained.map((m) => `${m.file}:${m.line} \`${m.code}\``)).toEqual([]);
  });

  it("no documented script is shadowed by a built-in, and no binary by a script or built-in", () => {
    const shadowed = mentions.filter((m) => m.word in scripts && SHADOWING.has(m.word) && !RUN_THE_SCRIPT.has(m.word));
    expect(shadowed.map((m) => `${m.file}:${m.line} \`${m.code}\``)).toEqual([]);
    for (const [bin, why] of Object.entries(DOCUMENTED_BINARIES)) {
      expect(SHADOWING.has(bin) || bin in scripts, `${bin}: ${why}`).toBe(false);
      expect(existsSync(join(repoRoot, "node_modules", ".bin", bin)), `${bin} is installed`).toBe(true);
    }
    for (const builtIn of Object.keys(DOCUMENTED_BUILT_INS)) expect(SHADOWING.has(builtIn), builtIn).toBe(true);
  });

  it("no root script is named like a pnpm or npm command", () => {
    const named = Object.keys(scripts).filter((name) => SHADOWING.has(name) && !RUN_THE_SCRIPT.has(name));
    expect(named).toEqual([]);
  });
});

/**
 * The lists above, checked against the real pnpm: in a scratch project with the same `packageManager` pin, each
 * root script name is a script that prints a marker, and `pnpm <name>` must print it. `doctor`, `deploy` and
 * `token` are the controls: there pnpm must NOT reach the script, or this check could not fail. The scratch
 * project runs with its own HOME and an unreachable registry, so a built-in reached by mistake stays contained
 * (`pnpm setup` edits ~/.bashrc) and nothing leaves the machine.
 */
describe("the real pnpm reaches each root script by its name", () => {
  const scratch = mkdtempSync(join(tmpdir(), "tablelab-pnpm-names-"));
  const controls = ["doctor", "deploy", "token"];
  const names = [...Object.keys(scripts), ...controls];
  const marker = (name: string) => `reached-script:${name}`;
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify({
      name: "scratch",
      private: true,
      packageManager,
      scripts: Object.fromEntries(names.map((name) => [name, `echo ${marker(name)}`])),
    }),
  );
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  async function pnpmOutput(name: string): Promise<string> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: scratch,
      npm_config_registry: "http://127.0.0.1:9/",
      npm_config_fetch_retries: "0",
      CI: "1",
    };
    for (const key of Object.keys(env))
      if (key.startsWith("npm_package_") || key === "npm_lifecycle_event") delete env[key];
    try {
      const { stdout, stderr } = await promisify(execFile)("pnpm", [name], { cwd: scratch, env, timeout: 60_000 });
      return stdout + stderr;
    } catch (error) {
      const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
      return stdout + stderr;
    }
  }

  it("pnpm <script> runs the script for every root script; pnpm doctor, deploy and token do not", async () => {
    const outputs = new Map<string, string>();
    const queue = [...names];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift())
        outputs.set(name, await pnpmOutput(name));
    };
    await Promise.all([worker(), worker(), worker()]);
    const unreached = Object.keys(scripts).filter((name) => !outputs.get(name)?.includes(marker(name)));
    expect(unreached).toEqual([]);
    const reached = controls.filter((name) => outputs.get(name)?.includes(marker(name)));
    expect(reached).toEqual([]);
  }, 240_000);
});
