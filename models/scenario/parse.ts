/** Validation at the edge: turns unknown JSON into a typed scenario or a list of problems. */
import { z } from "zod";
import { scenarioSchema, type Scenario } from "./schema.js";
import { compile, unknownFittedPaths } from "../compile.js";
import { correlationProblems } from "./references.js";

/** One thing wrong with a scenario, at a JSON path such as `contract.rules[2].threshold`. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] };

/** `["contract", "rules", 2, "share"]` → `contract.rules[2].share` (zod's own toDotPath, as z.prettifyError writes paths); the root is `(scenario)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return z.core.toDotPath(path) || "(scenario)";
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      // "int" is a refinement of number whose own message says what is allowed.
      if (issue.expected === "int") return issue.message;
      // JSON.parse reads a number such as 1e400 as Infinity: say so rather than print "Infinity".
      if (typeof issue.input === "number" && !Number.isFinite(issue.input)) return `must be a finite number, got ${kindOf(issue.input)}`;
      return issue.input === undefined ? `is required (${issue.expected})` : `expected ${issue.expected}, got ${kindOf(issue.input)}`;
    case "unrecognized_keys":
      // "__proto__" is reported by protoKeys, at its own path.
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    case "invalid_union":
      return unionMessage(issue);
    case "too_small":
    case "too_big": {
      // zod's own "Too small: expected number to be >0" → "must be greater than 0, got -1".
      // Only zod's default text is rewritten; the schema's own messages say what is allowed already.
      if ((issue.origin !== "number" && issue.origin !== "int") || !/^Too (small|big):/.test(issue.message)) return issue.message;
      const small = issue.code === "too_small";
      const bound = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
      const inclusive = (issue as { inclusive?: boolean }).inclusive;
      const what = small ? (inclusive ? "at least" : "greater than") : inclusive ? "at most" : "less than";
      const input = (issue as { input?: unknown }).input;
      return `must be ${what} ${bound}${typeof input === "number" ? `, got ${input}` : ""}`;
    }
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return issue.message;
  }
}

function kindOf(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  if (typeof x === "number" && !Number.isFinite(x)) return "a number beyond what a double holds (about ±1.8e308; 1e400 is read as infinite)";
  return typeof x === "object" ? "an object" : `${typeof x} ${JSON.stringify(x)}`;
}

/** A union failed: report the branch that got furthest, or say what forms are allowed. */
function unionMessage(issue: z.core.$ZodIssueInvalidUnion): string {
  const input = (issue as { input?: unknown }).input;
  // A discriminated union (rule kinds, outcome kinds, comparators) names its options.
  const options = (issue as { options?: unknown[] }).options;
  if (options?.length) {
    // The input is the whole object (a rule, an outcome): quote its discriminator, not its first field.
    const discriminator = (issue as { discriminator?: string }).discriminator;
    const got = input !== null && typeof input === "object" ? (discriminator === undefined ? undefined : (input as Record<string, unknown>)[discriminator]) : input;
    return `must be one of ${options.map((o) => JSON.stringify(o)).join(", ")}${got === undefined ? "" : `, got ${JSON.stringify(got)}`}`;
  }
  const branches = issue.errors.filter((errs) => errs.every((e) => e.code !== "invalid_type" || e.path.length > 0));
  if (branches.length === 1 && branches[0]!.length > 0) {
    const e = branches[0]![0]!;
    return `${e.path.length ? formatPath(e.path) + ": " : ""}${describe(e)}`;
  }
  // A union of plain types (the seed: a string or a number) names them, not a number's forms.
  const types = issue.errors.map((errs) => (errs.length === 1 && errs[0]!.code === "invalid_type" && errs[0]!.path.length === 0 ? errs[0]!.expected : null));
  if (types.length > 0 && types.every((t) => t !== null)) return `expected ${[...new Set(types)].join(" or ")}, got ${kindOf(input)}`;
  if (input !== null && typeof input === "object" && "dist" in input) {
    // A known distribution with a field missing or wrong: that distribution's own first problem.
    const own = knownDistBranch(issue);
    if (own) return `${own.path.length ? formatPath(own.path) + ": " : ""}${describe(own)}`;
    return `unknown distribution ${JSON.stringify((input as { dist: unknown }).dist)}; use normal, lognormal, beta, uniform, triangular, pert or range`;
  }
  return `expected a number, {value, source} or a distribution (normal, lognormal, beta, uniform, triangular, pert, or {p5, p95}), got ${kindOf(input)}`;
}

