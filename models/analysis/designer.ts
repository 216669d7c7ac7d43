/**
 * The contract designer: searches the contract terms that may move for the contracts that meet
 * every party's needs, and among them those on the Pareto front of (payer's expected net,
 * financier's expected NPV, chance of paying for nothing). Every candidate is evaluated on the
 * same simulated outcomes (one simulation, many evaluations, as sweeps are), so two candidates
 * differ only by their terms, never by chance.
 *
 * The search is NSGA-II (Deb, Pratap, Agarwal & Meyarivan, "A fast and elitist multiobjective
 * genetic algorithm: NSGA-II", IEEE Trans. Evol. Comput. 6(2), 2002): fast non-dominated
 * sorting, crowding distance, simulated binary crossover and polynomial mutation, and Deb's
 * constrained domination for the needs (a candidate that meets every need beats one that does
 * not; of two that do not, the one that misses by less wins). npm has no maintained
 * implementation of it, so it is written here, in the terms of that paper. Every distinct
 * candidate evaluated is kept, and the front reported is the front of all of them.
 *
 * Where no candidate meets every need, the designer says, for each need, the smallest change to
 * it that would make one of the evaluated contracts acceptable with every other need as stated.
 */
import { z } from "zod";
import { compile, type Model } from "../compile.js";
import { evaluateContract } from "../contract/evaluate.js";
import { resolveFigureRefs } from "../figures/resolve.js";
import { Stream } from "../random/stream.js";
import { parseScenario, type Problem } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { simulateOutcomes, type OutcomeTable } from "../simulate.js";
import { checkFinite, checkMemory } from "../summary/limits.js";
import { contractShape } from "../contract/evaluate.js";
import { DEFAULT_NEEDS } from "./agreement.js";
import { PathError, parsePath, setPath, type PathKey } from "./path.js";
import { meanOfWorst } from "./selfFunding.js";
import { cellFigures, checkedContract, SweepError, touchesModel, type CellFigures } from "./sweep.js";

/** A contract term the designer may move: a JSON path under `contract`, between two values. */
export interface FreeTerm {
  readonly path: string;
  readonly min: number;
  readonly max: number;
  /** A discrete term: `steps` values evenly from min to max (both included). Absent: any value between. */
  readonly steps?: number;
}

/** Every need a party may state; the optional ones are tested only when given. */
export const designNeedsSchema = z
  .object({
    financier: z
      .object({
        minIrrOfExpectedFlows: z.number().min(-1).max(10).describe("lowest IRR per year of the expected cash flows (a fraction, e.g. 0.05)"),
        maxProbLoss: z.number().min(0).max(1).describe("highest chance of getting back less than was lent"),
        minExpectedNpv: z.number().optional().describe("lowest expected NPV at the financier's rate (valuation.financierDiscountRate), in the scenario's currency"),
      })
      .strict(),
    payer: z
      .object({
        minMeanNet: z.number().describe("lowest expected net saving over the horizon (avoided costs − payments)"),
        maxProbPayForNothing: z.number().min(0).max(1).describe("highest chance of paying for outcomes that did not truly improve"),
        minWorst5Net: z.number().optional().describe("lowest mean net saving over the payer's worst 5 % of trials"),
      })
      .strict(),
    contract: z
      .object({
        maxProbMissedSuccess: z.number().min(0).max(1).optional().describe("highest chance that a real improvement goes unpaid"),
      })
      .strict()
      .optional(),
  })
  .strict();

export type DesignNeeds = z.infer<typeof designNeedsSchema>;

export const DEFAULT_DESIGN_NEEDS: DesignNeeds = {
  financier: { ...DEFAULT_NEEDS.financier },
  payer: { ...DEFAULT_NEEDS.payer },
};

export const DESIGN_NEED_IDS = [
  "financier.irr",
  "financier.loss",
  "financier.npv",
  "payer.net",
  "payer.worst5",
  "payer.payForNothing",
  "contract.missedSuccess",
] as const;
export type DesignNeedId = (typeof DESIGN_NEED_IDS)[number];

export const DESIGN_NEED_LABELS: Record<DesignNeedId, string> = {
  "financier.irr": "financier's hurdle (IRR of expected cash flows)",
  "financier.loss": "financier's loss limit",
  "financier.npv": "financier's expected NPV",
  "payer.net": "payer's expected net saving",
  "payer.worst5": "payer's worst 5 % (mean net)",
  "payer.payForNothing": "payer's pay-for-nothing limit",
  "contract.missedSuccess": "missed-success limit",
};

