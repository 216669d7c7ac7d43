/**
 * The explorer's worker (src/components/explorer-worker.ts) keeps the last simulated outcomes and,
 * when only contract terms change, evaluates the contract on them instead of simulating again.
 * The witness for every figure is a fresh `runScenario` of the edited scenario: the CLI's path
 * (`utfall run`), which simulates from scratch. The worker is loaded in Node twice (a primary and
 * a helper joined by a MessageChannel, as explorer-pool.ts joins them in the browser), each with
 * a stand-in for its `self`.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { compile, parseScenario, runScenario, simulateOutcomes, type OutcomeTable, type Scenario, type Summary } from "../../models/index.js";
import { resolveFigureRefs } from "../../models/figures/resolve.js";
import { quantile } from "d3-array";
import { irrHistogram, mergeRows, simulateRange, splitBlocks } from "../../src/components/explorer-engine.js";
import { simulationKey } from "../../src/components/explorer-key.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const load = (name: string) => resolveFigureRefs(JSON.parse(readFileSync(join(root, "data/scenarios", name), "utf8"))) as Record<string, any>;
const parsed = (json: unknown): Scenario => {
  const r = parseScenario(json);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  return r.scenario;
};
const edit = <T>(json: T, change: (copy: any) => void): T => {
  const copy = structuredClone(json);
  change(copy);
  return copy;
};

/** Every column of a table as bytes, by name, for byte-for-byte comparison. */
function bytesOf(table: OutcomeTable): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(table)) if (ArrayBuffer.isView(v)) out[k] = Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  for (const [k, v] of table.params) out[`params:${k}`] = Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  return out;
}

describe("splitting a run's blocks", () => {
  it("covers every block once, in order, as evenly as whole blocks allow", () => {
    // 10,000 trials are 10 blocks of 1,000 (models/constants.ts BLOCK_SIZE): 5 + 5; 10,500 are 11: 6 + 5.
    expect(splitBlocks(10_000, 2)).toEqual([[0, 5], [5, 10]]);
    expect(splitBlocks(10_500, 2)).toEqual([[0, 6], [6, 11]]);
    expect(splitBlocks(10_000, 3)).toEqual([[0, 4], [4, 7], [7, 10]]);
    expect(splitBlocks(1_000, 2)).toEqual([[0, 1]]); // one block is not split
    expect(splitBlocks(1, 4)).toEqual([[0, 1]]);
  });

  it("blocks simulated apart and merged are simulateOutcomes' table, byte for byte", () => {
    // 2,500 trials: blocks [0, 2) and [2, 3), the last one partial (500 trials).
    for (const name of ["norrkoping-2016.json", "essex-2013.json"]) {
      const model = compile(parsed(load(name)));
      const whole = simulateOutcomes(model, { trials: 2500, seed: 7 });
      const merged = simulateRange(model, 2500, 7, 0, 2);
      const part = simulateRange(model, 2500, 7, 2, 3);
      const full = simulateOutcomes(model, { trials: 2500, seed: 7 }); // a table of the right shape…
      for (const v of [...Object.values(full), ...full.params.values()]) if (ArrayBuffer.isView(v)) (v as Float64Array).fill(0); // …emptied
      mergeRows(full, merged, 0);
      mergeRows(full, part, 2000);
      expect(bytesOf(full), name).toEqual(bytesOf(whole));
    }
  });
});

describe("the IRR histogram the page draws", () => {
  it("counts every trial with an IRR once, in the bin whose edges hold it", () => {
    const norrkoping = parsed(load("norrkoping-2016.json"));
    const irr = runScenario(norrkoping, { trials: 2000, seed: 1 }).results.irr;
    const h = irrHistogram(irr);
    const finite = Array.from(irr).filter(Number.isFinite);
    // The range: the 99.5th percentile (d3's quantile, as the page computed it before) rounded up to 5 points, 20 % to 200 %.
    expect(h.hi).toBe(Math.min(2, Math.max(0.2, Math.ceil(quantile(finite, 0.995)! * 20) / 20)));
    expect(h.defined).toBe(finite.length);
    expect(h.above).toBe(finite.filter((x) => x >= h.hi).length);
    // Each bin's share: the trials whose value (those above the range moved into the last bin) lies in [x1, x2), counted by a filter.
    for (const b of h.bins) {
      const n = finite.filter((x) => Math.min(x, h.hi - 1e-9) >= b.x1 && Math.min(x, h.hi - 1e-9) < b.x2).length;
      expect(b.share * irr.length, `[${b.x1}, ${b.x2})`).toBeCloseTo(n, 9);
    }
    expect(h.bins.reduce((a, b) => a + b.share, 0) * irr.length).toBeCloseTo(finite.length, 9);
    // Bins are 2.5 points wide from −100 %.
    expect(h.bins[0]!.x1).toBeCloseTo(-1 + 0.025 * Math.round((h.bins[0]!.x1 + 1) / 0.025), 12);
  });
});