/**
 * In the union of numbers, distributions and {ref}, the branch whose `dist` the input names: the
 * one (through nested unions) with no problem at `dist` and no unknown key "dist"; its first
 * problem, or undefined when no distribution has that name.
 */
function knownDistBranch(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue | undefined {
  for (const errs of issue.errors) {
    if (errs.length === 1 && errs[0]!.code === "invalid_union" && errs[0]!.path.length === 0) {
      const inner = knownDistBranch(errs[0] as z.core.$ZodIssueInvalidUnion);
      if (inner) return inner;
      continue;
    }
    const aboutDist = errs.some((e) => (e.path.length === 1 && e.path[0] === "dist") || (e.code === "invalid_type" && e.path.length === 0) || (e.code === "unrecognized_keys" && e.keys.includes("dist")));
    if (!aboutDist && errs.length > 0) return errs[0];
  }
  return undefined;
}

/** Flattens zod's issues into one problem per path, in document order. */
export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.filter((k) => k !== "__proto__");
      if (!keys.length) return [];
      issue = { ...issue, keys };
    }
    return [{ path: formatPath(issue.path), message: describe(issue) }];
  });
}

/**
 * Every "__proto__" key in the JSON, by its path. JSON.parse makes it an ordinary key, but a
 * record (`initial`, a comparator's `baseline`) would drop it without a word, so it is refused
 * wherever it is.
 */
function protoKeys(input: unknown): Problem[] {
  const found: Problem[] = [];
  const walk = (node: unknown, path: PropertyKey[], depth: number): void => {
    if (node === null || typeof node !== "object" || depth > 64) return;
    if (Array.isArray(node)) return node.forEach((x, i) => walk(x, [...path, i], depth + 1));
    for (const key of Object.keys(node)) {
      if (key === "__proto__") found.push({ path: formatPath([...path, key]), message: 'a key may not be "__proto__"' });
      else walk((node as Record<string, unknown>)[key], [...path, key], depth + 1);
    }
  };
  walk(input, [], 0);
  return found;
}

export function parseScenario(input: unknown): ParseResult {
  // reportInput: issues carry the offending value, so messages can say what was given.
  const result = scenarioSchema.safeParse(input, { reportInput: true });
  const proto = protoKeys(input);
  if (result.success && !proto.length) {
    // A fitted posterior names the scenario's uncertain inputs, which only compiling it lists.
    const fitted = result.data.fitted;
    if (fitted) {
      const bad = unknownFittedPaths(compile(result.data), fitted.paths);
      if (bad.length) return { ok: false, problems: bad.map((i) => ({ path: `fitted.paths[${i}]`, message: `${JSON.stringify(fitted.paths[i])} is not an uncertain input of this scenario (a distribution's path, such as intervention.effects[0].rateRatio)` })) };
    }
    // Correlations name uncertain inputs too, and must be possible together (references.ts).
    const correlations = result.data.correlations;
    if (correlations?.length) {
      const bad = correlationProblems(correlations, compile({ ...result.data, correlations: undefined }).params);
      if (bad.length) return { ok: false, problems: bad.map((p) => ({ path: formatPath(p.path), message: p.message })) };
    }
    return { ok: true, scenario: result.data };
  }
  return { ok: false, problems: [...proto, ...(result.success ? [] : problemsOf(result.error))] };
}

/** Parses JSON text; a syntax error becomes a problem at the root, with the position. */
export function parseScenarioText(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: "(file)", message: `invalid JSON: ${(e as Error).message}` }] };
  }
  return parseScenario(json);
}
