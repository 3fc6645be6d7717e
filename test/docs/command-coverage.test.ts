import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, shellCommands } from "./documented-commands.js";

/**
 * Every command a ```sh block of README.md or docs/*.md shows, and the test that runs it — or why none does.
 * A command added to the documents fails here until it is accounted for, so "every documented command is
 * tested" stays a checked statement. `runBy` tests run the command as written (the exceptions are stated in
 * each test's header: a temporary data directory, free ports for fixed ones, CI-sized flags appended).
 */
type Coverage = { runBy: string[]; note?: string } | { notRun: string; partly?: string[] };

const LOCAL = "test/docs/local-commands.test.ts";
const COMPARE = "test/docs/compare-commands.test.ts";
const AWS = "needs an AWS account and deploys or removes real resources";
const INFRA = ["test/infra/sst-config.test.ts", "test/infra/sst-pulumi-mocks.test.ts", "test/infra/stages.test.ts"];

const COVERAGE: Record<string, Coverage> = {
  "npm i -g pnpm@10 && pnpm install && pnpm dev": {
    notRun: "installs pnpm globally and the workspace from the registry; the suite itself runs on that install",
    partly: ["test/e2e/dev-server.test.ts", "test/e2e/dev-instances.test.ts"],
  },
  "pnpm seed": { runBy: [LOCAL, "test/e2e/sst-shell-scripts.test.ts"] },
  "pnpm mint-token ada@example.com": { runBy: [LOCAL, "test/e2e/sst-shell-scripts.test.ts"] },
  "TABLE_DESIGN=multi PORT=3001 DYNAMODB_LOCAL_PORT=8001 pnpm dev": { runBy: [LOCAL] },
  "pnpm test": { notRun: "is the whole suite, this file included" },
  "pnpm check-integrity": { runBy: [LOCAL, "test/e2e/sst-shell-scripts.test.ts"] },
  "pnpm check-integrity --json": { runBy: [LOCAL] },
  "pnpm bench": {
    notRun: "≈ 5 minutes of load; the same CLI runs with --quick in test/bench/bench.test.ts",
    partly: ["test/bench/bench.test.ts"],
  },
  "API=${API:-http://127.0.0.1:3000}": { runBy: ["test/docs/walkthrough.test.ts"] },
  "npm i openapi-fetch@0.17.0 && npm i -D openapi-typescript@7.13.0 typescript": {
    notRun:
      "installs from the npm registry into a consumer's project; the test checks the text names the catalog's pins",
    partly: ["test/docs/typed-client.test.ts"],
  },
  "npx openapi-typescript http://127.0.0.1:3000/openapi.json -o tablelab-api.d.ts": {
    runBy: ["test/docs/typed-client.test.ts"],
  },
  "pnpm dev:aws": { notRun: AWS, partly: INFRA },
  "pnpm deploy:aws --stage production": { notRun: AWS, partly: INFRA },
  "pnpm sst remove": { notRun: AWS, partly: INFRA },
  "pnpm sst remove --stage production": { notRun: AWS, partly: INFRA },
  "pnpm sst deploy --stage production": { notRun: AWS, partly: INFRA },
  'pnpm sst secret set JwtSecret "$(openssl rand -base64 48)"': { notRun: AWS },
  'pnpm sst secret set JwtSecret "$(openssl rand -base64 48)" --stage production': { notRun: AWS },
  "TABLELAB_DEV_DB=local pnpm dev:aws": { notRun: AWS, partly: ["test/infra/sst-dev-database.test.ts"] },
  "pnpm bench --duration 20 --cold-runs 20": { notRun: "≈ 8 minutes of load", partly: ["test/docs/cli-help.test.ts"] },
  "pnpm bench --copies stream": { runBy: ["test/bench/bench.test.ts"] },
  "pnpm bench --design multi": { notRun: "≈ 5 minutes of load", partly: ["test/docs/cli-help.test.ts"] },
  "pnpm bench --quick": {
    notRun:
      "minutes on a shared 2-core machine; test/bench/bench.test.ts runs it with --copies stream --duration 1 appended",
    partly: ["test/bench/bench.test.ts"],
  },
  "pnpm bench --help": { runBy: ["test/docs/cli-help.test.ts", "test/bench/bench.test.ts"] },
  "pnpm compare": { notRun: "default sizes take minutes; the CI-sized run below is the same CLI", partly: [COMPARE] },
  "pnpm compare --users 30 --events 15 --registrations 100 --ops 10 --no-sweep": { runBy: [COMPARE] },
  "pnpm compare --seed other --ops 500 --concurrency 8 --designs single+sync,multi+none": {
    notRun: "500 operations per pattern and cell at the default sizes take minutes",
    partly: ["packages/compare/test/compare.test.ts"],
  },
  "pnpm compare --designs single --quick": {
    notRun: "three cells at the default sizes take minutes; grid.test.ts checks what `single` and `--quick` select",
    partly: ["packages/compare/test/grid.test.ts", "packages/compare/test/compare.test.ts"],
  },
  "pnpm compare --mix packages/compare/examples/mix.yaml": { runBy: [COMPARE] },
  "pnpm compare --region eu-west-1 --yes": { notRun: AWS, partly: ["packages/compare/test/refusal.test.ts"] },
  "AWS_PROFILE=my-profile pnpm compare --region eu-west-1 --yes": {
    notRun: AWS,
    partly: ["packages/compare/test/refusal.test.ts"],
  },
  "AWS_PROFILE=my-profile pnpm compare --region eu-west-1 --yes --users 200 --events 100 --registrations 1000": {
    notRun: AWS,
    partly: ["packages/compare/test/refusal.test.ts"],
  },
  "pnpm exec tsx packages/bench/src/pagination.ts": { runBy: ["test/bench/pagination-figures.test.ts"] },
  "pnpm exec tsx packages/compare/src/lean-items.ts": { runBy: ["packages/compare/test/lean-items.test.ts"] },
};

describe("every documented shell command is run by a test, or says why not", () => {
  const documented = shellCommands();

  it("finds the documents' commands (the extraction itself works)", () => {
    const commands = documented.map((entry) => entry.command);
    expect(commands).toContain("TABLE_DESIGN=multi PORT=3001 DYNAMODB_LOCAL_PORT=8001 pnpm dev");
    expect(commands).toContain("pnpm exec tsx packages/bench/src/pagination.ts");
    // The walk-through script is one entry (its first line), not one per line.
    expect(commands.filter((command) => command.startsWith("curl"))).toEqual([]);
  });

  it("each is accounted for", () => {
    const unaccounted = documented.filter((entry) => !(entry.command in COVERAGE));
    expect(unaccounted.map((entry) => `${entry.file}:${entry.line} \`${entry.command}\``)).toEqual([]);
  });

  it("no entry is stale, and every test named exists", () => {
    const commands = new Set(documented.map((entry) => entry.command));
    expect(Object.keys(COVERAGE).filter((command) => !commands.has(command))).toEqual([]);
    const named = Object.values(COVERAGE).flatMap((coverage) =>
      "runBy" in coverage ? coverage.runBy : (coverage.partly ?? []),
    );
    expect(named.filter((file) => !existsSync(join(repoRoot, file)))).toEqual([]);
  });
});
