import { sstDynamoArgs, tableDefinitions } from "@tablelab/core/table";
import { COPY_SOURCE_TABLES, COPY_STREAM_VIEW } from "./copy-sources";
import { type CopyStrategy, PRODUCTION_STAGE, type TableDesign } from "./stages";

/**
 * The DynamoDB tables of the stage's design, one `sst.aws.Dynamo` per table definition, named by its logical
 * id (`Table` for the single-table design, so the Lambda reads `Resource.Table.name`). Keys and indexes come
 * from the core's definitions through `sstDynamoArgs`: nothing about the layout is written here. Nothing else
 * (dev or deploy, local or cloud database) changes them. `sst.aws.Dynamo` bills on demand and turns
 * point-in-time recovery on by itself. Under COPIES=stream the tables copies are taken from (users, events) get a
 * stream of both images, which the copies consumer reads (stacks/copy-consumer.ts).
 */
export function createStorage(design: TableDesign, copies: CopyStrategy) {
  const production = $app.stage === PRODUCTION_STAGE;
  const streamed = new Set(copies === "stream" ? COPY_SOURCE_TABLES[design] : []);
  const tables: Record<string, sst.aws.Dynamo> = {};
  for (const definition of tableDefinitions(design)) {
    tables[definition.id] = new sst.aws.Dynamo(definition.id, {
      ...sstDynamoArgs(definition),
      // DynamoDB itself then refuses DeleteTable, whatever a later deploy or a console click asks for.
      deletionProtection: production,
      ...(streamed.has(definition.id) && { stream: COPY_STREAM_VIEW }),
    });
  }
  return { design, copies, production, tables };
}

export type Storage = ReturnType<typeof createStorage>;
