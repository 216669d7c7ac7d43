/**
 * Fitting a placement outcome to re-placement counts (models/analysis/fit.ts, kind "placement").
 * Witnesses: conjugacy and quadrature. From home, the two-state chain of contractScenario enters
 * care with chance h a period, so a child is re-placed within T periods with chance 1 − (1 − h)^T.
 * - T = 1: k of n re-placed is binomial(n, h), and a beta(α, β) prior on h gives the posterior
 *   beta(α + k, β + n − k) (Gelman et al., Bayesian Data Analysis, 3rd ed., §2.4);
 * - T = 8: the posterior ∝ beta(α, β) density × (1 − (1 − h)^8)^k (1 − h)^(8(n − k)), integrated
 *   by Simpson's rule over (0, 1).
 */
import { describe, expect, it } from "vitest";
import { fitScenario } from "../../models/analysis/fit.js";
import { contractScenario, scenario } from "../helpers/scenarios.js";

const a = 3, b = 60; // prior mean 0.048 a quarter
function withPrior() {
  const raw = contractScenario({ capital: 1000, drawdown: [{ period: 0, share: 1 }], rules: [] }) as unknown as { outcomes: { transitions?: { perPeriod: unknown }[] }[] };
  raw.outcomes[0]!.transitions![1]!.perPeriod = { dist: "beta", alpha: a, beta: b, source: "assumption: test prior" };
  return scenario(raw);
}
const path = "outcomes[0].transitions[1].perPeriod";

describe("fitting re-placements", () => {
  it("gives the conjugate beta posterior over one period", () => {
    const n = 61, k = 9;
    const fit = fitScenario(withPrior(), { observations: [{ kind: "placement", outcome: "care", n, periods: 1, replaced: k }] }, { trials: 20_000, seed: 4 });
    const h = fit.inputs.find((i) => i.path === path)!;
    // beta(12, 112): mean 12/124 = 0.096774, sd sqrt(0.096774 × 0.903226 / 125) = 0.026443.
    const mean = (a + k) / (a + b + n), sd = Math.sqrt((mean * (1 - mean)) / (a + b + n + 1));
    expect(Math.abs(h.posterior.mean - mean)).toBeLessThan((4 * sd) / Math.sqrt(fit.ess));
    expect(Math.abs(h.posterior.sd / sd - 1)).toBeLessThan(4 / Math.sqrt(2 * fit.ess));
    expect(h.posterior.mean).toBeGreaterThan(h.prior.mean + 1.5 * sd); // the data moved it: 0.048 → 0.097
  });

  it("matches the posterior by quadrature over eight periods (30 % re-placed within two years)", () => {
    const n = 61, k = 18, T = 8;
    const fit = fitScenario(withPrior(), { observations: [{ kind: "placement", outcome: "care", n, periods: T, replaced: k }] }, { trials: 20_000, seed: 6 });
    const h = fit.inputs.find((i) => i.path === path)!;
    const density = (x: number) => Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) + k * Math.log(1 - Math.pow(1 - x, T)) + T * (n - k) * Math.log1p(-x) + 200);
    const K = 20_000, step = 1 / K;
    let z = 0, m1 = 0, m2 = 0;
    for (let i = 1; i < K; i++) {
      const x = i * step, w = (i % 2 ? 4 : 2) * density(x);
      z += w; m1 += w * x; m2 += w * x * x;
    }
    const mean = m1 / z, sd = Math.sqrt(m2 / z - mean * mean);
    expect(Math.abs(h.posterior.mean - mean)).toBeLessThan((4 * sd) / Math.sqrt(fit.ess));
    expect(Math.abs(h.posterior.sd / sd - 1)).toBeLessThan(4 / Math.sqrt(2 * fit.ess));
  });

  it("refuses a start in a placement state and more re-placed than observed", () => {
    expect(() => fitScenario(withPrior(), { observations: [{ kind: "placement", outcome: "care", n: 10, periods: 2, replaced: 1, from: "inCare" }] }, { trials: 100 })).toThrow(/observations\[0\]\.from: must be a state that is not a placement/);
  });
});
