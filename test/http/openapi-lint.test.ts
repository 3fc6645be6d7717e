import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DESIGNS } from "../support/database.js";
import { useTestApp } from "../support/http.js";

const REDOCLY = fileURLToPath(new URL("../../node_modules/.bin/redocly", import.meta.url));

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
}

/**
 * `redocly lint` with its recommended rules, offline (no telemetry, no update check), in a scratch directory so
 * that no config file is picked up. One run for several files: it prints one JSON report per file, in order.
 */
async function lint(documents: object[]): Promise<LintReport[]> {
  const directory = await mkdtemp(join(tmpdir(), "tablelab-openapi-"));
  try {
    const files = await Promise.all(
      documents.map(async (document, index) => {
        const file = join(directory, `openapi-${index}.json`);
        await writeFile(file, JSON.stringify(document, null, 2));
        return file;
      }),
    );
    const run = promisify(execFile)(REDOCLY, ["lint", "--extends=recommended", "--format=json", ...files], {
      cwd: directory,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
    // It exits non-zero when it finds an error; the report is on stdout either way.
    const { stdout } = await run.catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
    return stdout
      .trim()
      .split(/\n\}\{\n/)
      .map((part, index, parts) => JSON.parse(`${index > 0 ? "{" : ""}${part}${index < parts.length - 1 ? "}" : ""}`));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

describe.each(DESIGNS)("the served OpenAPI document (%s design)", (design) => {
  const t = useTestApp(design, "http-openapi-lint");

  it("passes @redocly/cli lint (recommended rules) with no error and no warning", { timeout: 180_000 }, async () => {
    const document = (await t().get("/openapi.json")).body;
    // The same document without servers and one operationId, to show that the linter really reads it.
    const broken = structuredClone(document);
    delete broken.servers;
    delete broken.paths["/health"].get.operationId;

    const [served, control] = await lint([document, broken]);
    const summary = (report: LintReport | undefined) =>
      report?.problems.map((problem) => `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer}`);
    expect(summary(served)).toEqual([]);
    expect(served?.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(summary(control)?.sort()).toEqual([
      "error no-empty-servers at #/openapi",
      "warn operation-operationId at #/paths/~1health/get/operationId",
    ]);
  });
});
