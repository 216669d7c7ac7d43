/** `utfall compare --self-fund`: the contract against the payer funding the same delivery itself. */
import { formatMoney, formatNumber, formatPercent, localeOf } from "../models/format.js";
import type { Summary } from "../models/index.js";
import { centralValue } from "../models/scenario/param.js";
import type { Scenario } from "../models/scenario/schema.js";
import { align } from "./table.js";

export interface SelfFundComparison {
  scenarios: { name: string; currency: string; trials: number; seed: string | number; selfFunding: Summary["payer"]["selfFunding"] }[];
}

export function selfFundComparison(summaries: readonly Summary[]): SelfFundComparison {
  return { scenarios: summaries.map((s) => ({ name: s.scenario, currency: s.currency, trials: s.trials, seed: s.seed, selfFunding: s.payer.selfFunding })) };
}

/** One block per scenario: cost and net present value under each alternative, and the premium. */
export function renderSelfFund(c: SelfFundComparison, scenarios: readonly Scenario[]): string {
  return c.scenarios
    .map((s, i) => {
      const locale = localeOf(s.currency);
      const money = (x: number | null | undefined) => formatMoney(x, s.currency, locale);
      const pct = (x: number | null | undefined) => formatPercent(x, locale, 1);
      const f = s.selfFunding!;
      const rate = scenarios[i]!.valuation.discountRate;
      const fixed = typeof rate === "number" || "value" in rate;
      const head = `${s.name}: the contract against doing it ourselves, ${formatNumber(s.trials, locale)} trials, seed ${s.seed}; the payer's money discounted at ${fixed ? pct(centralValue(rate)) : `the scenario's rate (central ${pct(centralValue(rate))})`} a year`;
      const r = f.lendingRate;
      const lending = r && r.p5 !== r.p95 ? `${pct(r.p5)} to ${pct(r.p95)} (90 % range)` : pct(r?.mean);
      const line = (label: string, a: number | null | undefined, b: number | null | undefined) => [label, money(a), money(b), money(a != null && b != null ? a - b : null)];
      const table = align([
        ["", "contract", "self-funded", "difference"],
        line("expected cost", f.contract.costPV?.mean, f.selfFunded.costPV?.mean),
        line("expected net (avoided − cost)", f.contract.netPV?.mean, f.selfFunded.netPV?.mean),
        line("net, 5th percentile", f.contract.netPV?.p5, f.selfFunded.netPV?.p5),
        line("net, mean of the worst 5 %", f.contract.netPVWorst5Mean, f.selfFunded.netPVWorst5Mean),
      ]);
      const premium = f.premium ?? NaN;
      const verdict = premium > 0 ? "what the payer pays, in expectation, for transferring the risk" : "the contract costs the payer less than funding the work itself, in expectation";
      return [
        head,
        `Self-funded: a loan of ${money(f.deliveryCost)} (the delivery the capital pays for) at ${lending} a year${f.defaultLendingRate ? " (the default: Kommuninvest's rates)" : ""}, repaid with interest in period ${f.repayPeriod + 1}; the payer keeps every cost it avoids.`,
        "",
        table,
        "",
        `Premium (contract − self-funded expected cost): ${money(f.premium)}, ${verdict}; ${money(f.premiumAtLendingRate.atRateP5)} to ${money(f.premiumAtLendingRate.atRateP95)} at the lending rate's 5th and 95th percentiles.`,
      ].join("\n");
    })
    .join("\n\n");
}
