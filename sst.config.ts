/// <reference path="./.sst/platform/config.d.ts" />

/**
 * SST v4 app. No top-level imports here (SST refuses them): the infrastructure lives in `stacks/` and is
 * imported inside `run()`. Each stage's table design and copy strategy are written in stacks/stages.ts (a
 * deploying shell whose TABLE_DESIGN or COPIES names another is refused); `TABLELAB_DEV_DB=local` makes `sst dev`
 * use DynamoDB Local (stacks/dev-database.ts). COPIES=stream adds the tables' streams and their consumer
 * (stacks/copy-consumer.ts).
 */
export default $config({
  app(input) {
    const production = input?.stage === "production";
    return {
      name: "tablelab",
      home: "aws",
      // Production keeps its data: `sst remove --stage production` leaves the tables (retain) and SST refuses
      // to remove a protected stage at all. Every other stage is disposable.
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    const { stageCopies, stageTableDesign } = await import("./stacks/stages");
    const { createStorage } = await import("./stacks/storage");
    const { createDevDatabase } = await import("./stacks/dev-database");
    const { createApi } = await import("./stacks/api");
    const { createCopyConsumer } = await import("./stacks/copy-consumer");
    // First, before anything is created: a shell asking for another design or copy strategy than the stage's
    // stops here.
    const design = stageTableDesign($app.stage, process.env.TABLE_DESIGN);
    const copies = stageCopies($app.stage, process.env.COPIES);
    const storage = createStorage(design, copies);
    const devDatabase = createDevDatabase(storage);
    const api = createApi(storage, devDatabase);
    createCopyConsumer(storage, devDatabase);
    return {
      api: api.gateway.url,
      design: storage.design,
      copies: storage.copies,
      ...Object.fromEntries(Object.entries(storage.tables).map(([id, table]) => [`table${id}`, table.name])),
    };
  },
});
