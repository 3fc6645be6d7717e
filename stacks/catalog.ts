import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The version pinned for `name` in the `catalog:` of pnpm-workspace.yaml, the one place versions are written.
 * SST installs `nodejs.install` packages with plain npm into the function package, and npm does not
 * understand pnpm's `catalog:` references, so the config reads the pin itself and hands npm an exact version.
 */
export function catalogVersion(name: string, root: string = $cli.paths.root): string {
  const workspace = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const catalog = workspace.split(/^catalog:\s*$/m)[1]?.split(/^\S/m)[0] ?? "";
  for (const line of catalog.split("\n")) {
    const match = /^\s+["']?([^"':\s]+)["']?:\s*["']?([^"'\s#]+)/.exec(line);
    if (match?.[1] === name && match[2]) return match[2];
  }
  throw new Error(`${name} has no version in the catalog of pnpm-workspace.yaml`);
}
