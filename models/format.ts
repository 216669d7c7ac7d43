/**
 * Numbers formatted for their reader, with the platform's Intl (no hand-written grouping or
 * rounding): one formatter per page language (`formatsFor`). English pages write English
 * conventions whatever the currency (`7.1 MSEK`, `£7.1M`, `SEK 1,234,567`, `12.3%`, a decimal
 * point); the Swedish page Swedish ones (`7,1 mnkr`, `1 234 567 kr`, `12,3 %`, a decimal comma).
 * `localeOf` is the spreadsheet locale of a currency (CSV downloads), not a page's.
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

/** A page's language: English pages, or the Swedish briefing (Politikerunderlag). */
export type Lang = "en" | "sv";

/** The locale a page in `lang` writes numbers in: en-GB for every English page, sv-SE for the Swedish one. */
export function pageLocale(lang: Lang): string {
  return lang === "sv" ? "sv-SE" : "en-GB";
}

/** Intl writes a hyphen-minus in English; the pages write the minus sign (U+2212) in both languages. */
const minus = (text: string) => text.replace(/^-/, "\u2212").replace(/(\s)-/g, "$1\u2212");

/** Currencies written with a symbol before the amount in English: `£7.1M`, `$7.1M`, `€7.1M`; also a text that is no ISO code (`kr2.5M`). */
const PREFIXED = new Set(["GBP", "USD", "EUR"]);
const prefixed = (currency: string) => PREFIXED.has(currency) || !formatsAsCurrency(currency);
/** The Swedish words for a currency in millions: "mnkr", else "miljoner pund". */
const SV_MILLIONS: Record<string, string> = { SEK: "mnkr", GBP: "miljoner pund", USD: "miljoner dollar", EUR: "miljoner euro", NOK: "miljoner norska kronor", DKK: "miljoner danska kronor" };

