/**
 * Exports read back as a spreadsheet reads them (test/helpers/excel.ts, written without the
 * export code): the numbers must be the engine's, in Swedish Excel's dialect (semicolons,
 * decimal comma) for kronor and British Excel's for pounds.
 */
import { readFileSync } from "node:fs";
import { HyperFormula } from "hyperformula";
import { describe, expect, test } from "vitest";
import { formatChance, formatMillions, formatMoney, formatNumber, formatPercent } from "../../models/format.js";
import { csvDialect, csvNumber, parseScenario, runScenario, summaryCsv, summaryRows, toCsv, trialColumns, trialsCsv, trialsJson } from "../../models/index.js";
import { readAsExcel, records } from "../helpers/excel.js";

/** Intl writes a no-break space (U+00A0, U+202F) where Swedish text has a space: compare as plain spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

// Witness: Språkrådet, Svenska skrivregler (4th ed.) §§ on numbers: groups of three digits
// separated by a space, a decimal comma, a space before "%" and the unit "kr" after the
// amount; a minus sign (U+2212) in typeset text. British usage (Oxford style): "£1,234,567".
describe("Swedish number formatting", () => {
  test("formatMoney(1234567) is 1 234 567 kr", () => expect(plain(formatMoney(1234567))).toBe("1 234 567 kr"));
  test("formatMoney rounds to whole kronor and writes a minus sign", () => expect(plain(formatMoney(-1234567.5))).toBe("−1 234 568 kr"));
  test("formatNumber(1234.5, sv-SE, 1) has a decimal comma", () => expect(plain(formatNumber(1234.5, "sv-SE", 1))).toBe("1 234,5"));
  test("formatPercent(0.123) is 12,3 % with a space before the sign", () => expect(plain(formatPercent(0.123))).toBe("12,3 %"));
  test("formatChance: a decimal below 10 %, whole percent above, never a rounded 0 % or 100 % for what happened", () => {
    expect(plain(formatChance(0.0523))).toBe("5,2 %");
    expect(plain(formatChance(0.644))).toBe("64 %");
    expect(plain(formatChance(0.0004))).toBe("under 0,1 %");
    expect(plain(formatChance(0.9996))).toBe("over 99,9 %");
    expect(plain(formatChance(0))).toBe("0,0 %");
    expect(plain(formatChance(0.388, "en-GB"))).toBe("39%");
    expect(formatChance(null)).toBe("–");
  });
  test("formatMillions(12 345 678) is 12,3 mnkr", () => expect(plain(formatMillions(12_345_678))).toBe("12,3 mnkr"));
  test("pounds are written the British way", () => expect(formatMoney(1234567, "GBP")).toBe("£1,234,567"));
  test("a missing value is an en dash, never NaN", () => {
    for (const f of [formatMoney, formatMillions, formatPercent, formatNumber]) expect((f as (x: number) => string)(NaN)).toBe("–");
  });
});

describe("CSV dialects", () => {
  // Excel takes its list separator and decimal symbol from the Windows regional settings:
  // Swedish, Norwegian, Danish and German use ";" and ","; British and American "," and ".".
  test.each([
    ["sv-SE", ";", ","],
    ["nb-NO", ";", ","],
    ["da-DK", ";", ","],
    ["de-DE", ";", ","],
    ["en-GB", ",", "."],
    ["en-US", ",", "."],
  ])("csvDialect(%s) splits on %s with decimal %s", (locale, delimiter, decimal) => {
    expect(csvDialect(locale)).toEqual({ locale, delimiter, decimal });
  });

  const sv = csvDialect("sv-SE");
  // Excel keeps 15 significant digits (Microsoft, "Floating-point arithmetic may give
  // inaccurate results in Excel"): =2/3 shows as 0,666666666666667 at full width.
  test.each([
    [1234567.891, "1234567,891"],
    [-0.05, "-0,05"],
    [2 / 3, "0,666666666666667"],
    [0.1 + 0.2, "0,3"],
    [1e-10, "0,0000000001"],
    [12_000_000, "12000000"],
    [-0, "0"],
  ])("csvNumber(%s) in Swedish is %s: no grouping, no exponent, ASCII minus", (x, text) => expect(csvNumber(x, sv)).toBe(text));
  test("a number with no value (a trial without an IRR) is an empty cell", () => {
    expect(csvNumber(NaN, sv)).toBe("");
    expect(csvNumber(null, sv)).toBe("");
  });

  test("toCsv starts with a UTF-8 byte-order mark, quotes separators and disarms formulas", () => {
    const text = toCsv(["namn", "värde"], [["Norrköping; 2016", 1.5], ["=SUM(A1)", -2]], sv);
    expect(text.startsWith("\ufeff")).toBe(true);
    const { utf8, rows } = readAsExcel(text, "sv-SE");
    expect(utf8).toBe(true);
    expect(rows).toEqual([["namn", "värde"], ["Norrköping; 2016", 1.5], ["'=SUM(A1)", -2]]);
  });
});

const load = (file: string) => {
  const parsed = parseScenario(JSON.parse(readFileSync(new URL(`../../data/scenarios/${file}`, import.meta.url), "utf8")));
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join("\n"));
  return parsed.scenario;
};

/**
 * Equal to 15 significant digits, the most a CSV cell (and Excel) holds: within half a unit of
 * the 15th digit (0.5 · 10^(⌊log₁₀|x|⌋ − 14)), plus a few ulps for reading the decimal back.
 */
