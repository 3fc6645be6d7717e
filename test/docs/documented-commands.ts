import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The repository root (test/docs/ is two levels down). */
export const repoRoot = join(import.meta.dirname, "..", "..");

/** The documents a reader follows: the README and every page under docs/. */
export function documents(): Array<{ file: string; text: string }> {
  const files = [
    "README.md",
    ...readdirSync(join(repoRoot, "docs")).flatMap((f) => (f.endsWith(".md") ? [`docs/${f}`] : [])),
  ];
  return files.map((file) => ({ file, text: readFileSync(join(repoRoot, file), "utf8") }));
}

export interface PnpmMention {
  file: string;
  line: number;
  /** The first word after `pnpm` and its flags: what pnpm dispatches on. */
  word: string;
  /** The code it was found in (a fenced block's line or an inline code span). */
  code: string;
}

/**
 * Every `pnpm <word>` a reader could type: in fenced code blocks and in inline code spans, never in prose (where
 * "pnpm 10" is a version, not a command). Leading flags (`pnpm -r typecheck`) are skipped.
 */
export function pnpmMentions(file: string, text: string): PnpmMention[] {
  const mentions: PnpmMention[] = [];
  let inFence = false;
  text.split("\n").forEach((lineText, index) => {
    if (/^\s*```/.test(lineText)) {
      inFence = !inFence;
      return;
    }
    const pieces = inFence ? [lineText] : [...lineText.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
    for (const code of pieces) {
      // A shell comment is prose too.
      const command = inFence ? code.replace(/(^|\s)#.*$/, "") : code;
      for (const match of command.matchAll(/(?:^|[\s;&|($])pnpm((?:\s+-\S+)*)\s+([A-Za-z][\w:.-]*)/g)) {
        // A trailing colon or full stop is punctuation (`pnpm bench: …`), not part of the name.
        const word = (match[2] as string).replace(/[:.]+$/, "");
        mentions.push({ file, line: index + 1, word, code: code.trim() });
      }
    }
  });
  return mentions;
}

/** The root package.json's scripts and pnpm pin. */
export function rootManifest(): { scripts: Record<string, string>; packageManager: string } {
  return JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
}

export interface ShellCommand {
  file: string;
  /** The line the command starts on. */
  line: number;
  /** The command as a reader types it: continuation lines joined, the trailing `# comment` dropped. */
  command: string;
}

/**
 * Every command of the ```sh blocks of README.md and docs/*.md, one per logical line. A block that is a script
 * rather than a list of commands (the README's walk-through: variables, functions, loops) is one entry, whose
 * command is its first line; the walk-through test runs it whole.
 */
export function shellCommands(): ShellCommand[] {
  const commands: ShellCommand[] = [];
  for (const { file, text } of documents()) {
    for (const match of text.matchAll(/^```sh\n([\s\S]*?)\n```/gm)) {
      const start = text.slice(0, match.index).split("\n").length + 1;
      const body = match[1] as string;
      if (/^\s*(while|for|if)\b|^\w+\(\)/m.test(body)) {
        commands.push({ file, line: start, command: (body.split("\n")[0] as string).trim() });
        continue;
      }
      let pending: ShellCommand | undefined;
      body.split("\n").forEach((raw, index) => {
        const text = raw.replace(/(^|\s)#.*$/, "").trim();
        if (text === "") return;
        if (pending) pending.command = `${pending.command} ${text}`;
        else pending = { file, line: start + index, command: text };
        if (pending.command.endsWith("\\")) pending.command = pending.command.slice(0, -1).trim();
        else {
          commands.push(pending);
          pending = undefined;
        }
      });
    }
  }
  return commands;
}
