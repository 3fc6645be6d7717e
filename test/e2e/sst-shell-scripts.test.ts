import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, silentLogger } from "@tablelab/api";
import {
  createDynamoClients,
  createStore,
  DEFAULT_COPIES,
  type DynamoClients,
  defaultTableNames,
  type TableDesign,
  tableDefinitions,
} from "@tablelab/core";
import { ensureTable } from "@tablelab/core/local";
import { verify } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DESIGNS, type TestDatabase } from "../support/database.js";
import { countItems } from "../support/items.js";
import { lines, runPnpm } from "../support/pnpm-script.js";

/**
 * `pnpm sst shell -- pnpm seed` (README) and the other scripts under `sst shell`, run exactly as the user runs
 * them: `pnpm <script>` from the repository root, in the environment `sst shell` gives its command. SST 4.17.1
 * (cmd/sst/shell.go) adds, to the shell's own environment, `SST_RESOURCE_<name>` for every link of the deployed
 * stage — the JSON of the component's link properties plus its `type` (`.sst/platform/src/components/link.ts`:
 * a Dynamo links `{ name }`, a Secret `{ value }`, a Function `{ name, url }`, an ApiGatewayV2 `{ url }`) — and
 * `SST_RESOURCE_App` = `{"name": "<app>", "stage": "<stage>" }` (spacing as SST writes it), and the stage's AWS
 * credentials and region. The one difference here: the "stage's" tables live on the run's DynamoDB Local, so
 * DYNAMODB_ENDPOINT points there (the scripts honour it under SST as the API does).
 *
 * The tables carry SST-style physical names no TABLE_NAME could produce, and the shell also holds a decoy
 * TABLE_NAME whose tables exist: whatever the scripts touch, they found through SST's Resource.
 */
const STAGE = "alice";
const STAGE_SECRET = "stage-jwt-secret-from-sst-secret-set";
const suffix = () => randomBytes(4).toString("hex");

/** The environment `sst shell` hands `pnpm <script>` for a stage whose links are `links`. */
function sstShellEnvironment(links: Record<string, Record<string, unknown>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, properties] of Object.entries(links)) env[`SST_RESOURCE_${name}`] = JSON.stringify(properties);
  env.SST_RESOURCE_App = `{"name": "tablelab", "stage": "${STAGE}" }`;
  env.AWS_ACCESS_KEY_ID = "ASIASTAGECREDENTIALS";
  env.AWS_SECRET_ACCESS_KEY = "stage-secret-access-key";
  env.AWS_SESSION_TOKEN = "stage-session-token";
  env.AWS_REGION = "eu-west-1";
  return env;
}

async function createTables(clients: DynamoClients, design: TableDesign, names: Record<string, string>) {
  for (const definition of tableDefinitions(design)) {
    await ensureTable(clients.client, definition, names[definition.id] as string);
  }
}

