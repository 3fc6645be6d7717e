import { main } from "./main.js";

/** `pnpm compare`: see args.ts for the flags and docs/comparison.md for the method. */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const controller = new AbortController();
process.on("SIGINT", () => {
  // The run stops between operations; its `finally` deletes the tables it created and stops DynamoDB Local.
  if (controller.signal.aborted) process.exit(130);
  console.error("\ninterrupted: cleaning up (Ctrl-C again to force)…");
  controller.abort(new Error("interrupted"));
});

process.exitCode = await main(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  signal: controller.signal,
});
