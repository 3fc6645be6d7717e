import { parseTableDesign, sstDynamoArgs, tableDefinitions } from "@tablelab/core/table";

/**
 * The DynamoDB tables of the selected design, one `sst.aws.Dynamo` per table definition, named by its logical
 * id (`Table` for the single-table design, so the Lambda reads `Resource.Table.name`). Keys and indexes come
 * from the core's definitions through `sstDynamoArgs`: nothing about the layout is written here.
 * `sst.aws.Dynamo` bills on demand and turns point-in-time recovery on by itself.
 */
export function createStorage() {
  const design = parseTableDesign(process.env.TABLE_DESIGN);
  const production = $app.stage === "production";
  const tables: Record<string, sst.aws.Dynamo> = {};
  for (const definition of tableDefinitions(design)) {
    tables[definition.id] = new sst.aws.Dynamo(definition.id, {
      ...sstDynamoArgs(definition),
      // DynamoDB itself then refuses DeleteTable, whatever a later deploy or a console click asks for.
      deletionProtection: production,
    });
  }
  return { design, production, tables };
}

export type Storage = ReturnType<typeof createStorage>;