const dataDir = mkdtempSync(join(tmpdir(), "tablelab-sst-shell-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.each(DESIGNS)("the scripts under `pnpm sst shell` (%s design)", (design) => {
  const clients = createDynamoClients({ endpoint: inject("dynamoEndpoint"), requestTimeoutMs: 20_000 });
  /** As SST names a Dynamo component's table: app, stage, component name, a random suffix. */
  const stageTables = Object.fromEntries(
    tableDefinitions(design).map(({ id }) => [id, `tablelab-${STAGE}-${id}Table-${suffix()}`]),
  );
  const decoyPrefix = `sst-shell-decoy-${design}-${suffix()}`;
  const decoyTables = defaultTableNames(design, decoyPrefix);
  const asDatabase = (tableNames: Record<string, string>) => ({ clients, tableNames }) as unknown as TestDatabase;
  const stageStore = () =>
    createStore({ design, document: clients.document, tableNames: stageTables, cursorSecret: STAGE_SECRET });

  const env: Record<string, string | undefined> = {
    ...sstShellEnvironment({
      ...Object.fromEntries(Object.entries(stageTables).map(([id, name]) => [id, { type: "sst.aws.Dynamo", name }])),
      JwtSecret: { type: "sst.sst.Secret", value: STAGE_SECRET },
      ApiFunction: { type: "sst.aws.Function", name: `tablelab-${STAGE}-ApiFunctionFunction-${suffix()}` },
      Api: { type: "sst.aws.ApiGatewayV2", url: "https://abc123.execute-api.eu-west-1.amazonaws.com" },
    }),
    DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
    // What a developer's shell may still hold from local work: none of it may redirect the scripts.
    TABLE_NAME: decoyPrefix,
    TABLE_DESIGN: undefined,
    JWT_SECRET: "a-local-secret-the-stage-does-not-know",
    DYNAMODB_LOCAL_PORT: undefined,
    TABLELAB_DATA_DIR: dataDir,
  };

  beforeAll(async () => {
    await createTables(clients, design, stageTables);
    await createTables(clients, design, decoyTables);
  });
  afterAll(() => clients.destroy());

  it("pnpm seed writes the demo data into the tables SST's Resource names", { timeout: 180_000 }, async () => {
    const seeded = await runPnpm(["seed"], env);
    expect(seeded.stderr).toBe("");
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain(`seeded ${design} design on stage ${STAGE}`);
    expect(seeded.stdout).toContain("added 12 users, 24 events");
    const ada = await stageStore().findUserByEmail("ada@example.com");
    expect(ada.name).toBe("Ada");
    expect(await countItems(asDatabase(decoyTables))).toBe(0);
  });

  it("pnpm mint-token ada@example.com mints a token the API with the stage's JwtSecret accepts", {
    timeout: 120_000,
  }, async () => {
    const minted = await runPnpm(["mint-token", "ada@example.com"], env);
    expect(minted.code).toBe(0);
    const token = minted.stdout.trim().split("\n").at(-1) as string;
    const ada = await stageStore().findUserByEmail("ada@example.com");
    expect((await verify(token, STAGE_SECRET, "HS256")).sub).toBe(ada.userId);

    const apiWith = (jwtSecret: string) =>
      createApp({
        store: stageStore(),
        jwtSecret,
        dbMetrics: false,
        corsOrigins: [],
        logger: silentLogger,
        now: () => new Date(),
      });
    const rename = (jwtSecret: string) =>
      apiWith(jwtSecret).request(`/users/${ada.userId}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "Ada L." }),
      });
    // Signed with the local secret (JWT_SECRET, .data/jwt-secret) the stage's API would answer 401.
    expect((await rename(env.JWT_SECRET as string)).status).toBe(401);
    const accepted = await rename(STAGE_SECRET);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ userId: ada.userId, name: "Ada L." });
    expect(existsSync(join(dataDir, "jwt-secret")), "no local secret was created or read").toBe(false);
  });

  it("pnpm check-integrity reads the stage's tables", { timeout: 120_000 }, async () => {
    const checked = await runPnpm(["check-integrity"], env);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain(
      `${design} design, copies ${DEFAULT_COPIES[design]}, on stage ${STAGE} (${inject("dynamoEndpoint")}), table(s) ${Object.values(stageTables).join(", ")}`,
    );
    expect(checked.stdout).toContain("12 users");
    expect(checked.stdout).toContain("OK: every invariant holds");
  });

  it("a TABLE_DESIGN left in the shell that names the other design is refused in one line", {
    timeout: 120_000,
  }, async () => {
    const other = design === "single" ? "multi" : "single";
    const refused = await runPnpm(["seed"], { ...env, TABLE_DESIGN: other });
    expect(refused.code).not.toBe(0);
    expect(lines(refused.stderr)).toEqual([
      `TABLE_DESIGN=${other}, but this stage's tables are the ${design} design: unset TABLE_DESIGN`,
    ]);
  });
});
