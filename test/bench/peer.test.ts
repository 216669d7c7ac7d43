/**
 * The NumPy peer (bench/peer/utfall_peer.py), the yardstick of `npm run bench`'s goal 1, is the
 * same model as the engine: its key figures agree with the engine's within Monte Carlo error.
 * The witness is an independent implementation (Python, NumPy's PCG64, its own samplers and
 * vectorised stays), not our TypeScript; the two samples are independent, so each mean's
 * difference has standard error sqrt(sd_peer²/n_peer + sd_engine²/n_engine), and a shared
 * model agrees within 4 of them (a chance of about 6e-5 per figure of failing by chance; the
 * seeds are fixed, so the test is deterministic).
 *
 * Skipped where python3 with numpy is not installed (the bench skips the peer there too).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScenarioText, runScenario } from "../../models/index.js";

const FILE = "data/scenarios/norrkoping-2016.json";
const TRIALS = 20_000;
const hasNumpy = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" }).status === 0;

interface PeerDist {
  mean: number;
  sd: number;
  p50: number;
}

function peer(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("python3", ["bench/peer/utfall_peer.py", ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function meanSd(xs: ArrayLike<number>): { mean: number; sd: number } {
  let s = 0, s2 = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  const mean = s / xs.length;
  for (let i = 0; i < xs.length; i++) s2 += (xs[i]! - mean) ** 2;
  return { mean, sd: Math.sqrt(s2 / (xs.length - 1)) };
}

describe("the NumPy peer", () => {
  it.skipIf(!hasNumpy)("agrees with the engine on Norrköping's key figures within 4 standard errors (skipped without python3 and numpy)", () => {
    const p = peer([FILE, "--trials", String(TRIALS), "--seed", "1"]);
    expect(p.status, p.stderr).toBe(0);
    const q = JSON.parse(p.stdout);
    expect(q.trials).toBe(TRIALS);

    const parsed = parseScenarioText(readFileSync(FILE, "utf8"));
    if (!parsed.ok) throw new Error("Norrköping does not parse");
    const { outcomes, results: r } = runScenario(parsed.scenario, { trials: TRIALS, seed: 1 });
    const T = r.trials;
    const bool = (xs: Uint8Array) => Float64Array.from(xs);

    // [name, the engine's per-trial column, the peer's mean and sd]
    const share = (x: number): PeerDist => ({ mean: x, sd: Math.sqrt(x * (1 - x)), p50: NaN });
    const figures: [string, ArrayLike<number>, PeerDist][] = [
      ["financier's chance of loss", bool(r.loss), share(q.investor.probLoss)],
      ["financier's mean net (profit)", r.profit, q.investor.profit],
      ["financier's mean NPV at the hurdle rate", r.financierNpv, q.investor.npv],
      ["payer's mean payments", r.payments, q.payer.payments],
      ["payer's mean net", r.payerNet, q.payer.net],
      ["payer's mean net PV", r.payerNetPV, q.payer.netPV],
      ["mean avoided costs PV", outcomes.avoidedPV, q.payer.avoidedCostsPV],
      ["society's mean NPV", r.societyNpv, q.society.npv],
      ["chance of any payment", bool(r.anyPayment), share(q.contract.probAnyPayment)],
      ["chance of paying for nothing", bool(r.payForNothing), share(q.contract.probPayForNothing)],
      ["chance of a missed success", bool(r.missedSuccess), share(q.contract.probMissedSuccess)],
      ["chance of delivery", bool(outcomes.delivered), share(q.contract.probDelivered)],
    ];
    const off: string[] = [];
    for (const [name, column, theirs] of figures) {
      const ours = meanSd(column);
      const se = Math.sqrt(ours.sd ** 2 / T + theirs.sd ** 2 / q.trials);
      const z = (theirs.mean - ours.mean) / se;
      if (!(Math.abs(z) <= 4)) off.push(`${name}: peer ${theirs.mean}, engine ${ours.mean}, z = ${z.toFixed(2)}`);
    }
    expect(off).toEqual([]);

    // The median of the financier's net: its standard error is sqrt(p(1 − p)/n)/f at p = 0.5,
    // f the density at the median, estimated from the engine's own sample between its 45th
    // and 55th percentiles (the net is continuous there: no payment cap binds at the median).
    const sorted = Float64Array.from(r.profit).sort();
    const at = (p: number) => sorted[Math.round(p * (T - 1))]!;
    const density = 0.1 / (at(0.55) - at(0.45));
    const seMedian = Math.sqrt(0.25 / T + 0.25 / q.trials) / density;
    expect(Math.abs(q.investor.profit.p50 - at(0.5)) / seMedian).toBeLessThanOrEqual(4);
  });

  it.skipIf(!hasNumpy)("refuses a scenario it does not implement, naming what, with exit code 2 (skipped without python3 and numpy)", () => {
    const p = peer(["data/scenarios/essex-2013.json", "--trials", "10"]);
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/essex-2013\.json: 5 cohorts: the peer supports one cohort/);
    expect(p.stdout).toBe("");
  });
});
