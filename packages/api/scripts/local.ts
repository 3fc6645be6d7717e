import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the directory holding pnpm-workspace.yaml. */
export function repoRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, "pnpm-workspace.yaml"))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error("not inside the tablelab checkout");
    directory = parent;
  }
  return directory;
}

/**
 * Where a checkout keeps its local state (DynamoDB Local's files, the JWT secret): `.data/` at the repository
 * root, git-ignored. `TABLELAB_DATA_DIR` moves it (the end-to-end tests use a temporary directory).
 */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const directory = env.TABLELAB_DATA_DIR ? resolve(env.TABLELAB_DATA_DIR) : resolve(repoRoot(), ".data");
  mkdirSync(directory, { recursive: true });
  return directory;
}

/** JWT_SECRET if set, else the per-checkout secret, created once and kept (mode 0600) under `.data/`. */
export function localJwtSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  const file = join(dataDirectory(), "jwt-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  return readFileSync(file, "utf8").trim();
}

/** The DynamoDB endpoint local tools talk to: DYNAMODB_ENDPOINT, else the DynamoDB Local `pnpm dev` runs. */
export function localEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.DYNAMODB_ENDPOINT || `http://127.0.0.1:${env.DYNAMODB_LOCAL_PORT || 8000}`;
}
