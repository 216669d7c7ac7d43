/**
 * Numbers formatted for their reader, with the platform's Intl (no hand-written grouping):
 * Swedish kronor as `1 234 567 kr` with a decimal comma, pounds and dollars their own way.
 * Pure, so the CLI, the pages and the tests share one implementation.
 */

const LOCALE_BY_CURRENCY: Record<string, string> = { SEK: "sv-SE", GBP: "en-GB", USD: "en-US", EUR: "de-DE", NOK: "nb-NO", DKK: "da-DK" };

/** The locale a currency's amounts are written in. */
export function localeOf(currency: string): string {
  return LOCALE_BY_CURRENCY[currency] ?? "en-GB";
}

const cache = new Map<string, Intl.NumberFormat>();
function formatter(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = locale + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

/**
 * Whether Intl formats `currency` (an ISO 4217 code). The schema refuses any other, but the
 * explorer shows a scenario while it is being fixed, so the formatters below never throw on one:
 * they write the amount as a number followed by the text given (`1 234 kr` for "kr").
 */
function formatsAsCurrency(currency: string): boolean {
  try {
    formatter("en", { style: "currency", currency });
    return true;
  } catch {
    return false;
  }
}

/** `1 234 567 kr`; a missing value is an en dash, never "NaN". */
export function formatMoney(x: number | null | undefined, currency = "SEK", locale = localeOf(currency)): string {
  if (x == null || !Number.isFinite(x)) return "–";
  if (!formatsAsCurrency(currency)) return `${formatter(locale, { maximumFractionDigits: 0 }).format(x)} ${currency}`.trimEnd();
  return formatter(locale, { style: "currency", currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(x);
}

/** Money in millions: `12,3 mnkr` (Swedish) or `£12.3M`. */
export function formatMillions(x: number | null | undefined, currency = "SEK", locale = localeOf(currency)): string {
  if (x == null || !Number.isFinite(x)) return "–";
  const m = formatter(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(x / 1e6);
  if (currency === "SEK") return `${m} mnkr`;
  // The sign goes before the symbol: −£0.3M, not £-0.3M.
  const symbol = currencySymbol(currency, locale);
  const abs = formatter(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(Math.abs(x) / 1e6);
  return `${x < 0 && abs !== "0.0" ? "−" : ""}${symbol}${abs}M`;
}

/** The symbol a currency is written with in a locale: kr for SEK in Swedish, £ for GBP in English. */
export function currencySymbol(currency: string, locale = localeOf(currency)): string {
  if (!formatsAsCurrency(currency)) return currency;
  return formatter(locale, { style: "currency", currency }).formatToParts(0).find((p) => p.type === "currency")?.value ?? currency;
}

/** A fraction as a percentage: `12,3 %` in Swedish, `12.3%` in English. */
export function formatPercent(x: number | null | undefined, locale = "sv-SE", digits = 1): string {
  if (x == null || !Number.isFinite(x)) return "–";
  return formatter(locale, { style: "percent", maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x);
}

/**
 * A chance: one decimal below 10 % (where a point matters), whole percent above, and "under 0,1 %"
 * or "over 99,9 %" rather than a rounded 0 % or 100 % for something that did happen (or fail).
 */
export function formatChance(p: number | null | undefined, locale = "sv-SE"): string {
  if (p == null || !Number.isFinite(p)) return "–";
  if (p > 0 && p < 0.001) return `under ${formatPercent(0.001, locale, 1)}`;
  if (p < 1 && p > 0.999) return `over ${formatPercent(0.999, locale, 1)}`;
  return formatPercent(p, locale, p < 0.1 ? 1 : 0);
}

/** A plain number: `1 234,5` in Swedish. */
export function formatNumber(x: number | null | undefined, locale = "sv-SE", digits = 0): string {
  if (x == null || !Number.isFinite(x)) return "–";
  return formatter(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x);
}
