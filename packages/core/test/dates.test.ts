import { describe, expect, it } from "vitest";
import { addDays, daysBetween, formatDate, monthOf, monthsBetween, toDate, today } from "../src/domain/dates.js";

describe("date helpers", () => {
  it("monthsBetween lists every month bucket in order, across years", () => {
    expect(monthsBetween("2026-11-20", "2027-02-10")).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
    expect(monthsBetween("2026-12-31", "2027-01-01")).toEqual(["2026-12", "2027-01"]);
    expect(monthsBetween("2026-06-01", "2026-06-30")).toEqual(["2026-06"]);
    expect(monthsBetween("2026-06-15", "2026-06-15")).toEqual(["2026-06"]);
    expect(monthsBetween("9999-12-01", "9999-12-31")).toEqual(["9999-12"]);
    expect(monthsBetween("1970-01-01", "1970-03-01")).toEqual(["1970-01", "1970-02", "1970-03"]);
    const years = monthsBetween("2025-12-31", "2028-01-01");
    expect(years).toHaveLength(26);
    expect(years[0]).toBe("2025-12");
    expect(years.at(-1)).toBe("2028-01");
    expect(new Set(years).size).toBe(26);
    expect([...years].sort()).toEqual(years);
    // The longest listable range (365 days, possibly in a leap year) spans at most 13 buckets.
    expect(monthsBetween("2028-01-31", addDays("2028-01-31", 365))).toHaveLength(13);
  });

  it("addDays and daysBetween cross month, year and leap-day boundaries", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2026-01-01", 365)).toBe("2027-01-01");
    expect(daysBetween("2028-01-01", "2029-01-01")).toBe(366);
    expect(daysBetween("2026-11-20", "2027-02-10")).toBe(82);
    expect(daysBetween("2027-02-10", "2026-11-20")).toBe(-82);
    // UTC only: no daylight-saving day is 23 or 25 hours long.
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
  });

  it("monthOf, toDate, formatDate and today work in UTC", () => {
    expect(monthOf("2026-11-20")).toBe("2026-11");
    expect(toDate("2026-11-20").toISOString()).toBe("2026-11-20T00:00:00.000Z");
    expect(formatDate(new Date("2026-11-20T23:59:59.999Z"))).toBe("2026-11-20");
    expect(today(new Date("2026-12-31T23:30:00.000-02:00"))).toBe("2027-01-01");
  });
});
