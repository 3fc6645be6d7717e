/** Calendar-date arithmetic on `YYYY-MM-DD` strings, in UTC. */
const DAY_MS = 86_400_000;

export function toDate(value: string): Date {
  return new Date(`${value}T00:00:00.000Z`);
}
export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
export function addDays(value: string, days: number): string {
  return formatDate(new Date(toDate(value).getTime() + days * DAY_MS));
}
export function daysBetween(from: string, to: string): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / DAY_MS);
}
export function today(now: Date = new Date()): string {
  return formatDate(now);
}
/** `YYYY-MM` of a date: the bucket events are listed by. */
export function monthOf(value: string): string {
  return value.slice(0, 7);
}
/** Every month from the month of `from` to the month of `to`, inclusive, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = monthOf(to);
  for (;;) {
    const current = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
    months.push(current);
    if (current >= last) return months;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}
