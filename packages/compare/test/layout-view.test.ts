import { itemKeys } from "@tablelab/core";
import { describe, expect, it } from "vitest";
import { layoutGroups, layoutSection } from "../src/report/layout-view.js";
import type { DesignResult } from "../src/run.js";
import type { SampleTable } from "../src/samples.js";

/** A cell with only what the layout view reads: its design, its sample items and its read probes. */
function cell(variant: string, withCopies: boolean): DesignResult {
  const [design, copies] = variant.split("+") as ["single", "sync"];
  const key = itemKeys.registration("e1", "u1");
  const registration = { ...key, ...(withCopies && { userName: "Ada" }) };
  const samples: SampleTable[] = [
    {
      tableId: "Table",
      hashKey: "pk",
      rangeKey: "sk",
      partitions: [{ partitionKey: key.pk, items: [registration] }],
    },
  ];
  const highlights = {
    AP14: [{ tableId: "Table", command: "Query", condition: `pk = ${key.pk}`, rows: [`Table|${key.pk}|${key.sk}`] }],
  };
  return { variant, design, copies, tables: { Table: `t-${variant}` }, samples, highlights } as unknown as DesignResult;
}

const panels = (html: string) => [...html.matchAll(/class="design-panel" data-design="([^"]+)"/g)].map((m) => m[1]);

describe("the layout view draws one panel per distinct item layout", () => {
  it("merges cells that store the same items (sync and stream), keeps the others apart, in run order", () => {
    const designs = [cell("single+none", false), cell("single+sync", true), cell("single+stream", true)];
    expect(layoutGroups(designs).map((group) => group.map((design) => design.variant))).toEqual([
      ["single+none"],
      ["single+sync", "single+stream"],
    ]);
    const html = layoutSection(designs);
    expect(panels(html)).toEqual(["single+none", "single+sync"]);
    expect(html).toContain('data-variants="single+sync single+stream"');
    expect(html).toContain("<code>single+sync</code>, <code>single+stream</code>: the same items");
  });

  it("reads sent together count as the same whatever order they answered in", () => {
    const first = cell("multi+sync", true);
    const second = cell("multi+stream", true);
    const getItem = {
      tableId: "Table",
      command: "GetItem",
      condition: `pk = ${itemKeys.event("e1").pk}`,
      rows: [],
    };
    first.highlights = { AP15: [getItem, ...(first.highlights.AP14 ?? [])] };
    second.highlights = { AP15: [...(second.highlights.AP14 ?? []), getItem] };
    expect(layoutGroups([first, second])).toHaveLength(1);
  });

  it("never merges two designs, even with equal samples", () => {
    const designs = [
      cell("single+sync", true),
      { ...cell("single+sync", true), variant: "multi+sync", design: "multi" },
    ];
    expect(layoutGroups(designs as DesignResult[])).toHaveLength(2);
  });
});
