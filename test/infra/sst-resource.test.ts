/**
 * How the Lambda finds its tables: SST links each table to the function and the `sst` package's `Resource`
 * reads them at run time from `SST_RESOURCE_<id>` (JSON) next to `SST_RESOURCE_App` (deployed, the links
 * come encrypted in a file instead; `SST_RESOURCE_App` is set either way). Outside SST, `TABLE_NAME` names
 * them. Each test file runs in its own process, so the variables set here reach no other file.
 */
import { defaultTableNames, TABLE_DESIGNS, tableDefinitions } from "@tablelab/core/table";
import { beforeAll, describe, expect, it } from "vitest";
import { tableNamesFromEnvironment } from "../../packages/api/src/config/table-names.js";

const physical = (id: string) => `tablelab-alice-${id}Table-a1b2c3`;

beforeAll(() => {
  // As SST sets them on the function (its `Resource` reads the environment once, on first use).
  process.env.SST_RESOURCE_App = JSON.stringify({ name: "tablelab", stage: "alice" });
  for (const design of TABLE_DESIGNS) {
    for (const { id } of tableDefinitions(design)) {
      process.env[`SST_RESOURCE_${id}`] = JSON.stringify({ name: physical(id), type: "sst.aws.Dynamo" });
    }
  }
});

it("resolves Resource.Table.name from SST's environment variables", async () => {
  const { Resource } = await import("sst");
  expect(Resource.App).toEqual({ name: "tablelab", stage: "alice" });
  expect(Resource.Table.name).toBe(physical("Table"));
});

describe.each(TABLE_DESIGNS)("tableNamesFromEnvironment(%s)", (design) => {
  const ids = tableDefinitions(design).map((definition) => definition.id);

  it("takes SST's linked names under SST", () => {
    expect(tableNamesFromEnvironment(design, { ...process.env, TABLE_NAME: "ignored" })).toEqual(
      Object.fromEntries(ids.map((id) => [id, physical(id)])),
    );
  });

  it("takes TABLE_NAME (a name or a prefix) elsewhere", () => {
    const names = tableNamesFromEnvironment(design, { TABLE_NAME: "tablelab-local" });
    expect(names).toEqual(defaultTableNames(design, "tablelab-local"));
    expect(Object.keys(names)).toEqual(ids);
    if (design === "single") expect(names).toEqual({ Table: "tablelab-local" });
  });

  it("refuses to guess without either", () => {
    expect(() => tableNamesFromEnvironment(design, {})).toThrow(/TABLE_NAME/);
  });
});
