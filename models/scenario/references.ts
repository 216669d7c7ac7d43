/**
 * Cross-field checks of a scenario (moved from schema.ts, issue 14 item 4): every id a field
 * refers to must exist, shares must sum to 1, offsets must not go round in a circle; and the
 * correlations between uncertain inputs (issue 15 §1): no input with itself, no pair twice, each
 * path an uncertain input, and a positive semi-definite matrix.
 */
import type { z } from "zod";
import { firstInconsistentPair, type RankPair } from "../random/copula.js";
import { centralValue } from "./param.js";
import { measuresOf, moneyFieldsOf, type PaymentRule, type Scenario } from "./schema.js";

type Ctx = z.core.$RefinementCtx<z.output<z.ZodObject>>;

/** Cross-field checks: every id a field refers to must exist (exported for sweeps, which check each cell's contract against the parsed rest). */
export function checkReferences(s: Record<string, unknown>, ctx: Ctx): void {
  const sc = s as unknown as Scenario;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });

  const outcomeIds = new Set<string>();
  sc.outcomes.forEach((o, i) => {
    if (outcomeIds.has(o.id)) issue(["outcomes", i, "id"], `duplicate outcome id ${JSON.stringify(o.id)}`);
    outcomeIds.add(o.id);
  });
  const measures = new Map(sc.outcomes.flatMap((o) => measuresOf(o)).map((m) => [m.id, m]));
  const measureList = [...measures.keys()].join(", ");

  sc.outcomes.forEach((o, i) => {
    if (o.kind !== "placement") return;
    const states = new Set(o.states.map((st) => st.id));
    let total = 0;
    for (const [k, v] of Object.entries(o.initial)) {
      if (!states.has(k)) issue(["outcomes", i, "initial", k], `unknown state ${JSON.stringify(k)}; states are ${[...states].join(", ")}`);
      total += v;
    }
    if (Math.abs(total - 1) > 1e-9) issue(["outcomes", i, "initial"], `shares must sum to 1, got ${+total.toFixed(6)}`);
    o.transitions.forEach((t, j) => {
      for (const end of ["from", "to"] as const) {
        if (!states.has(t[end])) issue(["outcomes", i, "transitions", j, end], `unknown state ${JSON.stringify(t[end])}; states are ${[...states].join(", ")}`);
      }
      if (t.from === t.to) issue(["outcomes", i, "transitions", j, "to"], "must differ from `from` (staying is the remainder)");
    });
    // The chances of leaving a state must leave room to stay: a draw above 1 in total is
    // rescaled (models/cohort/placement.ts), but a row whose central values already exceed 1
    // is a mistake in the file, not uncertainty.
    const leaving = new Map<string, number>();
    for (const t of o.transitions) leaving.set(t.from, (leaving.get(t.from) ?? 0) + centralValue(t.perPeriod));
    for (const [from, total] of leaving) {
      if (total > 1 + 1e-9) {
        issue(["outcomes", i, "transitions"], `the chances per period of leaving state ${JSON.stringify(from)} sum to ${+total.toPrecision(6)} at their central values; they must sum to at most 1 (staying is the remainder)`);
      }
    }
  });

  sc.intervention.effects.forEach((e, i) => {
    const o = sc.outcomes.find((x) => x.id === e.outcome);
    const path = ["intervention", "effects", i];
    if (!o) return issue([...path, "outcome"], `unknown outcome ${JSON.stringify(e.outcome)}; outcomes are ${[...outcomeIds].join(", ")}`);
    const given = (["rateRatio", "oddsRatio", "standardizedMeanDifference"] as const).filter((k) => e[k] !== undefined);
    const allowed = o.kind === "binary" ? ["oddsRatio", "standardizedMeanDifference"] : ["rateRatio"];
    if (given.length !== 1 || !allowed.includes(given[0]!)) {
      issue(path, `a ${o.kind} outcome's effect needs exactly one of ${allowed.join(" or ")}`);
    }
    if (o.kind === "placement") {
      const states = new Set(o.states.map((st) => st.id));
      for (const end of ["from", "to"] as const) {
        const list = e[end] === undefined ? [] : ([] as string[]).concat(e[end]!);
        if (list.length === 0) issue([...path, end], "is required for a placement outcome");
        for (const st of list) if (!states.has(st)) issue([...path, end], `unknown state ${JSON.stringify(st)}`);
      }
    }
  });

  const comparator = sc.measurement.comparator;
  if (comparator.kind === "historical") {
    if ((comparator.cohort === undefined) === (comparator.baseline === undefined)) {
      issue(["measurement", "comparator"], "needs exactly one of `cohort` (a simulated past group) or `baseline` (published fixed figures)");
    }
    for (const [k, v] of Object.entries(comparator.baseline ?? {})) {
      const m = measures.get(k);
      if (!m) issue(["measurement", "comparator", "baseline", k], `unknown measure ${JSON.stringify(k)}; measures are ${measureList}`);
      else if (m.share && v > 1) issue(["measurement", "comparator", "baseline", k], `is a chance per participant: must be from 0 to 1, got ${v}`);
    }
  }
  if (comparator.kind === "comparisonGroup" && !comparator.perCohort && comparator.size < sc.population.cohorts.length) {
    issue(["measurement", "comparator", "size"], `is the whole comparison group, split between the ${sc.population.cohorts.length} cohorts: must be at least ${sc.population.cohorts.length} (or set perCohort: true)`);
  }
  // A measure the contract reads must have a fixed baseline when the baseline is published as figures.
  const hasBaseline = (measure: string) => comparator.kind !== "historical" || comparator.baseline === undefined || measure in comparator.baseline;

  for (const key of ["delivery", "fees"] as const) {
    const spans = (sc.contract[key]?.perPeriod ?? []) as { from: number; to: number }[];
    spans.forEach((sp, j) => {
      if (sp.to < sp.from) issue(["contract", key, "perPeriod", j, "to"], "must be ≥ `from`");
    });
  }

  const drawn = sc.contract.drawdown.reduce((a, d) => a + d.share, 0);
  if (Math.abs(drawn - 1) > 1e-9) issue(["contract", "drawdown"], `shares must sum to 1, got ${+drawn.toFixed(6)}`);

  const ruleIds = new Set<string>();
  sc.contract.rules.forEach((r, i) => {
    const path = ["contract", "rules", i];
    if (r.id) {
      if (ruleIds.has(r.id)) issue([...path, "id"], `duplicate rule id ${JSON.stringify(r.id)}`);
      ruleIds.add(r.id);
    }
    if ("measure" in r) {
      const m = measures.get(r.measure);
      if (!m) issue([...path, "measure"], `unknown measure ${JSON.stringify(r.measure)}; measures are ${measureList}`);
      else if ((r.kind === "savingsShare" || r.kind === "conditionalReturn") && !m.money) {
        issue([...path, "measure"], `a ${r.kind} rule needs a money measure (such as "<placement>.cost")`);
      }
      if (m && r.kind === "rateCard" && r.basis === "all" && !m.higherIsBetter) {
        issue([...path, "basis"], `"all" pays for every success and needs a measure where higher is better; ${JSON.stringify(r.measure)} is better lower: use "aboveComparator"`);
      }
      if (!hasBaseline(r.measure)) {
        if (!(r.kind === "rateCard" && r.basis === "all")) {
          issue([...path, "measure"], `measurement.comparator.baseline has no value for ${JSON.stringify(r.measure)}`);
        }
      }
    }
    if (r.condition && !measures.has(r.condition.measure)) {
      issue([...path, "condition", "measure"], `unknown measure ${JSON.stringify(r.condition.measure)}; measures are ${measureList}`);
    } else if (r.condition && !hasBaseline(r.condition.measure)) {
      issue([...path, "condition", "measure"], `measurement.comparator.baseline has no value for ${JSON.stringify(r.condition.measure)}`);
    }
    if (r.kind === "stepped") {
      for (let b = 1; b < r.bands.length; b++) {
        if (!(r.bands[b]!.from > r.bands[b - 1]!.from)) issue([...path, "bands", b, "from"], "bands must be in increasing order of `from`");
      }
    }
  });
  // A share of capital "per cohort" only means something on a rule applied per cohort.
  const perCohortHere = (m: unknown): boolean => typeof m === "object" && m !== null && (m as { per?: string }).per === "cohort";
  for (const key of ["totalCap", "guarantee"] as const) {
    if (perCohortHere(sc.contract[key])) issue(["contract", key, "per"], `"cohort" applies only to the amounts of a rule with scope "perCohort"; a contract's ${key} is of the whole capital`);
  }
  sc.contract.rules.forEach((r, i) => {
    if (r.scope !== "pooled") return;
    for (const [path, m] of moneyFieldsOf(r)) {
      if (perCohortHere(m)) issue(["contract", "rules", i, ...path, "per"], `"cohort" applies only to a rule with scope "perCohort"; this rule is pooled`);
    }
  });
  sc.contract.rules.forEach((r, i) => {
    (r.offsetBy ?? []).forEach((o, j) => {
      if (!ruleIds.has(o)) issue(["contract", "rules", i, "offsetBy", j], `unknown rule id ${JSON.stringify(o)}`);
      else if (o === r.id) issue(["contract", "rules", i, "offsetBy", j], `a rule cannot offset itself (${JSON.stringify(o)})`);
    });
  });
  checkOffsetCycles(sc.contract.rules, issue);

  sc.valuation.longRun.forEach((v, i) => {
    const o = sc.outcomes.find((x) => x.id === v.outcome);
    if (!o || o.kind !== "binary") issue(["valuation", "longRun", i, "outcome"], `must name a binary outcome`);
    checkLongRunComponents(v, ["valuation", "longRun", i], issue);
  });

  checkCorrelationPairs(sc.correlations ?? [], issue);
}

