import type { TableDesign } from "@tablelab/core";
import { defaultTableNames, tableDefinitions } from "@tablelab/core/table";
import { Resource } from "sst";

/**
 * Physical table name per logical table id (`{ Table: "…" }`, or `{ Users: "…", Events: "…", … }`).
 *  - Under SST (deployed, or `sst dev`), SST sets `SST_RESOURCE_App` and links every table of the design to
 *    the function: the names are `Resource.<id>.name`, whatever SST called the tables.
 *  - Elsewhere (local server, tests, the comparison harness) `TABLE_NAME` is the name of the single table, or
 *    the prefix of the multi-table design's names (see `defaultTableNames`).
 */
export function tableNamesFromEnvironment(
  design: TableDesign,
  env: Record<string, string | undefined> = process.env,
): Record<string, string> {
  if (env.SST_RESOURCE_App) {
    const linked = Resource as unknown as Record<string, { name?: unknown } | undefined>;
    return Object.fromEntries(
      tableDefinitions(design).map(({ id }) => {
        // Reading an unlinked id throws SST's own error ("… is not linked in your sst.config.ts").
        const name = linked[id]?.name;
        if (typeof name !== "string" || name === "") throw new Error(`SST resource ${id} has no table name`);
        return [id, name];
      }),
    );
  }
  const prefix = env.TABLE_NAME;
  if (!prefix) throw new Error("TABLE_NAME is not set (and this is not running under SST)");
  return defaultTableNames(design, prefix);
}