/** A need's unit, for the relaxation's wording and for weighing misses against each other. */
export const DESIGN_NEED_UNITS: Record<DesignNeedId, "rate" | "chance" | "money"> = {
  "financier.irr": "rate",
  "financier.loss": "chance",
  "financier.npv": "money",
  "payer.net": "money",
  "payer.worst5": "money",
  "payer.payForNothing": "chance",
  "contract.missedSuccess": "chance",
};

/** The figures a candidate is judged on: a sweep cell's, and the payer's worst 5 %. */
export interface DesignFigures extends CellFigures {
  readonly payerWorst5Net: number | null;
}

/** How far a candidate is inside (≥ 0) or outside (< 0) each stated need, in the need's unit. */
export function designSlack(f: DesignFigures, needs: DesignNeeds): Partial<Record<DesignNeedId, number>> {
  const s: Partial<Record<DesignNeedId, number>> = {
    "financier.irr": f.financier.irrOfExpectedFlows === null ? -Infinity : f.financier.irrOfExpectedFlows - needs.financier.minIrrOfExpectedFlows,
    "financier.loss": needs.financier.maxProbLoss - f.financier.probLoss,
    "payer.net": f.payer.meanNet - needs.payer.minMeanNet,
    "payer.payForNothing": needs.payer.maxProbPayForNothing - f.payer.probPayForNothing,
  };
  if (needs.financier.minExpectedNpv !== undefined) s["financier.npv"] = f.financier.expectedNpv - needs.financier.minExpectedNpv;
  if (needs.payer.minWorst5Net !== undefined) s["payer.worst5"] = f.payerWorst5Net === null ? -Infinity : f.payerWorst5Net - needs.payer.minWorst5Net;
  if (needs.contract?.maxProbMissedSuccess !== undefined) s["contract.missedSuccess"] = needs.contract.maxProbMissedSuccess - f.contract.probMissedSuccess;
  return s;
}

export interface Candidate {
  /** The value of each free term. */
  readonly terms: Record<string, number>;
  readonly figures: DesignFigures;
  readonly slack: Partial<Record<DesignNeedId, number>>;
  /** The needs this candidate misses. */
  readonly failing: readonly DesignNeedId[];
  /** Sum of the misses, each in units of its scale (money ÷ capital; rates and chances as they are); 0 = every need met. */
  readonly violation: number;
  /** The objectives, each to be made smaller: −payer's mean net, −financier's expected NPV, chance of paying for nothing. */
  readonly objectives: readonly [number, number, number];
}

export interface DesignSettings {
  /** Candidates per generation (even, at least 4). */
  readonly population: number;
  readonly generations: number;
  /** Seed of the search's own random numbers (not the simulation's). */
  readonly searchSeed: number;
  /** Simulated binary crossover: probability and distribution index (Deb & Agrawal 1995). */
  readonly crossoverProbability: number;
  readonly crossoverEta: number;
  /** Polynomial mutation: probability per term (default 1 / number of terms) and distribution index. */
  readonly mutationProbability: number;
  readonly mutationEta: number;
}

export const DEFAULT_SETTINGS: Omit<DesignSettings, "mutationProbability"> = {
  population: 32,
  generations: 20,
  searchSeed: 1,
  crossoverProbability: 0.9,
  crossoverEta: 15,
  mutationEta: 20,
};

/** Times a child that repeats an evaluated contract is mutated again before it is kept. */
const DUPLICATE_RETRIES = 5;

/** What would make a contract possible when none meets every need. */
export interface Relaxation {
  readonly need: DesignNeedId;
  /** The need's stated value. */
  readonly stated: number;
  /** The value it would have to take for the best candidate below to meet every need (null: relaxing this need alone is not enough). */
  readonly needed: number | null;
  /** How far the need must move, in its unit (≥ 0). */
  readonly by: number | null;
  /** The candidate that would then be acceptable. */
  readonly terms: Record<string, number> | null;
}

