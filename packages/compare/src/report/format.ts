/** Number formatting shared by the Markdown and HTML reports. */
export function num(value: number, digits = 2): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function usd(value: number): string {
  return value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(3)}`;
}

export function bytes(value: number): string {
  if (value >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(2)} MiB`;
  if (value >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${value} B`;
}

export function commands(perOp: Record<string, number>): string {
  return Object.entries(perOp)
    .filter(([, count]) => count > 0)
    .map(([command, count]) => `${num(count)} ${command}`)
    .join(" + ");
}
