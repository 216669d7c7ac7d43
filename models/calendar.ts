/**
 * Budget years. A contract with a start date (`contract.startDate`, "2016-08") books each
 * period's money in the calendar year that holds the period's middle, so a payer sees its own
 * budget years (Norrköping: operational August 2016, so its first quarter, August to October,
 * is booked in 2016 and its second, November to January, in 2016 too, its middle being in
 * mid-December). Without a start date, budget years are contract years counted from period 0.
 */

export interface Calendar {
  readonly periodsPerYear: number;
  /** Months since the start of year 0 at which period 0 starts (year × 12 + month − 1), or null. */
  readonly startMonth: number | null;
}

/** "2016-08" or "2016-08-15" → months since year 0; null when not given. */
export function startMonthOf(date: string | undefined): number | null {
  if (date === undefined) return null;
  const [y, m] = date.split("-").map(Number);
  return y! * 12 + (m ?? 1) - 1;
}

/** The budget year (0 = the first) in which period `p`'s money is booked. */
export function budgetYear(c: Calendar, p: number): number {
  if (c.startMonth === null) return Math.floor(p / c.periodsPerYear);
  const first = Math.floor(c.startMonth / 12);
  return Math.floor((c.startMonth + ((p + 0.5) * 12) / c.periodsPerYear) / 12) - first;
}

/** How many budget years periods [0, periods) touch. */
export function budgetYearCount(c: Calendar, periods: number): number {
  return periods > 0 ? budgetYear(c, periods - 1) + 1 : 0;
}

/** Names of the budget years: calendar years ("2016") with a start date, else "year 1", "year 2", …. */
export function budgetYearLabels(c: Calendar, count: number): string[] {
  const first = c.startMonth === null ? null : Math.floor(c.startMonth / 12);
  return Array.from({ length: count }, (_, y) => (first === null ? `year ${y + 1}` : String(first + y)));
}
