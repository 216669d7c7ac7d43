/**
 * `npm run bench`: the engine's speed and memory on the Norrköping scenario, in one thread.
 *
 * - trials per second for a full run (simulate, evaluate the contract, summarize) at 100,000;
 * - contract re-evaluation alone on 10,000 stored trials (what a sweep or a slider pays);
 * - peak resident memory of a 1,000,000-trial run (`--no-million` skips it);
 * - a yardstick from the same run: drawing as many uniforms as the simulation consumes, so
 *   the ratio says how much the model costs beyond its random numbers.
 */
import { readFileSync } from "node:fs";
import { compile, evaluateContract, parseScenarioText, runScenario, simulateOutcomes, summarize, sweep } from "../models/index.js";
import { blockRng } from "../models/random/rng.js";

const file = "data/scenarios/norrkoping-2016.json";
const parsed = parseScenarioText(readFileSync(file, "utf8"));
if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
const scenario = parsed.scenario;
const model = compile(scenario);

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const out = f();
  return [out, performance.now() - t0];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (x: number, digits = 0) => x.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits });

// Warm up the JIT on a small run so the timed runs measure steady-state code.
runScenario(scenario, { trials: 5000, seed: 99 });

// 1. Full run at 100,000 trials.
const TRIALS = 100_000;
const [outcomes, simMs] = time(() => simulateOutcomes(model, { trials: TRIALS, seed: 1 }));
const [results, evalMs] = time(() => evaluateContract(model, outcomes));
const [, sumMs] = time(() => summarize(model, outcomes, results));
const totalMs = simMs + evalMs + sumMs;

// 2. Re-evaluation on 10,000 stored trials, median of 15.
const stored = simulateOutcomes(model, { trials: 10_000, seed: 1 });
const reevals: number[] = [];
for (let i = 0; i < 15; i++) reevals.push(time(() => evaluateContract(model, stored))[1]);

// 3. Yardstick: the uniforms the placement model draws (one per child and period, plus the comparison group).
const childPeriods = model.cohortSizes.reduce((a, n) => a + n, 0) * model.simulatedPeriods * TRIALS;
const rng = blockRng(1, 0);
const [, rngMs] = time(() => {
  let s = 0;
  for (let i = 0; i < childPeriods; i++) s += rng();
  return s;
});

console.log(`utfall engine benchmark — ${scenario.name}, ${model.cohortSizes.length} cohort(s) of ${Array.from(model.cohortSizes).join(", ")}, ${model.simulatedPeriods} periods, one thread, Node ${process.version}`);
console.log("");
console.log(`full run, ${fmt(TRIALS)} trials:        ${fmt(totalMs)} ms  (${fmt((TRIALS / totalMs) * 1000)} trials/s)`);
console.log(`  simulate outcomes:                 ${fmt(simMs)} ms  (${fmt((simMs * 1e6) / childPeriods, 1)} ns per child-period)`);
console.log(`  evaluate contract:                 ${fmt(evalMs)} ms`);
console.log(`  summarize:                         ${fmt(sumMs)} ms`);
console.log(`contract re-evaluation, 10,000 stored trials: ${fmt(median(reevals), 1)} ms (median of ${reevals.length})`);
console.log(`yardstick: ${fmt(childPeriods)} xor4096 uniforms alone: ${fmt(rngMs)} ms; simulation / yardstick = ${fmt(simMs / rngMs, 1)}×`);

// 4. A 21 × 21 sweep of two contract terms on 10,000 trials (simulated once, evaluated 441 times).
const raw = JSON.parse(readFileSync(file, "utf8"));
const steps = (a: number, b: number) => Array.from({ length: 21 }, (_, i) => a + ((b - a) * i) / 20);
const [, sweepMs] = time(() =>
  sweep(raw, [
    { path: "contract.rules[savings].share", values: steps(0.3, 0.9) },
    { path: "contract.rules[return].cap.ofCapital", values: steps(0, 0.4) },
  ], { trials: 10_000, seed: 1 }),
);
console.log(`sweep 21 × 21 of two contract terms, 10,000 trials: ${fmt(sweepMs)} ms (${fmt(sweepMs / 441, 1)} ms per cell, incl. validating each cell)`);

if (!process.argv.includes("--no-million")) {
  const before = process.memoryUsage().rss;
  const [, ms] = time(() => runScenario(scenario, { trials: 1_000_000, seed: 1, params: "used" })); // as the CLI's run
  const peakMB = process.resourceUsage().maxRSS / 1024;
  console.log(`1,000,000 trials: ${fmt(ms / 1000, 1)} s, peak resident memory ${fmt(peakMB)} MB (${fmt(before / 2 ** 20)} MB before the run)`);
}