export interface DesignResult {
  readonly scenario: string;
  readonly currency: string;
  readonly trials: number;
  readonly seed: string | number;
  readonly free: readonly FreeTerm[];
  readonly needs: DesignNeeds;
  readonly settings: DesignSettings;
  /** Contracts evaluated: all candidates proposed, and the distinct ones among them (each evaluated once). */
  readonly evaluations: { readonly proposed: number; readonly distinct: number; readonly invalid: number };
  /** Distinct candidates that meet every need. */
  readonly acceptable: number;
  /** The Pareto front of the acceptable candidates, by payer's expected net (highest first). */
  readonly front: readonly Candidate[];
  /** The scenario's own terms, judged the same way. */
  readonly current: Candidate;
  /** Only when nothing is acceptable: per stated need, the smallest change that would make a contract acceptable; smallest (relative to its scale) first. */
  readonly relaxations: readonly Relaxation[] | null;
  /**
   * Only when nothing is acceptable: the contract that misses the needs by least in all
   * (violation), with what each need it misses would have to become; its largest miss, relative
   * to the need's scale, is the need that binds hardest.
   */
  readonly closest: { readonly candidate: Candidate; readonly misses: readonly Relaxation[] } | null;
}

export interface DesignOptions {
  readonly trials?: number;
  readonly seed?: string | number;
  readonly settings?: Partial<DesignSettings>;
  readonly onProgress?: (done: number, total: number) => void;
}

/** What the designer needs to evaluate a candidate: the raw JSON, the paths, one simulation. */
interface Prepared {
  readonly input: Record<string, unknown>;
  readonly base: Scenario;
  readonly keys: readonly PathKey[][];
  readonly model: Model;
  readonly table: OutcomeTable;
  /** Money needs are weighed against each other in units of this (the capital). */
  readonly moneyScale: number;
}

function checkFree(free: readonly FreeTerm[], input: unknown): PathKey[][] {
  if (free.length === 0) throw new SweepError([{ path: "free", message: "give at least one free term" }]);
  const seen = new Set<string>();
  return free.map((f) => {
    const keys = parsePath(f.path, input);
    if (touchesModel(keys)) {
      throw new PathError({ path: f.path, message: "only contract terms that leave the simulation as it is can be free (not startDate, delivery.volume or termination.chancePerPeriod): every candidate is evaluated on one simulation of the outcomes" });
    }
    const field = JSON.stringify(keys[keys.length - 1] === "value" ? keys.slice(0, -1) : keys);
    if (seen.has(field)) throw new PathError({ path: f.path, message: "names a field already free; free it once" });
    seen.add(field);
    if (!(Number.isFinite(f.min) && Number.isFinite(f.max) && f.min <= f.max)) {
      throw new PathError({ path: f.path, message: `needs finite bounds min ≤ max, got ${f.min}:${f.max}` });
    }
    if (f.steps !== undefined && !(Number.isInteger(f.steps) && f.steps >= 1 && f.steps <= 1001)) {
      throw new PathError({ path: f.path, message: `steps must be a whole number from 1 to 1001, got ${f.steps}` });
    }
    return keys;
  });
}

function prepare(raw: unknown, free: readonly FreeTerm[], options: DesignOptions): Prepared {
  const input = resolveFigureRefs(raw) as Record<string, unknown>;
  const base = parseScenario(input);
  if (!base.ok) throw new SweepError(base.problems);
  const keys = checkFree(free, input);
  const model = compile(base.scenario);
  const trials = options.trials ?? base.scenario.simulation.trials;
  checkMemory(model, contractShape(model, base.scenario.contract), trials, false);
  const table = simulateOutcomes(model, { trials, seed: options.seed ?? base.scenario.simulation.seed });
  return { input, base: base.scenario, keys, model, table, moneyScale: Math.max(1, Math.abs(base.scenario.contract.capital)) };
}

/** A term's value for a search coordinate x in [0, 1]: continuous, or the nearest of its steps. */
function decode(f: FreeTerm, x: number): number {
  if (f.steps !== undefined) {
    if (f.steps === 1) return f.min;
    const k = Math.round(x * (f.steps - 1));
    return +(f.min + ((f.max - f.min) * k) / (f.steps - 1)).toPrecision(12);
  }
  return +(f.min + (f.max - f.min) * x).toPrecision(12);
}

/** The coordinate in [0, 1] of a term's value (the scenario's own, to seed the search). */
function encode(f: FreeTerm, v: number): number {
  return f.max === f.min ? 0 : Math.min(1, Math.max(0, (v - f.min) / (f.max - f.min)));
}