type Correlation = NonNullable<Scenario["correlations"]>[number];

/** An input correlated with itself, or a pair stated twice (in either order). */
function checkCorrelationPairs(list: readonly Correlation[], issue: (path: (string | number)[], message: string) => void): void {
  const seen = new Map<string, number>();
  list.forEach((c, i) => {
    const [a, b] = c.between;
    if (a === b) return issue(["correlations", i, "between"], `correlates ${JSON.stringify(a)} with itself; name two different inputs`);
    const key = JSON.stringify([a, b].sort());
    const first = seen.get(key);
    if (first !== undefined) issue(["correlations", i, "between"], `states the pair ${JSON.stringify(a)} and ${JSON.stringify(b)} again (first in correlations[${first}]); state each pair once`);
    else seen.set(key, i);
  });
}

/** One problem with the correlations, at a path such as `correlations[2].between[1]`. */
export interface CorrelationProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * The checks of `correlations` that need the scenario's list of inputs (compile's parameter
 * slots, models/compile.ts): each path must be an uncertain input, and the pairs together must
 * be possible, i.e. the normal-scale correlation matrix (ρ = 2 sin(π ρs / 6), models/random/copula.ts)
 * positive semi-definite. The pair named is the first, in the order listed, whose addition to
 * the ones before it (pairs not listed count as 0) leaves the matrix not positive semi-definite.
 * Run after checkReferences has passed (no self-correlation, no pair twice).
 */
