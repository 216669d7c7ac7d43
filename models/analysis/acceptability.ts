/**
 * Acceptability curves for the financier: the chance that its NPV is positive, against the
 * discount rate it asks (from one run's per-trial cash flows), and against the strength of the
 * intervention's effect (every effect scaled together, as models/analysis/breakEven.ts does:
 * 0 = no effect, 1 = the scenario's assumption; one simulation per scale, all from the same seed,
 * so neighbouring points differ by the scale alone). Pure: the generator comes from the seed.
 *
 * The rate curve at a rate r counts the trials whose flows have NPV(r) > 0; for flows that change
 * sign once (money out, then back), NPV(r) > 0 exactly when r is below that trial's IRR, so the
 * curve is the survival function of the per-trial IRRs; for one fixed cash flow it is a step at
 * its IRR. Decisions still rest on the expected NPV at a stated rate: the curve says how often a
 * rate is beaten, not what the contract is worth.
 */
import type { Scenario } from "../scenario/schema.js";
import { MAX_EFFECT_SCALE, ScaledRuns } from "./breakEven.js";

export interface AcceptabilityPoint {
  /** The annual discount rate, or the effect scale. */
  readonly x: number;
  /** Share of trials with a positive NPV. */
  readonly probPositive: number;
  /** Mean NPV over the trials (at this rate, or at this scale and the financier's own rate). */
  readonly meanNpv: number;
}

/** Annual rates from −10 % to 30 % in steps of 1 %: the default of byRate. */
export const DEFAULT_RATES: readonly number[] = Array.from({ length: 41 }, (_, i) => (i - 10) / 100);
/** Effect scales from 0 to MAX_EFFECT_SCALE (breakEven's search range) in steps of a quarter. */
export const DEFAULT_EFFECT_SCALES: readonly number[] = Array.from({ length: 4 * MAX_EFFECT_SCALE + 1 }, (_, i) => i / 4);

/**
 * The chance of a positive NPV at each annual rate, from cash flows by period [trial][period]
 * (`trials` × `periods`, period p discounted by (1 + rate)^(−p / periodsPerYear), as
 * evaluateContract discounts the financier's NPV).
 */
export function acceptabilityByRate(
  flows: ArrayLike<number>,
  trials: number,
  periods: number,
  periodsPerYear: number,
  rates: readonly number[] = DEFAULT_RATES,
): AcceptabilityPoint[] {
  if (flows.length !== trials * periods) throw new Error(`expected ${trials} × ${periods} flows, got ${flows.length}`);
  return rates.map((rate) => {
    const v = Math.pow(1 + rate, -1 / periodsPerYear);
    let positive = 0, sum = 0;
    for (let t = 0; t < trials; t++) {
      let acc = 0;
      // Horner's rule in v, as models/finance/irr.ts's npv.
      for (let p = periods - 1; p >= 0; p--) acc = acc * v + flows[t * periods + p]!;
      if (acc > 0) positive++;
      sum += acc;
    }
    return { x: rate, probPositive: trials ? positive / trials : NaN, meanNpv: trials ? sum / trials : NaN };
  });
}

/**
 * The chance of a positive financier NPV (at the scenario's financier rate) at each effect scale,
 * on `trials` trials from `seed` at every scale (common random numbers).
 */
export function acceptabilityByEffect(
  scenario: Scenario,
  options: { trials: number; seed: string | number; scales?: readonly number[]; onProgress?: (done: number, total: number) => void; runs?: ScaledRuns },
): AcceptabilityPoint[] {
  // The simulations at each scale, shared with break-even searches on the same trials and seed.
  const runs = ScaledRuns.of(scenario, options.trials, options.seed, options.runs);
  const scales = options.scales ?? DEFAULT_EFFECT_SCALES;
  return scales.map((scale, i) => {
    const npv = runs.at(scale).results.financierNpv;
    let positive = 0, sum = 0;
    for (let t = 0; t < npv.length; t++) {
      if (npv[t]! > 0) positive++;
      sum += npv[t]!;
    }
    options.onProgress?.(i + 1, scales.length);
    return { x: scale, probPositive: positive / npv.length, meanNpv: sum / npv.length };
  });
}

/** Who wins when: each trial's payer net and financier profit, and where they fall. */
export interface WhoWins {
  /** Shares of trials: both gain, only the payer, only the financier, neither (a zero counts as no gain). */
  readonly shares: { readonly both: number; readonly payer: number; readonly financier: number; readonly neither: number };
  readonly mean: { readonly payer: number; readonly financier: number };
  readonly median: { readonly payer: number; readonly financier: number };
  /** At most `maxPoints` trials, evenly spaced over the run, for a scatter. */
  readonly points: { readonly trial: number; readonly payer: number; readonly financier: number }[];
}

const medianOf = (xs: ArrayLike<number>) => {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};

/** The payer's net against the financier's profit, trial by trial (same length, same trials). */
export function whoWins(payer: ArrayLike<number>, financier: ArrayLike<number>, maxPoints = 2000): WhoWins {
  const n = payer.length;
  if (financier.length !== n) throw new Error(`expected as many financier figures as payer figures (${n}), got ${financier.length}`);
  let both = 0, p = 0, f = 0, sp = 0, sf = 0;
  for (let t = 0; t < n; t++) {
    const a = payer[t]! > 0, b = financier[t]! > 0;
    if (a && b) both++;
    else if (a) p++;
    else if (b) f++;
    sp += payer[t]!;
    sf += financier[t]!;
  }
  const step = Math.max(1, n / maxPoints);
  const points = Array.from({ length: Math.min(n, maxPoints) }, (_, i) => {
    const trial = Math.floor(i * step);
    return { trial, payer: payer[trial]!, financier: financier[trial]! };
  });
  return {
    shares: { both: both / n, payer: p / n, financier: f / n, neither: (n - both - p - f) / n },
    mean: { payer: sp / n, financier: sf / n },
    median: { payer: medianOf(payer), financier: medianOf(financier) },
    points,
  };
}
