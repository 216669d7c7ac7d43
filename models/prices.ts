/**
 * One money basis. Cost figures are stated at the prices of one year (`valuation.priceYear`,
 * e.g. the SiS fee of 2020), while the contract's payments are nominal kronor of the years they
 * are paid in. With a price year and a contract start date, the engine turns every avoided cost
 * into nominal money of the year it falls in, by SCB's KPI annual averages (the figure tables,
 * data/figures/kpi.json) and, past the table's last year, by `valuation.inflation` a year; and
 * present values are taken in kronor of the start year (real flows at the real discount rate).
 * Without both, figures are taken as they stand, as before: one basis assumed, not checked.
 */
import { budgetYear, type Calendar } from "./calendar.js";
import { priceFactor } from "./figures/resolve.js";

export interface PriceBasis {
  /** The year whose prices the cost figures are in. */
  readonly priceYear: number;
  /** Calendar year of period 0. */
  readonly startYear: number;
  /** Inflation a year past the price index table. */
  readonly inflation: number;
}

/** KPI(year) ÷ KPI(priceYear), from the table where it has the years, extrapolated past it. */
function indexRatio(b: PriceBasis, year: number): number {
  let y = year, extra = 1;
  let f = priceFactor(b.priceYear, y);
  while (typeof f === "string" && y > b.priceYear) {
    y--;
    extra *= 1 + b.inflation;
    f = priceFactor(b.priceYear, y);
  }
  return typeof f === "number" ? f * extra : Math.pow(1 + b.inflation, year - b.priceYear);
}

/**
 * Per-period factors: `nominal[p]` turns money at the price year's prices into nominal money of
 * period p's year; `toStart[p]` turns period p's nominal money into kronor of the start year.
 * Both are 1 without a price basis.
 */
export function priceFactors(basis: PriceBasis | null, calendar: Calendar, periods: number): { nominal: Float64Array; toStart: Float64Array } {
  const nominal = new Float64Array(periods).fill(1), toStart = new Float64Array(periods).fill(1);
  if (!basis) return { nominal, toStart };
  const start = indexRatio(basis, basis.startYear);
  for (let p = 0; p < periods; p++) {
    const f = indexRatio(basis, basis.startYear + budgetYear(calendar, p));
    nominal[p] = f;
    toStart[p] = start / f;
  }
  return { nominal, toStart };
}

/** Money at the price year's prices in kronor of the start year (KPI ratio); 1 without a price basis. */
export function realToStartYear(basis: PriceBasis | null): number {
  return basis ? indexRatio(basis, basis.startYear) : 1;
}