function readPath(root: unknown, keys: readonly PathKey[]): unknown {
  let node: unknown = root;
  for (const k of keys) node = node === null || typeof node !== "object" ? undefined : (node as Record<string | number, unknown>)[k as string | number];
  return node;
}

/** The figures of one candidate, or the problems that make its terms invalid. */
function evaluate(prep: Prepared, free: readonly FreeTerm[], terms: Record<string, number>): DesignFigures | Problem[] {
  // Only the contract differs between candidates: copy and check only it, as a sweep's cells do;
  // the whole scenario is parsed only to word the problems of a candidate the check refuses.
  const json = { ...prep.input, contract: structuredClone(prep.input.contract) };
  free.forEach((f, k) => setPath(json, prep.keys[k]!, terms[f.path]!, f.path));
  let contract = checkedContract(prep.base, json.contract);
  if (!contract) {
    const parsed = parseScenario(json);
    if (!parsed.ok) return parsed.problems;
    contract = parsed.scenario.contract;
  }
  const results = evaluateContract(prep.model, prep.table, contract);
  checkFinite(prep.model, prep.table, results);
  return { ...cellFigures(results), payerWorst5Net: meanOfWorst(results.payerNet, 0.05) };
}

function judge(prep: Prepared, terms: Record<string, number>, figures: DesignFigures, needs: DesignNeeds): Candidate {
  const slack = designSlack(figures, needs);
  const failing = DESIGN_NEED_IDS.filter((id) => id in slack && !(slack[id]! >= 0));
  let violation = 0;
  for (const id of failing) {
    const miss = -slack[id]!;
    violation += DESIGN_NEED_UNITS[id] === "money" ? miss / prep.moneyScale : Math.min(miss, 1e6);
  }
  // Compared at a thousandth of a unit of money and 12 significant digits: Node's and Chromium's
  // Math functions differ in the last bits, and the search compares candidates whose figures tie
  // (capped contracts), so unrounded figures would send the two down different paths.
  const money = (x: number) => Math.round(x * 1000) / 1000;
  const objectives = [-money(figures.payer.meanNet), -money(figures.financier.expectedNpv), figures.payer.probPayForNothing] as const;
  return { terms, figures, slack, failing, violation: violation === 0 ? 0 : +violation.toPrecision(12), objectives };
}

/** a dominates b: no worse in every objective, better in one. */
function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/** Deb's constrained domination: meeting every need beats missing one; then the smaller miss; then Pareto. */
function constrainedDominates(a: Candidate, b: Candidate): boolean {
  if (a.violation === 0 && b.violation > 0) return true;
  if (a.violation > 0 && b.violation === 0) return false;
  if (a.violation > 0 && b.violation > 0) return a.violation < b.violation;
  return dominates(a.objectives, b.objectives);
}

/** Fast non-dominated sort (Deb et al. 2002, §III-A): the fronts, as lists of indices. */
export function nonDominatedFronts<T>(items: readonly T[], beats: (a: T, b: T) => boolean): number[][] {
  const n = items.length;
  const dominated: number[][] = Array.from({ length: n }, () => []);
  const count = new Int32Array(n);
  const fronts: number[][] = [[]];
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      if (p === q) continue;
      if (beats(items[p]!, items[q]!)) dominated[p]!.push(q);
      else if (beats(items[q]!, items[p]!)) count[p]!++;
    }
    if (count[p] === 0) fronts[0]!.push(p);
  }
  for (let i = 0; fronts[i]!.length; i++) {
    const next: number[] = [];
    for (const p of fronts[i]!) for (const q of dominated[p]!) if (--count[q]! === 0) next.push(q);
    fronts.push(next);
  }
  fronts.pop();
  return fronts;
}

/** Crowding distance of each member of one front (§III-B): larger is lonelier. */
function crowding(front: readonly Candidate[]): Float64Array {
  const n = front.length, d = new Float64Array(n);
  if (n <= 2) return d.fill(Infinity);
  for (let m = 0; m < 3; m++) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => front[a]!.objectives[m]! - front[b]!.objectives[m]!);
    const lo = front[order[0]!]!.objectives[m]!, hi = front[order[n - 1]!]!.objectives[m]!;
    d[order[0]!] = d[order[n - 1]!] = Infinity;
    if (hi === lo) continue;
    for (let k = 1; k < n - 1; k++) d[order[k]!]! += (front[order[k + 1]!]!.objectives[m]! - front[order[k - 1]!]!.objectives[m]!) / (hi - lo);
  }
  return d;
}