describe("simulationKey: what the simulation depends on", () => {
  const norrkoping = load("norrkoping-2016.json");
  const essex = load("essex-2013.json");
  const key = (json: unknown, trials = 1000, seed: string | number = 1) => simulationKey(parsed(json), trials, seed);

  it("contract terms the simulation does not read leave it alone", () => {
    const base = key(norrkoping);
    expect(key(edit(norrkoping, (s) => (s.contract.rules[1].share = 0.8)))).toBe(base);
    expect(key(edit(norrkoping, (s) => (s.contract.rules[2].cap.ofCapital = 0.1)))).toBe(base);
    expect(key(edit(norrkoping, (s) => (s.contract.capital = 12_000_000)))).toBe(base);
    expect(key(edit(essex, (s) => (s.contract.capital = 3_000_000)))).toBe(key(essex));
  });

  it("anything else, and the contract's start date, delivery volume and termination, change it", () => {
    const base = key(norrkoping);
    expect(key(norrkoping, 2000)).not.toBe(base);
    expect(key(norrkoping, 1000, 2)).not.toBe(base);
    expect(key(edit(norrkoping, (s) => (s.population.cohorts[0].size = 61)))).not.toBe(base);
    expect(key(edit(norrkoping, (s) => (s.valuation.discountRate = 0.05)))).not.toBe(base);
    expect(key(edit(norrkoping, (s) => (s.contract.startDate = "2017-01")))).not.toBe(base);
    expect(key(edit(essex, (s) => (s.contract.delivery.volume = 1)))).not.toBe(key(essex));
  });

  it("guard: the simulated table is the same whatever the contract outside the key is", () => {
    // If the engine ever reads another contract field while simulating, this fails and
    // src/components/explorer-key.ts must add that field to the key.
    const other = edit(norrkoping, (s) => {
      s.contract.capital = 20_000_000;
      s.contract.drawdown = [{ period: 0, share: 1 }];
      s.contract.rules = [{ id: "rate", kind: "activity", amount: 1_000_000, period: 3 }];
      delete s.contract.totalCap;
    });
    expect(key(other)).toBe(key(norrkoping));
    const a = simulateOutcomes(compile(parsed(norrkoping)), { trials: 300, seed: 3 });
    const b = simulateOutcomes(compile(parsed(other)), { trials: 300, seed: 3 });
    expect(bytesOf(b)).toEqual(bytesOf(a));
  });
});

// --- The worker itself ---

interface Posted {
  type: string;
  id: number;
  summary?: unknown;
  columns?: { irr: Float64Array };
  fans?: unknown;
  meta?: { mode: string; workers: number };
  problems?: { path: string; message: string }[];
}

/** A stand-in for a worker's global scope. */
function fakeScope() {
  const posted: Posted[] = [];
  let waiting: ((m: Posted) => void) | null = null;
  const scope = {
    onmessage: null as null | ((e: { data: unknown }) => void),
    postMessage(m: Posted) {
      posted.push(m);
      if (waiting && m.type !== "progress") waiting(m);
    },
  };
  /** Sends a run and waits for its answer (result, invalid or error). */
  const run = (id: number, scenario: unknown, trials: number, seed: string | number = 1) =>
    new Promise<Posted>((resolve) => {
      waiting = (m) => m.id === id && ((waiting = null), resolve(m));
      scope.onmessage!({ data: { type: "run", id, scenario, trials, seed } });
    });
  return { scope, posted, run };
}

const primary = fakeScope();
const helper = fakeScope();

const WORKER = "../../src/components/explorer-worker.js";

beforeAll(async () => {
  // Two copies of the module (the query makes them two), each taking the `self` set before it.
  (globalThis as { self?: unknown }).self = primary.scope;
  await import(/* @vite-ignore */ `${WORKER}?primary`);
  (globalThis as { self?: unknown }).self = helper.scope;
  await import(/* @vite-ignore */ `${WORKER}?helper`);
  const channel = new MessageChannel();
  helper.scope.onmessage!({ data: { type: "connect", role: "helper", ports: [channel.port2] } });
  primary.scope.onmessage!({ data: { type: "connect", role: "primary", ports: [channel.port1] } });
});

