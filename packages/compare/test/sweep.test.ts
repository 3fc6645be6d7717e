import { createDynamoClients, createStore, defaultTableNames, type Store, TooManyCopiesError } from "@tablelab/core";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database.js";
import { calibrationFrom } from "../src/billing.js";
import { storeClock } from "../src/op-clock.js";
import { ITEM_BUILDERS } from "../src/seed/items.js";
import { runSweep, type SweepContext } from "../src/sweep.js";

const databases: TestDatabase[] = [];
afterAll(() => {
  for (const database of databases) database.clients.destroy();
});

function context(database: TestDatabase, store: Store): SweepContext {
  return {
    store,
    build: ITEM_BUILDERS[database.design],
    tableNames: database.tableNames,
    document: database.clients.document,
    seed: "sweep-test",
    clockStart: Date.UTC(2028, 0, 1),
    calibration: calibrationFrom(2),
    awaitCopies: async () => ({ calls: [], lagMs: [] }),
    copies: database.copies,
  };
}

/** A sync store with a limit of 3 copies per request: the sweep's 5-copy rename must be refused. */
async function syncStoreWithLimit(design: "single" | "multi") {
  const database = await createTestDatabase(design, "sweep", "sync");
  databases.push(database);
  const store = createStore({
    design,
    copies: "sync",
    maxSyncCopies: 3,
    document: database.clients.document,
    tableNames: database.tableNames,
    cursorSecret: "x",
    ...storeClock,
  });
  return { database, store };
}

/** Whether this build's store serves COPIES (reports its strategy): a store from before the axis has no limit. */
function boundsSyncCopies(design: "single" | "multi"): boolean {
  const clients = createDynamoClients({ endpoint: "http://127.0.0.1:1" });
  const store = createStore({
    design,
    copies: "sync",
    document: clients.document,
    tableNames: defaultTableNames(design, "probe"),
    cursorSecret: "x",
  });
  clients.destroy();
  return (store as { copies?: unknown }).copies === "sync";
}

describe("the fan-out sweep", () => {
  it("records a refused rename (409 too_many_copies) as the point's outcome and keeps going", async () => {
    const { database, store } = await syncStoreWithLimit("multi");
    let calls = 0;
    // The refusal as the sync store raises it past its limit, so this holds before the stores enforce it.
    const refusing: Store = Object.assign(Object.create(store) as Store, {
      updateEvent: async (...args: Parameters<Store["updateEvent"]>) => {
        calls++;
        if (calls === 2) throw new TooManyCopiesError(5, 3);
        return store.updateEvent(...args);
      },
    });
    const points = await runSweep([2, 5, 3], context(database, refusing));
    expect(points.map((point) => [point.copies, point.outcome])).toEqual([
      [2, "renamed"],
      [5, "refused"],
      [3, "renamed"],
    ]);
    expect(points[1]?.message).toMatch(/^409 too_many_copies: /);
  });

  for (const design of ["single", "multi"] as const) {
    it.skipIf(!boundsSyncCopies(design))(`has the ${design}+sync store refuse the rename past its limit`, async () => {
      const { database, store } = await syncStoreWithLimit(design);
      const points = await runSweep([2, 5], context(database, store));
      expect(points.map((point) => point.outcome)).toEqual(["renamed", "refused"]);
    });
  }
});
