/**
 * One formatter per page language (models/format.ts, formatsFor). Witnesses are the exact strings
 * the style rules ask for (docs/design.md, issue 13 item 9): English pages in English conventions
 * whatever the currency ("7.1 MSEK", "SEK 1,234,567", "12.3%"), the Swedish page in Swedish
 * ones ("7,1 mnkr", "1 234 567 kr", "12,3 %"). Intl writes Swedish grouping with a no-break space
 * (U+00A0) and the percent sign after a no-break space; both are normalised to a space here.
 */
import { describe, expect, test } from "vitest";
import { formatMillions, formatsFor, formatSignificant, formatTick, millionsUnit } from "../../models/format.js";

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("formatsFor('en', …): English pages", () => {
  const en = formatsFor("en", "SEK");
  test("kronor in millions and in whole units, a decimal point, a minus sign", () => {
    expect(en.millions(7_06e4)).toBe("7.1 MSEK");
    expect(en.millions(-3_400_000)).toBe("−3.4 MSEK");
    expect(en.millions(-10_000)).toBe("0.0 MSEK"); // rounds to zero: no sign
    expect(plain(en.money(1_234_567))).toBe("SEK 1,234,567");
    expect(en.millionsUnit).toBe("MSEK");
  });
  test("percentages and chances", () => {
    expect(en.percent(-0.034)).toBe("−3.4%");
    expect(en.percent(0.097)).toBe("9.7%");
    expect(en.chance(0.6412)).toBe("64%");
    expect(en.chance(0.0004)).toBe("under 0.1%");
    expect(en.chance(0.9996)).toBe("over 99.9%");
  });
  test("pounds keep their symbol first", () => {
    const gb = formatsFor("en", "GBP");
    expect(gb.millions(7_060_000)).toBe("£7.1M");
    expect(gb.millions(-300_000)).toBe("−£0.3M");
    expect(gb.millionsUnit).toBe("£M");
  });
  test("no English figure carries a decimal comma or 'mnkr'", () => {
    const all = [en.millions(1234.5e6), en.money(-9_876_543), en.percent(0.12345, 2), en.number(1234.5, 1), en.significant(0.0123456), en.millionsTick(2.5e6), en.millionsError(31_234)].map(plain);
    for (const s of all) expect(s).not.toMatch(/\d,\d{1,2}(?!\d)|mnkr/);
    expect(all).toEqual(["1,234.5 MSEK", "−SEK 9,876,543", "12.35%", "1,234.5", "0.0123", "2.5", "0.031"]);
  });
});

describe("formatsFor('sv', …): the Swedish page", () => {
  const sv = formatsFor("sv", "SEK");
  test("mnkr and kr, a decimal comma, grouping by spaces", () => {
    expect(plain(sv.millions(7_060_000))).toBe("7,1 mnkr");
    expect(plain(sv.millions(-3_400_000))).toBe("−3,4 mnkr");
    expect(plain(sv.money(1_234_567))).toBe("1 234 567 kr");
    expect(plain(sv.percent(0.123))).toBe("12,3 %");
    expect(plain(sv.chance(0.9996))).toBe("över 99,9 %");
    expect(sv.millionsUnit).toBe("mnkr");
  });
  test("no Swedish figure carries 'MSEK' or a decimal point", () => {
    const all = [sv.millions(1234.5e6), sv.money(-9_876_543), sv.percent(0.12345, 2), sv.number(1234.5, 1), sv.significant(0.0123456), sv.millionsTick(2.5e6)].map(plain);
    for (const s of all) expect(s).not.toMatch(/\d\.\d|MSEK/);
    expect(all).toEqual(["1 234,5 mnkr", "−9 876 543 kr", "12,35 %", "1 234,5", "0,0123", "2,5"]);
  });
  test("pounds on the Swedish page are written in words", () => {
    expect(plain(formatsFor("sv", "GBP").millions(7_060_000))).toBe("7,1 miljoner pund");
  });
});

describe("Intl's fraction digits instead of counted digits", () => {
  test("formatSignificant: three significant digits, at least one decimal, whichever is more precise", () => {
    expect(formatSignificant(0.123456, "en-GB")).toBe("0.123");
    expect(formatSignificant(1234.56, "en-GB")).toBe("1,234.6");
    expect(formatSignificant(7, "en-GB")).toBe("7");
    expect(formatSignificant(0.000123456, "en-GB")).toBe("0.000123");
  });
  test("formatTick: as few decimals as a tick needs, at most two", () => {
    expect([5, 2.5, 0.25, 0.125].map((x) => formatTick(x, "en-GB"))).toEqual(["5", "2.5", "0.25", "0.13"]);
  });
  test("the spreadsheet default (localeOf) is unchanged: a kronor amount without a locale is Swedish", () => {
    expect(plain(formatMillions(7_060_000, "SEK"))).toBe("7,1 mnkr");
    expect(millionsUnit("SEK", "en-GB")).toBe("MSEK");
  });
});