/** Simulated binary crossover of two coordinates in [0, 1] (Deb & Agrawal 1995, bounded form). */
function sbx(x1: number, x2: number, eta: number, u: () => number): [number, number] {
  if (Math.abs(x1 - x2) < 1e-14) return [x1, x2];
  const lo = Math.min(x1, x2), hi = Math.max(x1, x2);
  const child = (beta: number) => {
    const alpha = 2 - Math.pow(beta, -(eta + 1));
    const r = u();
    const bq = r <= 1 / alpha ? Math.pow(r * alpha, 1 / (eta + 1)) : Math.pow(1 / (2 - r * alpha), 1 / (eta + 1));
    return bq;
  };
  const b1 = child(1 + (2 * lo) / (hi - lo)), b2 = child(1 + (2 * (1 - hi)) / (hi - lo));
  const c1 = Math.min(1, Math.max(0, 0.5 * (lo + hi - b1 * (hi - lo))));
  const c2 = Math.min(1, Math.max(0, 0.5 * (lo + hi + b2 * (hi - lo))));
  return u() < 0.5 ? [c1, c2] : [c2, c1];
}

/** Polynomial mutation of a coordinate in [0, 1] (Deb & Goyal 1996, bounded form). */
function polynomialMutation(x: number, eta: number, u: () => number): number {
  const r = u();
  const power = 1 / (eta + 1);
  const delta = r < 0.5 ? Math.pow(2 * r + (1 - 2 * r) * Math.pow(1 - x, eta + 1), power) - 1 : 1 - Math.pow(2 * (1 - r) + 2 * (r - 0.5) * Math.pow(x, eta + 1), power);
  return Math.min(1, Math.max(0, x + delta));
}

