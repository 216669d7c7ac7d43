// What makes sweeps fast must not change a number: the waterfall's results kept per distinct
// payments (FlowMemo), the columns cells share (EvaluationCache), the median by selection, and a
// table simulated once and handed to the cells. Each is checked bit for bit against computing
// without it.
import { describe, expect, test } from "vitest";
import { quantileSorted } from "d3-array";
import {
  allocateTable, cellFigures, checkCells, compile, evaluateCells, evaluateContract, parseScenario, prepareSweep, simulateOutcomes, sweep, sweepOutcomes,
  type Cell, type ContractResults, type OutcomeTable, type Scenario,
} from "../../models/index.js";
import { EvaluationCache } from "../../models/contract/evaluate.js";
import { median } from "../../models/analysis/sweep.js";
import { readFileSync } from "node:fs";

const loadScenario = (name: string) => JSON.parse(readFileSync(new URL(`../../data/scenarios/${name}`, import.meta.url), "utf8"));
const norrkoping = loadScenario("norrkoping-2016.json");
const parsed = (raw: unknown): Scenario => {
  const p = parseScenario(raw);
  if (!p.ok) throw new Error(p.problems.map((q) => q.message).join("; "));
  return p.scenario;
};

/** Every per-trial column of the results, as [name, array]. */
function columns(r: ContractResults): [string, ArrayLike<number>][] {
  return Object.entries(r).filter(([, v]) => ArrayBuffer.isView(v)).map(([k, v]) => [k, v as unknown as ArrayLike<number>]);
}

/** Bit-for-bit equality of two columns (NaN equals NaN, −0 differs from 0), naming the first difference. */
function sameBits(name: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length, name).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect(`${name}[${i}] = ${b[i]}`).toBe(`${name}[${i}] = ${a[i]}`);
}

/** Trial t of a table as a table of one trial. */
function oneTrial(model: ReturnType<typeof compile>, table: OutcomeTable, t: number): OutcomeTable {
  const one = allocateTable(model, 1, table.seed);
  const cm = table.cohorts * table.measureCount, Y = model.years;
  one.treated.set(table.treated.subarray(t * cm, (t + 1) * cm));
  one.counterfactual.set(table.counterfactual.subarray(t * cm, (t + 1) * cm));
  one.comparator.set(table.comparator.subarray(t * cm, (t + 1) * cm));
  one.delivered[0] = table.delivered[t]!;
  one.discountRate[0] = table.discountRate[t]!;
  one.avoidedByYear.set(table.avoidedByYear.subarray(t * Y, (t + 1) * Y));
  one.avoidedPV[0] = table.avoidedPV[t]!;
  one.societyBenefitPV[0] = table.societyBenefitPV[t]!;
  for (const [path, column] of table.params) one.params.get(path)![0] = column[t]!;
  return one;
}