function same(read: unknown, engine: number): boolean {
  if (!Number.isFinite(engine)) return read === null;
  if (typeof read !== "number") return false;
  const x = Math.abs(engine);
  const halfUnit = x === 0 ? 0 : 0.5 * Math.pow(10, Math.floor(Math.log10(x)) - 14);
  return Math.abs(read - engine) <= halfUnit + 4 * Number.EPSILON * x;
}
function expectSame(read: number | null, engine: number) {
  expect(same(read, engine), `read ${read}, engine ${engine}`).toBe(true);
}

describe.each([
  ["norrkoping-2016.json", "sv-SE", "kr"],
  ["peterborough-2010.json", "en-GB", "£"],
] as const)("%s exported for %s Excel and read back", (file, locale, symbol) => {
  const run = runScenario(load(file), { trials: 2000, seed: 7 });
  const columns = trialColumns(run);
  const dialect = csvDialect(locale);

  test("the per-trial CSV holds the engine's numbers, trial by trial", () => {
    const { utf8, rows } = readAsExcel(trialsCsv(columns, dialect), locale);
    expect(utf8).toBe(true);
    const table = records(rows);
    expect(table).toHaveLength(2000);
    expect(rows[0]).toEqual(["trial", ...Object.keys(columns)]);
    // Every cell is compared; those that differ are collected and asserted once (an expect per
    // cell made this the file's main cost).
    const differ: string[] = [];
    for (const [id, values] of Object.entries(columns)) {
      for (let t = 0; t < values.length; t++) if (!same(table[t]![id], values[t]!)) differ.push(`${id} in trial ${t + 1}: read ${table[t]![id]}, engine ${values[t]}`);
    }
    expect(differ.slice(0, 20), `${differ.length} cells differ`).toEqual([]);
    expect(table.map((r) => r.trial)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
  });

  test("the columns read back give the summary's figures, as Excel's AVERAGE, PERCENTILE.INC and MAX compute them", () => {
    // Witness: HyperFormula (an independent formula engine, not our code nor d3) evaluating the
    // Excel functions on the sheet as read back; PERCENTILE.INC is R-7 (test/witness/quantiles.test.ts).
    // HyperFormula rounds results to 10 significant digits (its precisionRounding), hence 9 decimals for a rate.
    const rows = readAsExcel(trialsCsv(columns, dialect), locale).rows;
    const table = records(rows);
    const hf = HyperFormula.buildFromArray(rows, { licenseKey: "gpl-v3" });
    const excel = (formula: string, id: string) => {
      const c = rows[0]!.indexOf(id);
      const letter = c < 26 ? String.fromCharCode(65 + c) : String.fromCharCode(64 + Math.floor(c / 26)) + String.fromCharCode(65 + (c % 26));
      return hf.calculateFormula(formula.replace("{}", `${letter}2:${letter}${rows.length}`), 0) as number;
    };
    const s = run.summary;
    expect(excel("=AVERAGE({})", "payments")).toBeCloseTo(s.payer.payments!.mean, 4);
    expect(excel("=PERCENTILE.INC({}, 0.95)", "payments")).toBeCloseTo(s.payer.payments!.p95, 4);
    expect(excel("=PERCENTILE.INC({}, 0.05)", "payments")).toBeCloseTo(s.payer.payments!.p5, 4);
    expect(excel("=MAX({})", "payments")).toBeCloseTo(s.payer.maxPayments, 4);
    expect(excel("=MEDIAN({})", "irr")).toBeCloseTo(s.investor.irr!.p50, 9);
    expect(excel("=PERCENTILE.INC({}, 0.25)", "irr")).toBeCloseTo(s.investor.irr!.p25, 9);
    // A chance is the count of 1s over the trials: COUNTIF / ROWS.
    expect(excel("=COUNTIF({}, 1)", "loss") / 2000).toBe(s.investor.probLoss);
    expect(excel("=COUNTIF({}, 1)", "payForNothing") / 2000).toBe(s.contract.probPayForNothing);
    hf.destroy();
    // Payments by budget year add up to each trial's payments.
    const years = Object.keys(columns).filter((k) => k.startsWith("paymentsYear"));
    for (const r of table.slice(0, 200)) expect(years.reduce((a, k) => a + (r[k] as number), 0)).toBeCloseTo(r.payments as number, 4);
  });

  test(`the summary CSV holds every figure of the summary, money in ${symbol}`, () => {
    const { rows } = readAsExcel(summaryCsv(run.summary, dialect), locale);
    const [header, ...body] = rows;
    expect(header).toEqual(["figure", "unit", "value", "mean", "p5", "p25", "p50", "p75", "p95"]);
    expect(body.slice(0, 4)).toEqual([["scenario", null, run.summary.scenario], ["trials", null, 2000], ["seed", null, 7], ["currency", null, run.summary.currency]]);
    const byFigure = new Map(body.slice(4).map((r) => [r[0], r]));
    const expected = summaryRows(run.summary);
    expect(byFigure.size).toBe(expected.length);
    for (const e of expected) {
      const r = byFigure.get(e.figure)!;
      if (e.value !== null) expectSame(r[2] as number, e.value);
      if (e.dist) ["mean", "p5", "p25", "p50", "p75", "p95"].forEach((k, i) => expectSame(r[3 + i] as number, e.dist![k as "mean"]));
    }
    expect(byFigure.get("payer.maxPayments")![1]).toBe(symbol);
    expect(byFigure.get("investor.probLoss")![1]).toBe("share");
    expectSame(byFigure.get("payer.payments")![3] as number, run.summary.payer.payments!.mean);
  });

  test("the per-trial JSON holds the same numbers, null where there is none", () => {
    const json = JSON.parse(trialsJson(columns, { scenario: run.summary.scenario, trials: 2000, seed: 7, currency: run.summary.currency }));
    expect(json.rows).toHaveLength(2000);
    expect(json.units.irr).toBe("fraction per year");
    const differ: string[] = [];
    for (const [id, values] of Object.entries(columns)) {
      json.rows.forEach((r: Record<string, number | null>, t: number) => {
        if (!Object.is(r[id], Number.isFinite(values[t]) ? values[t] : null)) differ.push(`${id} in trial ${t + 1}: JSON ${r[id]}, engine ${values[t]}`);
      });
    }
    expect(differ.slice(0, 20), `${differ.length} cells differ`).toEqual([]);
  });
});
