/// <reference path="./.sst/platform/config.d.ts" />

/**
 * SST v4 app. No top-level imports here (SST refuses them): the infrastructure lives in `stacks/` and is
 * imported inside `run()`. Each stage's table design is written in stacks/stages.ts (a deploying shell whose
 * TABLE_DESIGN names another design is refused); `TABLELAB_DEV_DB=local` makes `sst dev` use DynamoDB Local
 * (stacks/dev-database.ts).
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
    const { stageTableDesign } = await import("./stacks/stages");
    const { createStorage } = await import("./stacks/storage");
    const { createDevDatabase } = await import("./stacks/dev-database");
    const { createApi } = await import("./stacks/api");
    // First, before anything is created: a shell asking for another design than the stage's stops here.
    const storage = createStorage(stageTableDesign($app.stage, process.env.TABLE_DESIGN));
    const api = createApi(storage, createDevDatabase(storage));
    return {
      api: api.gateway.url,
      design: storage.design,
      ...Object.fromEntries(Object.entries(storage.tables).map(([id, table]) => [`table${id}`, table.name])),
    };
  },
});
