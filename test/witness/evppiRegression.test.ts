/**
 * Single-loop EVPPI by regression (models/analysis/evppiRegression.ts) against models whose
 * EVPPI has a closed form.
 */
import { randomLcg, randomNormal } from "d3-random";
import { describe, expect, test } from "vitest";
import { evppiByRegression } from "../../models/index.js";

const phi = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
// Φ by the complementary error function (Abramowitz & Stegun 7.1.26 is too coarse); W. J. Cody's
// rational approximation is overkill here: integrate φ numerically instead (Simpson, 2,000 steps).
const Phi = (x: number) => {
  const a = -10, n = 2000, h = (x - a) / n;
  let s = phi(a) + phi(x);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * phi(a + i * h);
  return (s * h) / 3;
};

/** N trials of θ ~ N(0, 1) and net = g(θ) + τ·ε, ε ~ N(0, 1), from a fixed seed. */
function ensemble(N: number, seed: number, g: (theta: number) => number, tau: number) {
  const normal = randomNormal.source(randomLcg(seed))(0, 1);
  const theta = Float64Array.from({ length: N }, normal);
  const net = Float64Array.from(theta, (x) => g(x) + tau * normal());
  return { theta, net };
}

describe("evppiByRegression(net, inputs)", () => {
  test("a linear-normal model: EVPPI = σφ(μ/σ) + μΦ(μ/σ) − max(μ, 0), within the reported error, and the error is the spread over seeds", () => {
    // net = μ + σθ + τε: E[net | θ] = μ + σθ ~ N(μ, σ²), so EVPPI is the normal loss integral.
    // μ = 0.5, σ = 1, τ = 5 (chance five times the signal, as in a small cohort):
    // 1·φ(0.5) + 0.5·Φ(0.5) − 0.5 = 0.352065 + 0.5·0.691462 − 0.5 = 0.197797.
    const mu = 0.5, sigma = 1, tau = 5;
    const reference = sigma * phi(mu / sigma) + mu * Phi(mu / sigma) - Math.max(mu, 0);
    expect(reference).toBeCloseTo(0.197797, 5);
    const estimates: number[] = [], errors: number[] = [];
    for (let seed = 0; seed < 12; seed++) {
      const { theta, net } = ensemble(5000, seed / 12, (x) => mu + sigma * x, tau);
      const r = evppiByRegression(net, [theta], { seed: seed + 1 });
      estimates.push(r.evppi);
      errors.push(r.standardError);
      expect(Math.abs(r.evppi - reference), `seed ${seed}`).toBeLessThan(4 * r.standardError);
    }
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    const spread = Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (estimates.length - 1));
    const se = errors.reduce((a, b) => a + b, 0) / errors.length;
    // The reported error should match the spread over seeds; a sample SD of 12 values is within
    // a factor 0.6–1.5 of the truth about 95 % of the time (chi-square with 11 df).
    expect(se / spread).toBeGreaterThan(0.5);
    expect(se / spread).toBeLessThan(2);
    expect(Math.abs(mean - reference)).toBeLessThan(3 * spread / Math.sqrt(12) + 0.01);
  }, 60_000);

  test("a non-linear model: net = θ² − 1 + noise has EVPPI E[(θ² − 1)⁺] = 2φ(1) = 0.483941", () => {
    // E[net] = 0, so the decision today is indifferent; knowing θ, sign when |θ| > 1:
    // 2∫₁^∞ (x² − 1)φ(x) dx = 2[(φ(1) + 1 − Φ(1)) − (1 − Φ(1))] = 2φ(1) = 0.4839414.
    const { theta, net } = ensemble(8000, 0.37, (x) => x * x - 1, 2);
    const r = evppiByRegression(net, [theta]);
    expect(Math.abs(r.evppi - 2 * phi(1))).toBeLessThan(4 * r.standardError);
    expect(r.standardError).toBeLessThan(0.05);
    expect(r.knots).toBeGreaterThan(0); // a straight line cannot fit a parabola: GCV chose knots
  }, 60_000);

  test("two inputs, of which only one matters, and an input that does not matter at all", () => {
    // net = μ + σθ₁ + τε with θ₂ unrelated: EVPPI(θ₁, θ₂) = EVPPI(θ₁) = 0.197797 (as above);
    // EVPPI(θ₂) = 0.
    const { theta, net } = ensemble(6000, 0.29, (x) => 0.5 + x, 5);
    const other = Float64Array.from(ensemble(6000, 0.13, () => 0, 0).theta);
    const both = evppiByRegression(net, [theta, other]);
    expect(Math.abs(both.evppi - 0.197797)).toBeLessThan(4 * both.standardError);
    const none = evppiByRegression(net, [other]);
    // Only the fit's noise is left: an upward bias of about the error itself.
    expect(none.evppi).toBeLessThan(4 * none.standardError + 0.01);
    expect(none.evppi).toBeLessThan(both.evppi / 2);
  }, 60_000);
});
