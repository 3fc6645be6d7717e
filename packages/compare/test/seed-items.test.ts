import { randomBytes } from "node:crypto";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import {
  type CopyStrategy,
  createDynamoClients,
  createStore,
  type DesignVariant,
  defaultTableNames,
  type TableDesign,
  tableDefinitions,
  variantName,
} from "@tablelab/core";
import { ensureTable } from "@tablelab/core/local";
import { describe, expect, inject, it } from "vitest";
import { GRID } from "../../../test/support/database.js";
import { allowScan } from "../../../test/support/scan-guard.js";
import type { Dataset } from "../src/dataset.js";
import { opClock, storeClock, withOpClock } from "../src/op-clock.js";
import { ITEM_BUILDERS } from "../src/seed/items.js";

/**
 * Whether this build's store serves the strategy (reports it as its `copies`). A store from before the copy axis
 * writes one shape whatever it is asked for, so comparing the strategy's agreed shape with it proves nothing:
 * such a cell is skipped, visibly, until the store serves it.
 */
function serves(design: TableDesign, copies: CopyStrategy): boolean {
  const clients = createDynamoClients({ endpoint: "http://127.0.0.1:1" });
  const store = createStore({
    design,
    copies,
    document: clients.document,
    tableNames: defaultTableNames(design, "probe"),
    cursorSecret: "x",
  });
  clients.destroy();
  return (store as { copies?: unknown }).copies === copies;
}

/** The seeder must write exactly the items the Store would: compare both, item for item, per cell of the grid. */
describe.each(GRID.map((variant): [string, DesignVariant] => [variantName(variant), variant]))(
  "item builders (%s)",
  (_name, { design, copies }) => {
    it.skipIf(!serves(design, copies))(
      "produce the items the Store writes for the same users, event and registration",
      async () => {
        const clients = createDynamoClients({ endpoint: inject("dynamoEndpoint") });
        const tableNames = defaultTableNames(design, `seeditems-${design}-${copies}-${randomBytes(3).toString("hex")}`);
        const definitions = tableDefinitions(design);
        for (const definition of definitions) {
          await ensureTable(clients.client, definition, tableNames[definition.id] as string);
        }
        const store = createStore({
          design,
          copies,
          document: clients.document,
          tableNames,
          cursorSecret: "x",
          ...storeClock,
        });
        const clock = opClock("seed-items", design, Date.UTC(2026, 0, 1));
        const { organizer, attendee, event, registration } = await withOpClock(clock, async () => {
          const organizer = await store.createUser({ name: "Ada Lovelace", email: "ada@example.com" });
          const attendee = await store.createUser({ name: "Grace Hopper", email: "grace@example.com" });
          const event = await store.createEvent(organizer.userId, {
            name: "Single-table design",
            date: "2027-03-01",
            capacity: 10,
            venue: "Main hall",
            description: "Keys from access patterns.",
          });
          const registration = await store.register(event.eventId, attendee.userId);
          return { organizer, attendee, event, registration };
        });
        const dataset: Dataset = {
          users: [organizer, attendee],
          events: [{ ...event, registeredCount: 1 }],
          registrations: [
            { eventId: registration.eventId, userId: registration.userId, registeredAt: registration.registeredAt },
          ],
          firstDay: "2027-01-01",
          lastDay: "2027-12-31",
          endsAt: 0,
        };
        const built = ITEM_BUILDERS[design](dataset, tableNames, clients.document, copies);

        for (const definition of definitions) {
          const name = tableNames[definition.id] as string;
          // A Scan reads back everything the Store wrote: a test helper's census, exempt from the no-Scan guard.
          const { Items = [] } = await allowScan(() =>
            clients.document.send(new ScanCommand({ TableName: name, ConsistentRead: true })),
          );
          const expected = built.filter((item) => item.table === name).map((item) => item.item);
          const key = (item: Record<string, unknown>) => JSON.stringify(Object.entries(item).sort());
          // `writeId` records which call wrote an item (so a retried write recognises its own): provenance of a
          // live request, which seeded data has none of.
          const stored = Items.map(({ writeId: _provenance, ...item }) => item);
          expect(expected.map(key).sort(), definition.id).toEqual(stored.map(key).sort());
        }
        clients.destroy();
      },
    );
  },
);