/** `1 234 567 kr`; a missing value is an en dash, never "NaN". */
export function formatMoney(x: number | null | undefined, currency = "SEK", locale = localeOf(currency)): string {
  if (x == null || !Number.isFinite(x)) return "–";
  if (!formatsAsCurrency(currency)) return minus(`${formatter(locale, { maximumFractionDigits: 0 }).format(x)} ${currency}`.trimEnd());
  return minus(formatter(locale, { style: "currency", currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(x));
}

/**
 * The unit of amounts in millions: `mnkr` (Swedish, SEK), `MSEK`, `£M` (English). Axis labels
 * and table headers name it once, so their numbers can be bare.
 */
export function millionsUnit(currency = "SEK", locale = localeOf(currency)): string {
  if (locale.startsWith("sv")) return SV_MILLIONS[currency] ?? `miljoner ${currency}`;
  return prefixed(currency) ? `${currencySymbol(currency, locale)}M` : `M${currency}`;
}

/**
 * Money in millions to one decimal: `12,3 mnkr` (Swedish), `12.3 MSEK` or `£12.3M` (English).
 * The sign goes before a symbol: `−£0.3M`, not `£-0.3M`; a figure that rounds to zero has none.
 */
export function formatMillions(x: number | null | undefined, currency = "SEK", locale = localeOf(currency)): string {
  if (x == null || !Number.isFinite(x)) return "–";
  // signDisplay "negative" (ES2023): no sign on a figure that rounds to zero ("0.0", not "-0.0").
  const one = formatter(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1, signDisplay: "negative" } as unknown as Intl.NumberFormatOptions);
  if (locale.startsWith("sv") || !prefixed(currency)) return `${minus(one.format(x / 1e6))} ${millionsUnit(currency, locale)}`;
  const abs = one.format(Math.abs(x) / 1e6);
  return `${x < 0 && one.format(x / 1e6).startsWith("-") ? "\u2212" : ""}${currencySymbol(currency, locale)}${abs}M`;
}

/** The symbol a currency is written with in a locale: kr for SEK in Swedish, £ for GBP in English. */
export function currencySymbol(currency: string, locale = localeOf(currency)): string {
  if (!formatsAsCurrency(currency)) return currency;
  return formatter(locale, { style: "currency", currency }).formatToParts(0).find((p) => p.type === "currency")?.value ?? currency;
}

/** A fraction as a percentage: `12,3 %` in Swedish, `12.3%` in English. */
export function formatPercent(x: number | null | undefined, locale = "sv-SE", digits = 1): string {
  if (x == null || !Number.isFinite(x)) return "–";
  return minus(formatter(locale, { style: "percent", maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x));
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
  return minus(formatter(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x));
}

/**
 * A number to about `significant` digits but at least `fractionDigits` decimals, whichever is
 * more precise (Intl's roundingPriority "morePrecision"): 0.123456 → `0.123`, 1234.56 → `1,234.6`,
 * 7 → `7`. What a value typed into a scenario, or an error bar, is shown with.
 */
export function formatSignificant(x: number | null | undefined, locale = "sv-SE", significant = 3, fractionDigits = 1): string {
  if (x == null || !Number.isFinite(x)) return "–";
  if (Number.isInteger(x)) return formatNumber(x, locale, 0);
  // roundingPriority is ES2023 (Node 20, Chromium 106); TypeScript's ES2022 lib lacks it.
  const options = { maximumFractionDigits: fractionDigits, maximumSignificantDigits: significant, roundingPriority: "morePrecision" } as Intl.NumberFormatOptions;
  return minus(formatter(locale, options).format(x));
}

/** An axis tick: as few decimals as it needs, at most two (`5`, `2.5`, `0.25`). */
export function formatTick(x: number, locale = "sv-SE"): string {
  return minus(formatter(locale, { maximumFractionDigits: 2, minimumFractionDigits: 0 }).format(x));
}

/**
 * The formatters of one page: every figure on a page goes through these, so a page never mixes
 * conventions. `formatsFor("en", "SEK").millions(7.1e6)` is `7.1 MSEK`; `formatsFor("sv", "SEK")`
 * writes `7,1 mnkr`. Missing values are an en dash.
 */
export interface Formats {
  readonly lang: Lang;
  readonly locale: string;
  readonly currency: string;
  /** Whole units of money: `SEK 1,234,567` / `1 234 567 kr`. */
  money(x: number | null | undefined): string;
  /** Millions to one decimal with the unit: `7.1 MSEK` / `7,1 mnkr`. */
  millions(x: number | null | undefined): string;
  /** The unit of `millionsTick`: `MSEK`, `£M` / `mnkr`. */
  readonly millionsUnit: string;
  /** An axis tick of an amount, in millions without the unit: `2.5` / `2,5`. */
  millionsTick(x: number): string;
  /** A fraction as a percentage: `12.3%` / `12,3 %`. */
  percent(x: number | null | undefined, digits?: number): string;
  /** A chance (formatChance). */
  chance(p: number | null | undefined): string;
  number(x: number | null | undefined, digits?: number): string;
  /** About three significant digits (formatSignificant). */
  significant(x: number | null | undefined, significant?: number): string;
  /** An amount's Monte Carlo error in millions, two significant digits: `0.031`. */
  millionsError(se: number): string;
}

export function formatsFor(lang: Lang, currency: string): Formats {
  const locale = pageLocale(lang);
  return {
    lang,
    locale,
    currency,
    money: (x) => formatMoney(x, currency, locale),
    millions: (x) => formatMillions(x, currency, locale),
    millionsUnit: millionsUnit(currency, locale),
    millionsTick: (x) => formatTick(x / 1e6, locale),
    percent: (x, digits = 1) => formatPercent(x, locale, digits),
    // "under" is the same word in both languages; "over" is "över" in Swedish.
    chance: lang === "sv" ? (p) => formatChance(p, locale).replace(/^over /, "över ") : (p) => formatChance(p, locale),
    number: (x, digits = 0) => formatNumber(x, locale, digits),
    significant: (x, significant = 3) => formatSignificant(x, locale, significant),
    millionsError: (se) => formatSignificant(se / 1e6, locale, 2),
  };
}

/**
 * A number with as few decimals as it needs, at most `maxDigits` (Intl's fraction digits, not
 * rounding by hand): 0.5 → `0.5`, 2 → `2`, 0.12345 → `0.123` with 3. How a figure typed into a
 * scenario is shown back.
 */
export function formatUpTo(x: number | null | undefined, locale = "sv-SE", maxDigits = 2): string {
  if (x == null || !Number.isFinite(x)) return "–";
  return minus(formatter(locale, { maximumFractionDigits: maxDigits, minimumFractionDigits: 0 }).format(x));
}

/** A fraction as a percentage with as few decimals as it needs, at most `maxDigits`: 0.6 → `60%`, 0.125 → `12.5%`. */
export function formatPercentUpTo(x: number | null | undefined, locale = "sv-SE", maxDigits = 2): string {
  if (x == null || !Number.isFinite(x)) return "–";
  return minus(formatter(locale, { style: "percent", maximumFractionDigits: maxDigits, minimumFractionDigits: 0 }).format(x));
}