describe("evaluateContract's shortcuts", () => {
  test("a trial whose flows repeat another's gets the numbers it gets alone (the waterfall, IRR, NPV and MIRR kept per distinct payments)", () => {
    for (const name of ["norrkoping-2016.json", "essex-2013.json", "rikers-2012.json"]) {
      const scenario = parsed(loadScenario(name));
      const model = compile(scenario);
      const table = simulateOutcomes(model, { trials: 400, seed: 5 });
      const all = evaluateContract(model, table, scenario.contract, { keepFlows: true });
      // Norrköping and Rikers repeat flows often (no outcome payment, or only the activity payment).
      for (let t = 0; t < 400; t += 7) {
        // Alone, a trial has nothing to repeat: every figure is computed.
        const alone = evaluateContract(model, oneTrial(model, table, t), scenario.contract, { keepFlows: true });
        const P = all.periods;
        for (const [k, column] of columns(alone)) {
          const full = (all as unknown as Record<string, ArrayLike<number>>)[k]!;
          if (k === "meanFlows") continue; // a mean over all trials
          const width = column.length;
          sameBits(`${name} trial ${t} ${k}`, column, Array.from({ length: width }, (_, i) => full[t * width + i]!));
        }
        for (const k of ["draws", "toProvider", "toIntermediary", "guarantee"] as const) {
          sameBits(`${name} trial ${t} waterfall.${k}`, alone.waterfall![k], all.waterfall![k].subarray(t * P, (t + 1) * P));
        }
      }
    }
  });

  test("contracts evaluated on one table with a shared cache get the columns they get alone", () => {
    const model = compile(parsed(norrkoping));
    const table = simulateOutcomes(model, { trials: 1500, seed: 2 });
    const cache = new EvaluationCache(table);
    const variant = (share: number, cap: number, activity: number) => {
      const s = structuredClone(norrkoping) as { contract: { rules: Record<string, unknown>[] } };
      s.contract.rules[0]!.amount = { ofCapital: activity };
      s.contract.rules[1]!.share = share;
      s.contract.rules[2]!.cap = { ofCapital: cap };
      return parsed(s).contract;
    };
    // Shares repeat with other caps (the repaid floor is shared), an activity amount changes the floor.
    const contracts = [variant(0.6, 0.2, 0.4), variant(0.6, 0.05, 0.4), variant(0.3, 0.2, 0.4), variant(0.6, 0.2, 0.8), variant(0.6, 0.2, 0.4), variant(0.9, 0.4, 0.8)];
    let reuse: ContractResults | undefined;
    for (const [i, contract] of contracts.entries()) {
      const shared = evaluateContract(model, table, contract, { cache, reuse });
      const fresh = evaluateContract(model, table, contract);
      for (const [k, column] of columns(fresh)) sameBits(`contract ${i} ${k}`, column, (shared as unknown as Record<string, ArrayLike<number>>)[k]!);
      reuse = shared;
    }
  });

  test("figuresOnly (what a sweep cell evaluates) gives the full evaluation's cell figures bit for bit, on every reference case", () => {
    // The witness is cellFigures of a fresh full evaluation of the same contract alone.
    const leaves = (x: unknown, path = ""): [string, unknown][] =>
      x !== null && typeof x === "object" ? Object.entries(x).flatMap(([k, v]) => leaves(v, `${path}.${k}`)) : [[path, x]];
    for (const name of ["norrkoping-2016.json", "essex-2013.json", "peterborough-2010.json", "rikers-2012.json", "chicago-cpc-2014.json", "massachusetts-jj-2014.json"]) {
      const raw = loadScenario(name);
      const scenario = parsed(raw);
      const model = compile(scenario);
      const table = simulateOutcomes(model, { trials: name.startsWith("massachusetts") ? 200 : 800, seed: 6 });
      const cache = new EvaluationCache(table);
      let reuse: ContractResults | undefined;
      // The reference terms, then the capital scaled (every ofCapital amount moves), then the reference again.
      // With and without the median by the NPV's sign (models/finance/medianIrr.ts).
      for (const [scale, medianBySign] of [[1, false], [0.7, true], [1, true], [0.7, false]] as const) {
        const variant = structuredClone(raw) as { contract: { capital: number } };
        variant.contract.capital *= scale;
        const contract = parsed(variant).contract;
        const fast = evaluateContract(model, table, contract, { cache, reuse, figuresOnly: true, medianBySign });
        if (medianBySign) expect(fast.medianIrr).toBeDefined();
        reuse = fast;
        const want = leaves(cellFigures(evaluateContract(model, table, contract)));
        const got = leaves(cellFigures(fast));
        expect(got.map(([k]) => k)).toEqual(want.map(([k]) => k));
        for (const [i, [k, v]] of want.entries()) if (!Object.is(got[i]![1], v)) expect(`${name} ×${scale} ${k} = ${got[i]![1]}`).toBe(`${name} ×${scale} ${k} = ${v}`);
      }
    }
  });

  test("the median by selection is d3's quantileSorted(sorted, 0.5), ties and signed zeros included", () => {
    // The witness is d3-array's quantileSorted on the sorted values, what dist() uses.
    let seed = 7;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const n of [1, 2, 3, 4, 5, 10, 11, 100, 101, 1000, 1001]) {
      for (const kind of ["spread", "ties", "signed zeros"]) {
        const values = Float64Array.from({ length: n }, () => (kind === "spread" ? next() * 2 - 1 : kind === "ties" ? Math.floor(next() * 4) - 1 : next() < 0.5 ? -0 : 0));
        const sorted = values.slice().sort();
        const want = quantileSorted(sorted as unknown as number[], 0.5)!;
        expect(median(values.slice(), n), `${kind}, n = ${n}`).toBe(want);
      }
    }
  });
});

describe("a sweep on outcomes simulated elsewhere", () => {
  test("checkCells, sweepOutcomes and evaluateCells(…, outcomes) in shares give the sweep's cells", () => {
    const values = [0.2, 0.5, 0.8];
    const vary = [{ path: "contract.rules[savings].share", values }, { path: "contract.rules[return].cap.ofCapital", values: [0, 0.1, 0.3] }];
    const opts = { trials: 1500, seed: 4 };
    const whole = sweep(norrkoping, vary, opts).cells;
    const prep = prepareSweep(norrkoping, vary, opts);
    checkCells(prep);
    const table = sweepOutcomes(prep);
    const got: Cell[] = [];
    for (const share of [[0, 3, 6], [1, 4, 7], [2, 5, 8]]) evaluateCells(prep, share, (i, c) => (got[i] = c), structuredClone(table));
    expect(got).toEqual(whole);
  });

  test("a bad value is named by checkCells before anything is simulated", () => {
    const prep = prepareSweep(norrkoping, [{ path: "contract.rules[savings].share", values: [0.5, 1.5] }], { trials: 100, seed: 1 });
    expect(() => checkCells(prep)).toThrow(/contract\.rules\[1\]\.share: .*\(in the cell contract\.rules\[savings\]\.share=1\.5\)/);
  });
});
