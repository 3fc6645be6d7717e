import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { main } from "../../packages/compare/src/main.js";
import { evaluateMix, type Mix, type MixResult, type ModelFigures } from "../../packages/compare/src/mix/model.js";
import { launchChromium, requireChromium } from "../support/browser.js";

const SMALL = ["--users", "24", "--events", "12", "--registrations", "80", "--ops", "4", "--concurrency", "2"];
/**
 * Three cells: enough for both grid views (single+sync vs multi+sync holds the copies equal; multi+none vs
 * multi+sync compares strategies on one design) without the cost of all six; a one-point sweep.
 */
const CELLS = ["single+sync", "multi+none", "multi+sync"]; // the grid's order: design-major
const GRID = ["--designs", CELLS.join(","), "--sweep", "6"];

/** The team's own mix, as a YAML file given to `pnpm compare --mix`. */
const MIX_YAML = `name: our conference site
total: 3000000
shares: { AP6: 30, AP15: 25, AP7: 10, AP16: 10, AP12: 5, AP13: 1, AP10: 2, AP4: 1, AP5: 1 }
items: { users: 200000, events: 4000 }
registrationsPerEvent: 35
`;

interface Report {
  model: ModelFigures;
  mixes: MixResult[];
}

const FIELDS = ["readCost", "writeCost", "storageCost", "totalCost", "storageBytes", "requests", "latencyMs"] as const;

/** The mix results table as the page shows it: raw values per design and field. */
async function shown(page: Page): Promise<Record<string, Record<string, number>>> {
  const cells = await page.$$eval("#mix-results tbody td[data-field]", (nodes) =>
    nodes.map((cell) => ({
      design: cell.closest("tr")?.getAttribute("data-design") ?? "",
      field: cell.getAttribute("data-field") ?? "",
      value: Number(cell.getAttribute("data-value")),
    })),
  );
  const table: Record<string, Record<string, number>> = {};
  for (const { design, field, value } of cells) table[design] = { ...table[design], [field]: value };
  return table;
}

function expected(result: MixResult): Record<string, Record<string, number>> {
  return Object.fromEntries(
    result.designs.map((design) => [design.id, Object.fromEntries(FIELDS.map((field) => [field, design[field]]))]),
  );
}

