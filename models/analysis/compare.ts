/**
 * Scenario comparison: the key figures of several runs side by side, each figure once, with
 * how it is read (a share, a rate, money) so every view formats it the same way.
 */
import { formatChance, formatMillions, formatMoney, formatNumber, formatPercent, localeOf } from "../format.js";
import type { Summary } from "../summary/summarize.js";

export type FigureKind = "money" | "rate" | "share" | "multiple";

export interface KeyFigure {
  readonly id: string;
  readonly party: "financier" | "payer" | "society" | "contract";
  readonly label: string;
  readonly kind: FigureKind;
  readonly get: (s: Summary) => number | null;
}

export const KEY_FIGURES: readonly KeyFigure[] = [
  { id: "investor.expectedNpv", party: "financier", label: "expected NPV at its hurdle rate", kind: "money", get: (s) => s.investor.expectedNpv },
  { id: "investor.irrOfExpectedFlows", party: "financier", label: "IRR of the expected cash flows", kind: "rate", get: (s) => s.investor.irrOfExpectedFlows },
  { id: "investor.irr.p50", party: "financier", label: "median IRR per year", kind: "rate", get: (s) => s.investor.irr?.p50 ?? null },
  { id: "investor.multiple.mean", party: "financier", label: "mean money multiple", kind: "multiple", get: (s) => s.investor.multiple?.mean ?? null },
  { id: "investor.profit.mean", party: "financier", label: "mean profit", kind: "money", get: (s) => s.investor.profit?.mean ?? null },
  { id: "investor.probLoss", party: "financier", label: "chance of loss", kind: "share", get: (s) => s.investor.probLoss },
  { id: "investor.probTotalLoss", party: "financier", label: "chance of total loss", kind: "share", get: (s) => s.investor.probTotalLoss },
  { id: "investor.valueAtRisk95", party: "financier", label: "value at risk (95 %)", kind: "money", get: (s) => s.investor.valueAtRisk95 },
  { id: "investor.expectedShortfall95", party: "financier", label: "expected shortfall (95 %)", kind: "money", get: (s) => s.investor.expectedShortfall95 },
  { id: "payer.payments.mean", party: "payer", label: "mean payments", kind: "money", get: (s) => s.payer.payments?.mean ?? null },
  { id: "payer.maxPayments", party: "payer", label: "most it can pay", kind: "money", get: (s) => s.payer.maxPayments },
  { id: "payer.net.mean", party: "payer", label: "mean net saving", kind: "money", get: (s) => s.payer.net?.mean ?? null },
  { id: "payer.probNetCost", party: "payer", label: "chance of a net cost", kind: "share", get: (s) => s.payer.probNetCost },
  { id: "contract.probPayForNothing", party: "contract", label: "chance of paying for nothing", kind: "share", get: (s) => s.contract.probPayForNothing },
  { id: "contract.probMissedSuccess", party: "contract", label: "chance of a missed success", kind: "share", get: (s) => s.contract.probMissedSuccess },
  { id: "society.npv.mean", party: "society", label: "mean net present value", kind: "money", get: (s) => s.society.npv?.mean ?? null },
  { id: "society.chanceBenefitsExceedCosts", party: "society", label: "chance benefits exceed costs", kind: "share", get: (s) => s.society.chanceBenefitsExceedCosts },
];

export interface ComparisonRow {
  readonly id: string;
  readonly party: KeyFigure["party"];
  readonly label: string;
  readonly kind: FigureKind;
  /** One value per scenario, in the order given; null where no trial has a value. */
  readonly values: readonly (number | null)[];
}

export interface Comparison {
  readonly scenarios: readonly { name: string; currency: string; trials: number; seed: string | number }[];
  readonly rows: readonly ComparisonRow[];
}

export function compareSummaries(summaries: readonly Summary[]): Comparison {
  return {
    scenarios: summaries.map((s) => ({ name: s.scenario, currency: s.currency, trials: s.trials, seed: s.seed })),
    rows: KEY_FIGURES.map((f) => ({
      id: f.id,
      party: f.party,
      label: f.label,
      kind: f.kind,
      values: summaries.map((s) => {
        const v = f.get(s);
        return v === null || Number.isFinite(v) ? v : null;
      }),
    })),
  };
}

export const PARTY_NAMES: Record<KeyFigure["party"], string> = { financier: "Financier", payer: "Payer", society: "Society", contract: "Contract" };

/** A key figure as its reader expects it, in the currency's locale; money in full or in millions. */
export function formatKeyFigure(kind: FigureKind, v: number | null, currency: string, o: { millions?: boolean } = {}): string {
  const locale = localeOf(currency);
  switch (kind) {
    case "money":
      return o.millions ? formatMillions(v, currency, locale) : formatMoney(v, currency, locale);
    case "multiple":
      return formatNumber(v, locale, 2);
    case "rate":
      return formatPercent(v, locale, 1);
    case "share":
      return formatChance(v, locale);
  }
}
