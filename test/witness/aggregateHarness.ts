/**
 * Test support for test/witness/aggregate.test.ts: one placement model's cohort run many times
 * at fixed parameters (pure cohort chance), by the per-child and by the aggregate sampler.
 */
import { readFileSync } from "node:fs";
import { compile, parseScenario, type Model } from "../../models/index.js";
import type { PlacementModel } from "../../models/compile.js";
import { PlacementSimulator, emptyTotals, type PlacementTrial } from "../../models/cohort/placement.js";
import { centralValue } from "../../models/scenario/param.js";
import { Purpose, Stream } from "../../models/random/stream.js";

export function loadModel(file: string): Model {
  const r = parseScenario(JSON.parse(readFileSync(file, "utf8")));
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return compile(r.scenario);
}

/** Every parameter at its central value, with overrides by path. */
export function centralValues(model: Model, overrides: Record<string, number> = {}): Float64Array {
  return Float64Array.from(model.params, (p) => overrides[p.path] ?? centralValue(p.spec));
}

export interface ArmSamples {
  /** [replication] per arm: treated and untreated window totals, and avoided payer cost over the horizon. */
  treated: { cost: Float64Array; careDays: Float64Array; replacements: Float64Array };
  untreated: { cost: Float64Array; careDays: Float64Array; replacements: Float64Array };
  avoided: Float64Array;
}

/**
 * Runs one cohort of n children `reps` times (replication r draws from the streams of trial r,
 * seed key `key`), each with the per-child sampler (`aggregate` false) or in aggregate.
 */
export function sampleCohort(
  model: Model,
  values: Float64Array,
  trial: PlacementTrial,
  opts: { n: number; start?: number; window: number; end: number; reps: number; key: number; aggregate: boolean },
): ArmSamples {
  const o = model.outcomes.find((x) => x.kind === "placement") as PlacementModel;
  const sim = new PlacementSimulator(o, model.daysPerPeriod);
  sim.aggregateFrom = opts.aggregate ? 1 : Infinity;
  sim.setTrial(values, trial);
  const untreated = new Stream(), treated = new Stream();
  const start = opts.start ?? 0;
  const nominal = new Float64Array(opts.end + 1).fill(1);
  const avoidedPayer = new Float64Array(opts.end), avoidedFull = new Float64Array(opts.end);
  const col = () => ({ cost: new Float64Array(opts.reps), careDays: new Float64Array(opts.reps), replacements: new Float64Array(opts.reps) });
  const out: ArmSamples = { treated: col(), untreated: col(), avoided: new Float64Array(opts.reps) };
  for (let r = 0; r < opts.reps; r++) {
    const t = emptyTotals(), c = emptyTotals();
    avoidedPayer.fill(0);
    untreated.reset(opts.key, r, Purpose.untreated, 0);
    treated.reset(opts.key, r, Purpose.treated, 0);
    sim.runCohort(opts.n, start, start + opts.window, opts.end, untreated.next, treated.next, t, c, avoidedPayer, avoidedFull, nominal);
    out.treated.cost[r] = t.cost;
    out.treated.careDays[r] = t.careDays;
    out.treated.replacements[r] = t.replacements;
    out.untreated.cost[r] = c.cost;
    out.untreated.careDays[r] = c.careDays;
    out.untreated.replacements[r] = c.replacements;
    let a = 0;
    for (const x of avoidedPayer) a += x;
    out.avoided[r] = a;
  }
  return out;
}

/** The same for `runUntreated` (a comparison group, or the past group when `past`). */
export function sampleUntreated(
  model: Model,
  values: Float64Array,
  trial: PlacementTrial,
  opts: { n: number; periods: number; past: boolean; reps: number; key: number; aggregate: boolean },
): { cost: Float64Array; careDays: Float64Array; replacements: Float64Array } {
  const o = model.outcomes.find((x) => x.kind === "placement") as PlacementModel;
  const sim = new PlacementSimulator(o, model.daysPerPeriod);
  sim.aggregateFrom = opts.aggregate ? 1 : Infinity;
  sim.setTrial(values, trial);
  const stream = new Stream();
  const out = { cost: new Float64Array(opts.reps), careDays: new Float64Array(opts.reps), replacements: new Float64Array(opts.reps) };
  for (let r = 0; r < opts.reps; r++) {
    const g = emptyTotals();
    stream.reset(opts.key, r, Purpose.comparator, 0);
    sim.runUntreated(opts.n, opts.periods, opts.past, stream.next, g);
    out.cost[r] = g.cost;
    out.careDays[r] = g.careDays;
    out.replacements[r] = g.replacements;
  }
  return out;
}
