import { readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { documents, repoRoot, rootManifest } from "./documented-commands.js";

/**
 * One Node requirement: `engines` in package.json, stated in the README's Quick start, no other version
 * claimed anywhere in the docs, and no notice printed by every local command.
 */
const manifest = rootManifest() as ReturnType<typeof rootManifest> & { engines: { node: string } };

function enginesOf(packagePath: string): string | undefined {
  const path = join(repoRoot, "node_modules", packagePath, "package.json");
  return (JSON.parse(readFileSync(path, "utf8")) as { engines?: { node?: string } }).engines?.node;
}

describe("the Node requirement", () => {
  it("is the engines range, and the tightest of what the tools it names declare", () => {
    expect(manifest.engines.node).toBe("^20.19.0 || >=22.12.0");
    // Vite (under Vitest) is what sets it; if it moves, the README's sentence and engines must move with it.
    const besideVitest = join(realpathSync(join(repoRoot, "node_modules", "vitest")), "..");
    expect(JSON.parse(readFileSync(join(besideVitest, "vite", "package.json"), "utf8")).engines.node).toBe(
      manifest.engines.node,
    );
    expect(enginesOf("@hono/node-server")).toBe(">=20");
    expect(enginesOf("@aws-sdk/client-dynamodb")).toBe(">=20.0.0");
  });

  it("is stated once, in the README's Quick start, and no document claims another", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const quickStart = readme.split("\n## Quick start\n")[1]?.split("\n## ")[0] ?? "";
    expect(quickStart).toContain("**Node 20.19 or later** (on the 22 line, 22.12 or later");
    expect(quickStart).toContain(`\`${manifest.engines.node}\``);
    for (const { file, text } of documents()) {
      const claims = text.split("\n").filter((line) => /Node\s*(≥|>=)\s*\d/.test(line));
      expect(claims, file).toEqual([]);
    }
  });

  it("every tsx script preloads the silencer of the AWS SDK's Node 20 notice", () => {
    const tsxScripts = Object.entries(manifest.scripts).filter(([, command]) => command.startsWith("tsx "));
    expect(tsxScripts.length).toBeGreaterThan(0);
    for (const [name, command] of tsxScripts) {
      expect(command, name).toMatch(/^tsx --import \.\/scripts\/sdk-node-notice\.ts /);
    }
  });
});