export function correlationProblems(list: readonly Correlation[], params: readonly { readonly path: string; readonly uncertain: boolean }[]): CorrelationProblem[] {
  const problems: CorrelationProblem[] = [];
  const byPath = new Map(params.map((p) => [p.path, p]));
  const index = new Map<string, number>();
  list.forEach((c, i) => {
    c.between.forEach((path, j) => {
      const p = byPath.get(path);
      if (!p) problems.push({ path: ["correlations", i, "between", j], message: `${JSON.stringify(path)} is not an input of this scenario; name an uncertain input by its path, such as outcomes[0].states[1].costPerDay (the paths the tornado lists)` });
      else if (!p.uncertain) problems.push({ path: ["correlations", i, "between", j], message: `${JSON.stringify(path)} is a fixed number, not an uncertain input: give it a distribution, or leave it out of the correlations` });
      else if (!index.has(path)) index.set(path, index.size);
    });
  });
  if (problems.length) return problems;
  const pairs: RankPair[] = list.map((c) => ({ a: index.get(c.between[0])!, b: index.get(c.between[1])!, rank: c.rank }));
  const k = firstInconsistentPair(index.size, pairs);
  if (k >= 0) {
    const c = list[k]!;
    const before = list.slice(0, k).filter((d) => d.between.some((x) => c.between.includes(x)));
    const others = before.length ? ` (${before.map((d) => `${d.between.join(" ~ ")} at ${d.rank}`).join("; ")})` : "";
    problems.push({
      path: ["correlations", k, "rank"],
      message: `${c.between.join(" ~ ")} at ${c.rank} cannot hold together with the pairs listed before it${others}, pairs not listed counting as independent: no joint distribution has these rank correlations (the normal-scale matrix is not positive semi-definite); move this rank towards 0 or change one of the others`,
    });
  }
  return problems;
}

