import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { type RunningServer, startServer } from "../support/server.js";
import { repoRoot } from "./documented-commands.js";

/**
 * The README's typed client for consumers outside the workspace, as they would build it: openapi-typescript
 * (the pinned CLI) generates types from `/openapi.json` served by a started server, `tsc` compiles the README's
 * program against them (and rejects a wrong call), and the program runs against that server. The only change to
 * the README's text is the server address: the test's server listens on a free port, not 3000.
 */
const README_ADDRESS = "http://127.0.0.1:3000";
const bin = (name: string) => join(repoRoot, "node_modules", ".bin", name);
const run = promisify(execFile);

function readmeBlocks(language: string): string[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.split("\n### A typed client\n")[1]?.split("\n## ")[0] ?? "";
  return [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\\n\`\`\``, "g"))].map((m) => m[1] as string);
}

async function tsc(directory: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(bin("tsc"), ["-p", "."], { cwd: directory, timeout: 120_000 });
    return { code: 0, output: stdout };
  } catch (error) {
    const { code, stdout = "" } = error as { code?: number; stdout?: string };
    return { code: code ?? 1, output: stdout };
  }
}

describe("README: a typed client generated from /openapi.json", () => {
  let db: TestDatabase;
  let server: RunningServer;
  const project = mkdtempSync(join(tmpdir(), "tablelab-typed-client-"));

  beforeAll(async () => {
    db = await createTestDatabase("single", "typed-client");
    server = await startServer(db);
    // The consumer's project: its own package.json and tsconfig; its dependencies are this repository's pins.
    symlinkSync(join(repoRoot, "node_modules"), join(project, "node_modules"));
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          lib: ["es2022", "dom"],
          types: [],
          noEmit: true,
        },
        files: ["program.ts"],
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    db?.clients.destroy();
    rmSync(project, { recursive: true, force: true });
  });

  it("documents the generator command and one program", () => {
    const [install, generate] = (readmeBlocks("sh")[0] ?? "").split("\n");
    expect(install).toBe("npm i openapi-fetch@0.17.0 && npm i -D openapi-typescript@7.13.0 typescript");
    expect(generate).toBe(`npx openapi-typescript ${README_ADDRESS}/openapi.json -o tablelab-api.d.ts`);
    // The versions the README names are the catalog's pins.
    const catalog = readFileSync(join(repoRoot, "pnpm-workspace.yaml"), "utf8");
    expect(catalog).toContain("openapi-fetch: 0.17.0");
    expect(catalog).toContain("openapi-typescript: 7.13.0");
    expect(readmeBlocks("ts").filter((block) => block.includes("openapi-fetch"))).toHaveLength(1);
  });

  it("generates types from the served document, compiles the README's program, and runs it", async () => {
    // `npx openapi-typescript <url> -o tablelab-api.d.ts`, with the pinned binary and the test server's address.
    await run(bin("openapi-typescript"), [`${server.base}/openapi.json`, "-o", "tablelab-api.d.ts"], {
      cwd: project,
      timeout: 120_000,
    });
    expect(readFileSync(join(project, "tablelab-api.d.ts"), "utf8")).toContain('"/events/{eventId}/registrations"');

    const program = readmeBlocks("ts").find((block) => block.includes("openapi-fetch")) as string;
    writeFileSync(join(project, "program.ts"), program);
    const compiled = await tsc(project);
    expect(compiled.output).toBe("");
    expect(compiled.code).toBe(0);

    writeFileSync(join(project, "program.ts"), program.replaceAll(README_ADDRESS, server.base));
    const { stdout } = await run(bin("tsx"), ["program.ts"], { cwd: project, timeout: 60_000 });
    const [eventId, listed] = stdout.trim().split(" ");
    expect(eventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(listed).toBe("1");
    expect((await fetch(`${server.base}/events/${eventId}`)).status).toBe(200);
  }, 240_000);

  it("the generated types reject a call the API would reject (a capacity that is not a number)", async () => {
    const program = readmeBlocks("ts").find((block) => block.includes("openapi-fetch")) as string;
    writeFileSync(join(project, "program.ts"), program.replace("capacity: 30", 'capacity: "thirty"'));
    const compiled = await tsc(project);
    expect(compiled.code).not.toBe(0);
    expect(compiled.output).toMatch(/program\.ts\(\d+,\d+\): error TS2322/);
  }, 240_000);
});