const pick = <T extends object, K extends keyof T>(o: T, keys: K[]) => Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;

/** The figures of a whole summary that the page shows (src/components/explorer-view.ts reads these). */
const shown = (s: Summary) => ({
  investor: pick(s.investor, ["irr", "probLoss", "probTotalLoss", "irrDefined", "irrOfExpectedFlows"]),
  payer: pick(s.payer, ["payments", "net", "probNetCost", "maxPayments", "budgetYears"]),
  society: pick(s.society, ["npv", "chanceBenefitsExceedCosts"]),
  contract: pick(s.contract, ["probPayForNothing", "probMissedSuccess"]),
});

/** What the page shows from a run: those figures of runScenario's summary, its IRR per trial. */
const witness = (json: unknown, trials: number, seed: string | number = 1) => {
  const run = runScenario(parsed(json), { trials, seed });
  return { summary: shown(run.summary), irr: Array.from(run.results.irr) };
};

describe("the explorer's worker", () => {
  const norrkoping = load("norrkoping-2016.json");
  let id = 0;

  it("a first run simulates (split with the helper) and gives runScenario's numbers", async () => {
    const r = await primary.run(++id, norrkoping, 2500);
    expect(r.type).toBe("result");
    expect(r.meta!.mode).toBe("simulate");
    expect(r.meta!.workers).toBe(2);
    const w = witness(norrkoping, 2500);
    expect(r.summary).toEqual(w.summary);
    expect(Array.from(r.columns!.irr)).toEqual(w.irr);
  });

  it("a contract edit re-evaluates the stored outcomes, with exactly a fresh run's numbers", async () => {
    for (const change of [
      (s: any) => (s.contract.rules[1].share = 0.8), // the savings share, as the bench edits it
      (s: any) => (s.contract.rules[1].cap.ofCapital = 0.4),
      (s: any) => (s.contract.rules[0].amount.ofCapital = 0.3),
    ]) {
      const edited = edit(norrkoping, change);
      const r = await primary.run(++id, edited, 2500);
      expect(r.meta!.mode).toBe("evaluate");
      const w = witness(edited, 2500);
      expect(r.summary).toEqual(w.summary);
      expect(Array.from(r.columns!.irr)).toEqual(w.irr);
      // Not the unedited figures: the edit shows.
      expect(r.summary, String(change)).not.toEqual(witness(norrkoping, 2500).summary);
    }
  });

  it("a non-contract edit, or the contract's start date, simulates again", async () => {
    for (const change of [
      (s: any) => (s.population.cohorts[0].size = 70),
      (s: any) => (s.contract.startDate = "2017-02"),
    ]) {
      const edited = edit(norrkoping, change);
      const r = await primary.run(++id, edited, 2500);
      expect(r.meta!.mode).toBe("simulate");
      expect(r.summary).toEqual(witness(edited, 2500).summary);
    }
    // Other trials or another seed: simulated again too.
    const r = await primary.run(++id, norrkoping, 2500, 9);
    expect(r.meta!.mode).toBe("simulate");
    expect(r.summary).toEqual(witness(norrkoping, 2500, 9).summary);
  });

  it("a newer request supersedes one in flight: only the newest is answered", async () => {
    const before = primary.posted.length;
    const dropped = ++id;
    primary.scope.onmessage!({ data: { type: "run", id: dropped, scenario: edit(norrkoping, (s: any) => (s.population.cohorts[0].size = 80)), trials: 5000, seed: 1 } });
    // Wait until it is under way (its first block done), then send a newer one.
    await expect.poll(() => primary.posted.some((m) => m.id === dropped && m.type === "progress"), { timeout: 60_000, interval: 1 }).toBe(true);
    const r = await primary.run(++id, norrkoping, 1000, 5);
    expect(r.type).toBe("result");
    expect(primary.posted.slice(before).filter((m) => m.id === dropped && m.type !== "progress")).toEqual([]);
    expect(r.summary).toEqual(witness(norrkoping, 1000, 5).summary);
  });

  it("a scenario the schema refuses, or a run too large, is answered with the field", async () => {
    const bad = await primary.run(++id, edit(norrkoping, (s: any) => (s.contract.rules[1].share = 1.5)), 1000);
    expect(bad.type).toBe("invalid");
    expect(bad.problems!.map((p) => p.path)).toContain("contract.rules[1].share");
    const huge = await primary.run(++id, norrkoping, 10_000_000);
    expect(huge.type).toBe("invalid");
    expect(huge.problems![0]!.path).toBe("simulation.trials");
  });
});