/** `offsetBy` must not go round in a circle (a → b → a): each rule's payment would depend on itself. */
function checkOffsetCycles(rules: readonly PaymentRule[], issue: (path: (string | number)[], message: string) => void): void {
  const index = new Map(rules.flatMap((r, i) => (r.id ? [[r.id, i] as const] : [])));
  // 0 unvisited, 1 on the current path, 2 done.
  const state = rules.map(() => 0);
  const trail: string[] = [];
  const visit = (i: number): void => {
    state[i] = 1;
    trail.push(rules[i]!.id!);
    (rules[i]!.offsetBy ?? []).forEach((o, j) => {
      const k = index.get(o);
      if (k === undefined || k === i) return; // reported above
      if (state[k] === 1) {
        const cycle = [...trail.slice(trail.indexOf(o)), o];
        issue(["contract", "rules", i, "offsetBy", j], `forms a cycle of offsets: ${cycle.join(" → ")}`);
      } else if (state[k] === 0) visit(k);
    });
    trail.pop();
    state[i] = 2;
  };
  rules.forEach((r, i) => {
    if (r.id && state[i] === 0) visit(i);
  });
}

type LongRunValue = Scenario["valuation"]["longRun"][number];

/** valuePerSuccess or components, not both; a share names an earlier valued component; a transfer moves between two perspectives. */
function checkLongRunComponents(v: LongRunValue, path: (string | number)[], issue: (path: (string | number)[], message: string) => void): void {
  const given = (v.valuePerSuccess !== undefined ? 1 : 0) + (v.components !== undefined ? 1 : 0);
  if (given !== 1) return issue(path, "needs exactly one of valuePerSuccess or components");
  const valued = new Set<string>();
  const seen = new Set<string>();
  (v.components ?? []).forEach((c, k) => {
    const at = [...path, "components", k];
    if (seen.has(c.id)) issue([...at, "id"], `duplicate component id ${JSON.stringify(c.id)}`);
    seen.add(c.id);
    const isShare = c.share !== undefined || c.of !== undefined;
    if (c.value !== undefined && isShare) return issue(at, "needs either value, or share and of, not both");
    if (c.value === undefined && !isShare) return issue(at, "needs a value, or a share of another component");
    if (c.transferFrom !== undefined && c.transferFrom === c.perspective) issue([...at, "transferFrom"], "must differ from perspective (a transfer moves money between two perspectives)");
    if (isShare) {
      if (c.share === undefined) issue([...at, "share"], "is required with of");
      if (c.of === undefined) issue([...at, "of"], "is required with share");
      else if (!valued.has(c.of)) issue([...at, "of"], `must name an earlier component with a value; valued components are ${[...valued].join(", ") || "none"}`);
      if (c.transferFrom === undefined) issue([...at, "transferFrom"], "a share of another component must be a transfer: say which perspective it comes from");
    } else valued.add(c.id);
  });
}