/** The front of the acceptable candidates: none meets every need and is better in all three objectives. */
function acceptableFront(all: readonly Candidate[]): Candidate[] {
  const ok = all.filter((c) => c.violation === 0);
  const front = ok.filter((c) => !ok.some((d) => d !== c && dominates(d.objectives, c.objectives)));
  // Candidates whose terms differ but whose figures are identical are one point: keep the first (fewest-key order).
  const seen = new Set<string>();
  return front
    .filter((c) => {
      const k = c.objectives.join(",");
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.objectives[0] - b.objectives[0] || a.objectives[1] - b.objectives[1] || a.objectives[2] - b.objectives[2]);
}

const statedNeed = (needs: DesignNeeds, id: DesignNeedId): number | undefined =>
    ({
      "financier.irr": needs.financier.minIrrOfExpectedFlows,
      "financier.loss": needs.financier.maxProbLoss,
      "financier.npv": needs.financier.minExpectedNpv,
      "payer.net": needs.payer.minMeanNet,
      "payer.worst5": needs.payer.minWorst5Net,
      "payer.payForNothing": needs.payer.maxProbPayForNothing,
      "contract.missedSuccess": needs.contract?.maxProbMissedSuccess,
    })[id];

/** A minimum is lowered to relax it, a maximum raised. */
const IS_MINIMUM: Record<DesignNeedId, boolean> = {
  "financier.irr": true,
  "financier.loss": false,
  "financier.npv": true,
  "payer.net": true,
  "payer.worst5": true,
  "payer.payForNothing": false,
  "contract.missedSuccess": false,
};

function relaxation(id: DesignNeedId, value: number, c: Candidate | null): Relaxation {
  const by = c ? Math.max(0, -(c.slack[id] ?? 0)) : null;
  const finite = by !== null && Number.isFinite(by);
  return { need: id, stated: value, needed: finite ? (IS_MINIMUM[id] ? value - by : value + by) : null, by: finite ? by : null, terms: c?.terms ?? null };
}

/** The smallest change to each stated need that makes one evaluated candidate meet every need. */
function relaxations(all: readonly Candidate[], needs: DesignNeeds, moneyScale: number): Relaxation[] {
  const stated = (id: DesignNeedId) => statedNeed(needs, id);
  const out: Relaxation[] = [];
  for (const id of DESIGN_NEED_IDS) {
    const value = stated(id);
    if (value === undefined) continue;
    let best: Candidate | null = null;
    for (const c of all) {
      if (c.failing.some((f) => f !== id)) continue;
      const miss = Math.max(0, -(c.slack[id] ?? 0));
      if (Number.isFinite(miss) && (best === null || miss < Math.max(0, -(best.slack[id] ?? 0)))) best = c;
    }
    out.push(relaxation(id, value, best));
  }
  return out.sort((a, b) => relativeMiss(a, moneyScale) - relativeMiss(b, moneyScale));
}

/** A relaxation's size relative to its need's scale (money ÷ capital), for ordering. */
function relativeMiss(r: Relaxation, moneyScale: number): number {
  return r.by === null ? Infinity : DESIGN_NEED_UNITS[r.need] === "money" ? r.by / moneyScale : r.by;
}

/** The candidate missing the needs by least, and each of its misses, largest first. */
function closest(all: readonly Candidate[], needs: DesignNeeds, moneyScale: number): DesignResult["closest"] {
  let best: Candidate | null = null;
  for (const c of all) if (Number.isFinite(c.violation) && (best === null || c.violation < best.violation)) best = c;
  if (!best) return null;
  const misses = best.failing.map((id) => relaxation(id, statedNeed(needs, id)!, best));
  return { candidate: best, misses: misses.sort((a, b) => relativeMiss(b, moneyScale) - relativeMiss(a, moneyScale)) };
}

/**
 * Searches the free terms for contracts that meet every need. Throws SweepError or PathError for
 * a bad scenario or free term, RunRefused (models/summary/limits.ts) for a run too large.
 */
export function designContract(raw: unknown, free: readonly FreeTerm[], needs: DesignNeeds = DEFAULT_DESIGN_NEEDS, options: DesignOptions = {}): DesignResult {
  const settings: DesignSettings = {
    ...DEFAULT_SETTINGS,
    mutationProbability: 1 / free.length,
    ...options.settings,
  };
  if (!(Number.isInteger(settings.population) && settings.population >= 4 && settings.population % 2 === 0 && settings.population <= 1000)) {
    throw new SweepError([{ path: "population", message: `must be an even whole number from 4 to 1000, got ${settings.population}` }]);
  }
  if (!(Number.isInteger(settings.generations) && settings.generations >= 0 && settings.generations <= 1000)) {
    throw new SweepError([{ path: "generations", message: `must be a whole number from 0 to 1000, got ${settings.generations}` }]);
  }
  const prep = prepare(raw, free, options);
  const rng = new Stream().reset(settings.searchSeed >>> 0, 0, 97).next;
  const archive = new Map<string, Candidate | null>();
  let proposed = 0, invalid = 0;
  const total = settings.population * (settings.generations + 1);

  const keyOf = (terms: Record<string, number>) => JSON.stringify(free.map((f) => terms[f.path]));
  const termsOf = (x: readonly number[]) => Object.fromEntries(free.map((f, k) => [f.path, decode(f, x[k]!)]));
  /** Evaluates terms once; null for terms the schema refuses (a band edge out of order, say). */
  const candidate = (terms: Record<string, number>): Candidate | null => {
    proposed++;
    const key = keyOf(terms);
    if (archive.has(key)) return archive.get(key)!;
    const figures = evaluate(prep, free, terms);
    const c = Array.isArray(figures) ? null : judge(prep, terms, figures, needs);
    if (!c) invalid++;
    archive.set(key, c);
    options.onProgress?.(Math.min(proposed, total), total);
    return c;
  };

  const currentTerms = Object.fromEntries(free.map((f, k) => [f.path, Number(readPath(prep.input, prep.keys[k]!) ?? f.min)]));
  const currentFigures = evaluate(prep, free, currentTerms);
  if (Array.isArray(currentFigures)) throw new SweepError(currentFigures);
  const current = judge(prep, currentTerms, currentFigures, needs);

  // The first generation: the scenario's own terms (clipped into the bounds) and random ones.
  type Member = { x: number[]; c: Candidate };
  let population: Member[] = [];
  const start = free.map((f) => encode(f, currentTerms[f.path]!));
  const propose = (x: number[]) => {
    const c = candidate(termsOf(x));
    if (c) population.push({ x, c });
  };
  propose(start);
  for (let tries = 0; population.length < settings.population && tries < 50 * settings.population; tries++) propose(free.map(() => rng()));

  const rankAndCrowd = (members: Member[]) => {
    const fronts = nonDominatedFronts(members.map((m) => m.c), constrainedDominates);
    const rank = new Int32Array(members.length), crowd = new Float64Array(members.length);
    fronts.forEach((front, r) => {
      const d = crowding(front.map((i) => members[i]!.c));
      front.forEach((i, k) => ((rank[i] = r), (crowd[i] = d[k]!)));
    });
    return { fronts, rank, crowd };
  };

  for (let g = 0; g < settings.generations && population.length >= 2; g++) {
    const { rank, crowd } = rankAndCrowd(population);
    const pick = () => {
      const a = Math.floor(rng() * population.length), b = Math.floor(rng() * population.length);
      return rank[a]! < rank[b]! || (rank[a] === rank[b] && crowd[a]! > crowd[b]!) ? population[a]! : population[b]!;
    };
    const offspring: Member[] = [];
    for (let tries = 0; offspring.length < settings.population && tries < 50 * settings.population; tries++) {
      const p1 = pick().x, p2 = pick().x;
      const c1 = [...p1], c2 = [...p2];
      if (rng() < settings.crossoverProbability) {
        for (let k = 0; k < free.length; k++) if (rng() < 0.5) [c1[k], c2[k]] = sbx(p1[k]!, p2[k]!, settings.crossoverEta, rng);
      }
      for (const child of [c1, c2]) {
        for (let k = 0; k < free.length; k++) if (rng() < settings.mutationProbability) child[k] = polynomialMutation(child[k]!, settings.mutationEta, rng);
        // Duplicate elimination (as pymoo's NSGA-II does): a child whose terms were evaluated
        // already is mutated again, a few times, so the generation explores rather than repeats
        // (on discrete terms most children would otherwise be copies).
        for (let retry = 0; retry < DUPLICATE_RETRIES && archive.has(keyOf(termsOf(child))); retry++) {
          for (let k = 0; k < free.length; k++) if (rng() < 0.5) child[k] = polynomialMutation(child[k]!, settings.mutationEta / (retry + 1), rng);
        }
        const c = candidate(termsOf(child));
        if (c) offspring.push({ x: child, c });
      }
    }
    // Elitist survival: the best fronts of parents and offspring together, the last one by crowding.
    const both = [...population, ...offspring];
    const ranked = rankAndCrowd(both);
    const next: Member[] = [];
    for (const front of ranked.fronts) {
      if (next.length + front.length <= settings.population) {
        for (const i of front) next.push(both[i]!);
      } else {
        const rest = [...front].sort((a, b) => ranked.crowd[b]! - ranked.crowd[a]!);
        for (const i of rest.slice(0, settings.population - next.length)) next.push(both[i]!);
        break;
      }
    }
    population = next;
  }
  options.onProgress?.(total, total);

  const all = [...archive.values()].filter((c): c is Candidate => c !== null);
  const front = acceptableFront(all);
  return {
    scenario: prep.base.name,
    currency: prep.base.currency,
    trials: prep.table.trials,
    seed: prep.table.seed,
    free,
    needs,
    settings,
    evaluations: { proposed, distinct: archive.size, invalid },
    acceptable: all.filter((c) => c.violation === 0).length,
    front,
    current,
    relaxations: front.length ? null : relaxations(all, needs, prep.moneyScale),
    closest: front.length ? null : closest(all, needs, prep.moneyScale),
  };
}

/**
 * Every combination of discrete free terms evaluated exhaustively: the witness the search is
 * checked against on a grid small enough to enumerate. Returns the acceptable front.
 */
export function designByGrid(raw: unknown, free: readonly FreeTerm[], needs: DesignNeeds = DEFAULT_DESIGN_NEEDS, options: DesignOptions = {}): Candidate[] {
  if (free.some((f) => f.steps === undefined)) throw new Error("designByGrid: every free term needs steps");
  const prep = prepare(raw, free, options);
  let combos: Record<string, number>[] = [{}];
  for (const f of free) {
    const values = Array.from({ length: f.steps! }, (_, i) => decode(f, f.steps === 1 ? 0 : i / (f.steps! - 1)));
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [f.path]: v })));
  }
  const all: Candidate[] = [];
  for (const terms of combos) {
    const figures = evaluate(prep, free, terms);
    if (!Array.isArray(figures)) all.push(judge(prep, terms, figures, needs));
  }
  return acceptableFront(all);
}
