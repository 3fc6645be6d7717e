import { colorOf, escapeHtml } from "./html-kit.js";

/**
 * Horizontal bar charts, inline SVG: one row per access pattern labelled with its name, one bar per design with
 * its value written at the bar's end. Text at 13 px (labels) and 12 px (values) to stay readable on a laptop.
 */
export interface ChartRow {
  label: string;
  values: Array<{ design: string; value: number }>;
}

export interface Chart {
  title: string;
  unit: string;
  rows: ChartRow[];
  format: (value: number) => string;
  note?: string;
}

export function barChart(chart: Chart): string {
  const barHeight = 18;
  const gap = 10;
  const labelWidth = 330;
  const width = 820;
  const plot = width - labelWidth - 90;
  const designs = Math.max(1, ...chart.rows.map((row) => row.values.length));
  const rowHeight = designs * barHeight + gap;
  const max = Math.max(1e-9, ...chart.rows.flatMap((row) => row.values.map((v) => v.value)));
  const height = chart.rows.length * rowHeight + 6;
  const parts: string[] = [];
  chart.rows.forEach((row, index) => {
    const y0 = 3 + index * rowHeight;
    parts.push(
      `<text x="0" y="${y0 + (row.values.length * barHeight) / 2 + 5}" class="label">${escapeHtml(row.label)}</text>`,
    );
    row.values.forEach((entry, bar) => {
      const w = Math.max(entry.value > 0 ? 2 : 0, (entry.value / max) * plot);
      const y = y0 + bar * barHeight;
      const text = chart.format(entry.value);
      parts.push(
        `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight - 3}" fill="${colorOf(bar)}"><title>${escapeHtml(`${row.label} — ${entry.design}: ${text} ${chart.unit}`)}</title></rect>`,
        `<text x="${(labelWidth + w + 5).toFixed(1)}" y="${y + barHeight - 5}" class="value">${escapeHtml(text)}</text>`,
      );
    });
  });
  return `<figure class="chart"><figcaption>${escapeHtml(chart.title)} <small>(${escapeHtml(chart.unit)})</small></figcaption>${
    chart.note ? `<p class="chart-note">${escapeHtml(chart.note)}</p>` : ""
  }<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(chart.title)}">${parts.join("")}</svg></figure>`;
}
