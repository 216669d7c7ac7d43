/** `utfall fit`: the prior and posterior of each uncertain input, as a table. */
import { formatNumber, localeOf } from "../models/format.js";
import type { FitResult } from "../models/analysis/fit.js";
import { align } from "./table.js";

export function renderFit(r: FitResult, scenario: { name: string; currency: string }, describe: (path: string) => string): string {
  const locale = localeOf(scenario.currency);
  const n = (x: number) => formatNumber(x, locale, Math.abs(x) >= 100 ? 0 : 4);
  const moved = [...r.inputs].sort((a, b) => Math.abs(b.posterior.mean - b.prior.mean) / (b.prior.sd || 1) - Math.abs(a.posterior.mean - a.prior.mean) / (a.prior.sd || 1));
  const rows = moved.map((i) => [describe(i.path), n(i.prior.mean), n(i.prior.sd), n(i.posterior.mean), n(i.posterior.sd), formatNumber((i.posterior.mean - i.prior.mean) / (i.prior.sd || 1), locale, 2)]);
  return [
    `${scenario.name}: fitted to the data by importance sampling of ${formatNumber(r.trials, locale)} prior trials (seed ${r.seed}); effective sample size ${formatNumber(r.ess, locale)}${r.essMet ? "" : ` — below the floor of ${formatNumber(r.essFloor, locale)}: the data leave few prior draws standing; widen the priors or give more trials`}`,
    "",
    align([["input", "prior mean", "prior sd", "posterior mean", "posterior sd", "moved (prior sd)"], ...rows], 1, "  "),
  ].join("\n");
}