describe("compare.html in a real browser", () => {
  let browser: Browser;
  let page: Page;
  let report: Report;
  const out = mkdtempSync(join(tmpdir(), "tablelab-report-"));
  const problems: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    requireChromium();
    const mixFile = join(out, "ours.yaml");
    writeFileSync(mixFile, MIX_YAML);
    const log: string[] = [];
    const code = await main(
      [
        ...SMALL,
        ...GRID,
        "--mix",
        mixFile,
        "--endpoint",
        inject("dynamoEndpoint"),
        "--yes",
        "--out",
        out,
        "--no-progress",
      ],
      { out: (line) => log.push(line), err: (line) => log.push(line) },
    );
    expect(code, log.join("\n")).toBe(0);
    report = JSON.parse(readFileSync(join(out, "compare.json"), "utf8")) as Report;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(pathToFileURL(join(out, "compare.html")).href);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it("opens with the verdict, loads nothing from elsewhere and logs no error", async () => {
    const headings = await page.$$eval("h2", (nodes) => nodes.map((node) => node.textContent));
    expect(headings[0]).toBe("Verdict");
    expect(await page.$$eval(".scoreboard tbody tr", (rows) => rows.length)).toBe(report.mixes[0]?.designs.length);
    expect(await page.$$eval(".quotes li", (items) => items.length)).toBeGreaterThanOrEqual(2);
    // Chart labels carry the pattern's name, at 12 px or more.
    const labels = await page.$$eval("svg .label", (nodes) =>
      nodes.map((node) => ({
        text: node.textContent ?? "", // Page context: the browser's getComputedStyle (this file compiles without the DOM library).
        size: Number.parseFloat(
          (globalThis as unknown as { getComputedStyle(n: unknown): { fontSize: string } }).getComputedStyle(node)
            .fontSize,
        ),
      })),
    );
    expect(labels.some((label) => label.text.startsWith("AP15 event + first page"))).toBe(true);
    expect(Math.min(...labels.map((label) => label.size))).toBeGreaterThanOrEqual(12);
    // Scale: 10 M, 100 M and 1 B items for every design; hot partitions: at least one row per design.
    const designs = report.mixes[0]?.designs.length ?? 0;
    expect(await page.$$eval("#scale tbody tr", (rows) => rows.length)).toBe(3 * designs);
    expect(await page.$$eval("#hot tbody tr", (rows) => rows.length)).toBeGreaterThanOrEqual(designs);
    expect(requested.filter((url) => !url.startsWith("file://"))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("shows the grid after the verdict: one table with copies held equal, each strategy's cost, the sweep", async () => {
    const headings = await page.$$eval("h2", (nodes) => nodes.map((node) => node.textContent ?? ""));
    expect(headings[1]).toMatch(/^The grid/);
    expect(
      await page.$$eval(".scoreboard tbody tr", (rows) => rows.map((row) => row.querySelector("code")?.textContent)),
    ).toEqual(CELLS);
    // One table's worth: single+sync vs multi+sync, a row per group of patterns and the total.
    const oneTable = await page.$$eval("#one-table + h4 + table thead th", (cells) => cells.map((c) => c.textContent));
    expect(oneTable).toEqual([
      "group",
      "single+sync $/month · AWS latency",
      "multi+sync $/month · AWS latency",
      "multi+sync vs single+sync",
    ]);
    expect(await page.$$eval("#one-table + h4 + table tbody tr", (rows) => rows.length)).toBe(6);
    const strategies = await page.$$eval("#copy-costs + h4", (nodes) => nodes.map((node) => node.textContent));
    expect(strategies).toEqual(["design: multi"]);
    // The sweep: a row per cell, each renamed (6 copies is under every limit).
    const sweep = await page.$$eval("#sweep tbody tr", (rows) =>
      rows.map((row) => [...row.querySelectorAll("td")].slice(0, 3).map((cell) => cell.textContent)),
    );
    expect(sweep).toEqual(CELLS.map((cell) => [cell, "6", "renamed"]));
  });

  it("shows the --mix file's numbers, exactly as the CLI computed them", async () => {
    expect(report.mixes[0]?.mix.name).toBe("our conference site");
    expect(await shown(page)).toEqual(expected(report.mixes[0] as MixResult));
  });

  it("recomputes live as the mix changes, with the CLI's model", async () => {
    const before = await shown(page);
    await page.fill('input[data-ap="AP10"]', "900000");
    await page.fill("#mix-rpe", "80");
    const after = await shown(page);
    expect(after).not.toEqual(before);
    const base = report.mixes[0]?.mix as Mix;
    const edited: Mix = { ...base, registrationsPerEvent: 80, perMonth: { ...base.perMonth, AP10: 900_000 } };
    expect(after).toEqual(expected(evaluateMix(edited, report.model)));
    expect(await page.$$eval("#break-even li", (items) => items.length)).toBeGreaterThan(0);
    // A preset gives the preset's numbers, as compare.json has them.
    await page.selectOption("#mix-preset", "2");
    expect(await shown(page)).toEqual(expected(report.mixes[2] as MixResult));
  });

  it("draws the layout, switches to an index view and highlights what a pattern reads", async () => {
    const panels = await page.$$eval(".design-panel", (nodes) => nodes.map((node) => node.getAttribute("data-design")));
    expect(panels).toEqual(report.mixes[0]?.designs.map((design) => design.id));
    const button = page.locator(".design-panel .switch button").nth(1);
    const [table, view] = [await button.getAttribute("data-table"), await button.getAttribute("data-view")];
    await button.click();
    const panel = page.locator(".design-panel").first();
    await expect.poll(() => panel.locator(`.view[data-table="${table}"][data-view="${view}"]`).isVisible()).toBe(true);
    expect(await panel.locator(`.view[data-table="${table}"][data-view="table"]`).isVisible()).toBe(false);
    await page.selectOption("#ap-select", "AP15");
    for (const design of panels) {
      const hits = await page.locator(`.design-panel[data-design="${design}"] tr.hit`).count();
      expect(hits, `${design}: rows highlighted for AP15`).toBeGreaterThan(0);
      expect(await page.locator(`.design-panel[data-design="${design}"] .reads`).textContent()).toMatch(/Query/);
    }
    expect(problems).toEqual([]);
  });
});
