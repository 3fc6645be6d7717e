/// <reference path="./.sst/platform/config.d.ts" />

/**
 * SST v4 app. No top-level imports here (SST refuses them): the infrastructure lives in `stacks/` and is
 * imported inside `run()`. `TABLE_DESIGN=single|multi` (read when the config is evaluated) picks the tables.
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
    const { createStorage } = await import("./stacks/storage");
    const { createApi } = await import("./stacks/api");
    const storage = createStorage();
    const api = createApi(storage);
    return {
      api: api.gateway.url,
      design: storage.design,
      ...Object.fromEntries(Object.entries(storage.tables).map(([id, table]) => [`table${id}`, table.name])),
    };
  },
});
