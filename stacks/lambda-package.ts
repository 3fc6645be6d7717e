import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * What the API Lambda is made of, shared by stacks/api.ts and scripts/bundle-lambda.ts (which builds it the
 * way SST does). Free of SST globals so plain Node and the root tsconfig can import it.
 */

/** `<path from the repository root without extension>.<exported function>`, SST's handler format. */
export const API_HANDLER = "packages/api/src/lambda.handler";

/** The COPIES=stream consumer's handler (stacks/copy-consumer.ts): applies copy changes from the tables' streams. */
export const COPIES_HANDLER = "packages/api/src/copies-consumer.handler";

/** Packages left out of the bundle and npm-installed into the function package (`nodejs.install`). */
export const API_NODE_INSTALL = ["swagger-ui-dist"] as const;

/** The extensions SST tries, in its order, when it looks for a Node handler's file. */
const NODE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/** The file and export a handler string names, as SST resolves it; `file` is undefined when none exists. */
export function resolveHandler(handler: string, root: string): { file: string | undefined; exportName: string } {
  const dot = handler.lastIndexOf(".");
  const base = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const file = NODE_EXTENSIONS.map((extension) => join(root, base + extension)).find((path) => existsSync(path));
  return { file, exportName };
}
