import { addDays, type Store, type TableDefinition } from "@tablelab/core";
import type { Dataset } from "./dataset.js";
import { opClock, withOpClock } from "./op-clock.js";
import { probe } from "./probe.js";
import type { SampleFocus } from "./samples.js";
import type { PatternId } from "./workloads/types.js";

/**
 * Per read pattern, what its request read on the sample's own entities: which table or index, the key condition,
 * and the rows returned — drawn as highlights on the layout view. Writes are not probed (they would change the
 * data set before the measured workloads run).
 */
export interface Highlight {
  tableId: string;
  /** Index name, or undefined for the table itself. */
  index?: string;
  command: string;
  condition: string;
  limit?: number;
  /** Row ids (`rowId`) of the items returned. */
  rows: string[];
}

/** The layout view's id of an item: table, partition key and sort key values. */
export function rowId(definition: TableDefinition, item: Record<string, unknown>): string {
  const { hashKey, rangeKey } = definition.primaryIndex;
  return [definition.id, String(item[hashKey] ?? ""), rangeKey ? String(item[rangeKey] ?? "") : ""].join("|");
}

type Probe = (store: Store) => Promise<unknown>;

function probesFor(dataset: Dataset, focus: SampleFocus, pageSize: number): Partial<Record<PatternId, Probe>> {
  const event = dataset.events.find((candidate) => candidate.eventId === focus.eventId);
  const from = event?.date ?? dataset.firstDay;
  const page = { limit: pageSize };
  return {
    AP1: (store) => store.getUser(focus.userId),
    AP2: (store) => store.findUserByEmail(focus.email),
    AP6: (store) => store.getEvent(focus.eventId),
    AP7: (store) => store.listEventsByDate({ from, to: addDays(from, 29) }, page),
    AP8: (store) => store.listEventsByOrganizer(focus.userId, page),
    AP9: (store) => store.getUserWithEvents(focus.userId, page),
    AP14: (store) => store.listRegistrations(focus.eventId, page),
    AP15: (store) => store.getEventWithAttendees(focus.eventId, page),
    AP16: (store) => store.listUserRegistrations(focus.userId, page),
  };
}

export async function probeHighlights(
  store: Store,
  definitions: readonly TableDefinition[],
  tableNames: Record<string, string>,
  dataset: Dataset,
  focus: SampleFocus | undefined,
  pageSize: number,
): Promise<Partial<Record<PatternId, Highlight[]>>> {
  if (!focus) return {};
  const byName = new Map(definitions.map((definition) => [tableNames[definition.id], definition]));
  const out: Partial<Record<PatternId, Highlight[]>> = {};
  for (const [pattern, read] of Object.entries(probesFor(dataset, focus, pageSize)) as Array<[PatternId, Probe]>) {
    const calls = await withOpClock(opClock("probe", pattern, dataset.endsAt), () => probe(() => read(store)));
    out[pattern] = calls.flatMap((call) => {
      const definition = byName.get(call.table);
      if (!definition) return [];
      return [
        {
          tableId: definition.id,
          ...(call.index && { index: call.index }),
          command: call.command,
          condition: call.condition,
          ...(call.limit !== undefined && { limit: call.limit }),
          rows: call.items.map((item) => rowId(definition, item)),
        },
      ];
    });
  }
  return out;
}
