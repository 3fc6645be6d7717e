import { createDynamoClients, createStore, NotFoundError, ULID_PATTERN } from "@tablelab/core";
import { mintToken, TOKEN_LIFETIME_SECONDS } from "../src/middleware/auth.js";
import { cli, resolveScriptTarget, runScript, scriptJwtSecret, TARGET_HELP, UsageError } from "./local.js";

/** `pnpm mint-token <userId | email>`: prints a bearer token for a user, signed with the secret the API verifies. */
const program = cli("mint-token")
  .description(
    `Prints a bearer token (valid ${TOKEN_LIFETIME_SECONDS / 3600} h) for a user, signed with the secret the API ` +
      "checks: the local one of pnpm dev, or the stage's JwtSecret under `pnpm sst shell`. " +
      "An email is looked up in the database; a user id is not.",
  )
  .argument("<user>", "a user id (ULID) or an email address, e.g. ada@example.com after `pnpm seed`")
  .addHelpText("after", TARGET_HELP)
  .parse();

runScript(async () => {
  const subject = program.args[0] as string;
  if (!ULID_PATTERN.test(subject) && !subject.includes("@"))
    throw new UsageError(`"${subject}" is neither a user id (ULID) nor an email address`);
  let userId = subject;
  let jwtSecret = ULID_PATTERN.test(subject) ? scriptJwtSecret() : "";
  if (!ULID_PATTERN.test(subject)) {
    const target = await resolveScriptTarget();
    const { config, where } = target;
    jwtSecret = target.jwtSecret;
    // AP2: find the user by email (the API has no such route: it would let anyone probe for accounts).
    const clients = createDynamoClients(config.dynamo);
    try {
      const store = createStore({ ...config, document: clients.document, cursorSecret: jwtSecret });
      userId = (await store.findUserByEmail(subject)).userId;
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new UsageError(`no user with email ${subject} in ${where} (\`pnpm seed\` adds ada@example.com, …)`);
      throw error;
    } finally {
      clients.destroy();
    }
  }
  console.error(`token for ${userId}, valid ${TOKEN_LIFETIME_SECONDS / 3600} h:`);
  console.log(await mintToken(userId, jwtSecret));
  return 0;
});
