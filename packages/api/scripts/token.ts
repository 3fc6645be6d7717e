import { createDynamoClients, createStore, ULID_PATTERN } from "@tablelab/core";
import { loadConfig } from "../src/config.js";
import { mintToken, TOKEN_LIFETIME_SECONDS } from "../src/middleware/auth.js";
import { localEndpoint, localJwtSecret } from "./local.js";

/** `pnpm token <userId | email>`: prints a bearer token for a user, signed with the local secret. */
async function main() {
  const [subject] = process.argv.slice(2);
  if (!subject) {
    console.error("usage: pnpm token <userId | email>");
    process.exit(2);
  }
  const secret = localJwtSecret();
  let userId = subject;
  if (!ULID_PATTERN.test(subject)) {
    if (!subject.includes("@")) throw new Error(`"${subject}" is neither a ULID user id nor an email`);
    // AP2: find the user by email (the API has no such route: it would let anyone probe for accounts).
    const config = loadConfig({ ...process.env, DYNAMODB_ENDPOINT: localEndpoint() });
    const clients = createDynamoClients(config.dynamo);
    const store = createStore({ ...config, document: clients.document, cursorSecret: secret });
    userId = (await store.findUserByEmail(subject)).userId;
    clients.destroy();
  }
  console.error(`token for ${userId}, valid ${TOKEN_LIFETIME_SECONDS / 3600} h:`);
  console.log(await mintToken(userId, secret));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
