/**
 * An uncertain number in a scenario: a fixed value or a distribution, each with an optional
 * source. Squiggle-style range form `{ "p5": a, "p95": b }` states a belief by two percentiles.
 *
 * Each field declares the range it allows (a probability lies in [0, 1], a cost is ≥ 0).
 * Fixed values and a distribution's central value must lie in that range; sampled values are
 * clipped to it, so a wide normal on a probability cannot produce −0.1.
 */
import { Z90 } from "../constants.js";
import { z } from "zod";
import { resolveFigureRef, type FigureRef } from "../figures/resolve.js";

/** Where a figure comes from: a citation, "derived: …" or "assumption: …". */
export const source = z.string().min(1).meta({ description: "Where the figure comes from" });

const note = z.string().optional();

const fixed = z.strictObject({
  value: z.number(),
  source: source.optional(),
  note,
});
const normal = z.strictObject({
  dist: z.literal("normal"),
  mean: z.number(),
  sd: z.number().positive(),
  source: source.optional(),
  note,
});
const lognormal = z.strictObject({
  dist: z.literal("lognormal"),
  /** Mean and standard deviation of log(x). */
  mu: z.number(),
  sigma: z.number().positive(),
  source: source.optional(),
  note,
});
const beta = z.strictObject({
  dist: z.literal("beta"),
  alpha: z.number().positive(),
  beta: z.number().positive(),
  source: source.optional(),
  note,
});
const uniform = z.strictObject({
  dist: z.literal("uniform"),
  min: z.number(),
  max: z.number(),
  source: source.optional(),
  note,
});
const triangular = z.strictObject({
  dist: z.literal("triangular"),
  min: z.number(),
  mode: z.number(),
  max: z.number(),
  source: source.optional(),
  note,
});
/** PERT: "between min and max, most likely mode"; a beta scaled to [min, max]. */
const pert = z.strictObject({
  dist: z.literal("pert"),
  min: z.number(),
  mode: z.number(),
  max: z.number(),
  source: source.optional(),
  note,
});
/** 90 % interval: lognormal when both ends are positive, else normal (as Squiggle's `a to b`). */
const range = z.strictObject({
  dist: z.literal("range").optional(),
  p5: z.number(),
  p95: z.number(),
  source: source.optional(),
  note,
});

const uncertain = z.union([fixed, normal, lognormal, beta, uniform, triangular, pert, range]);

/**
 * A reference to a row of the parameter tables (data/figures), resolved at parse time to a
 * fixed value or a range carrying the row's source. See models/figures/resolve.ts.
 */
const figureId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
  message: 'must name a table row as "<table>/<row>", e.g. "placement-cost/sis-treatment-lockable-2020"',
});
const figureRef = z.strictObject({
  ref: z
    .union([figureId, z.array(figureId).length(2, { message: "must name two rows: [low, high]" })])
    .meta({ description: 'A row of the parameter tables in data/figures, "<table>/<row>", or two rows [low, high] for a range' }),
  as: z.enum(["range", "uniform"]).optional().meta({ description: "A range read as a 90 % interval (default) or as a uniform distribution" }),
  priceYear: z.number().int().optional().meta({ description: "Bring a SEK figure to this year's prices (SCB KPI annual averages)" }),
  note,
});

/**
 * What a real contract can have (issue 12, item 2): every money and rate field is bounded, so a
 * trial's money figures stay finite. Money per day, per event, per participant, per outcome or
 * per success is at most 1e9; capital and other amounts at most 1e13; rate and odds ratios lie in
 * [0, 1000]; a lognormal's sigma is at most 10; every number inside a distribution is at most
 * 1e15 in size. README ("Bounds") gives the reasons.
 */
export const LIMITS = {
  perUnit: 1e9,
  amount: 1e13,
  ratio: 1000,
  sigma: 10,
  magnitude: 1e15,
} as const;

/** Field bounds shared by the schema and models/compile.ts (whose bounds clip the sampled values). */
export const BOUNDS = {
  /** Money per day, per event, per participant, per success. */
  perUnitMoney: { min: 0, max: LIMITS.perUnit },
  /** Rate ratios and odds ratios (1 = no effect). */
  ratio: { min: 0, max: LIMITS.ratio },
  /** Events per participant over the follow-up. */
  eventRate: { min: 0, max: 1000 },
  /** Hedges' g. */
  standardizedMeanDifference: { min: -10, max: 10 },
  /** Participants served ÷ planned. */
  volume: { min: 0, max: 100 },
} as const satisfies Record<string, Bounds>;

export type ParamSpec = number | z.infer<typeof uncertain>;
export type DistSpec = Exclude<ParamSpec, number>;

export interface Bounds {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

function describeBounds(b: Bounds): string {
  const kind = b.integer ? "an integer" : "a number";
  if (b.min !== undefined && b.max !== undefined) return `${kind} from ${b.min} to ${b.max}`;
  if (b.min !== undefined) return `${kind} ≥ ${b.min}`;
  if (b.max !== undefined) return `${kind} ≤ ${b.max}`;
  return kind;
}

function inBounds(x: number, b: Bounds): boolean {
  return (
    Number.isFinite(x) &&
    (b.min === undefined || x >= b.min) &&
    (b.max === undefined || x <= b.max) &&
    (!b.integer || Number.isInteger(x))
  );
}

/** The value a distribution is centred on (mean, median or mode), used to check its bounds. */
export function centralValue(p: ParamSpec): number {
  if (typeof p === "number") return p;
  if (!("dist" in p) || p.dist === undefined || p.dist === "range") {
    if ("value" in p) return p.value;
    const r = p as { p5: number; p95: number };
    return r.p5 > 0 ? Math.sqrt(r.p5 * r.p95) : (r.p5 + r.p95) / 2;
  }
  switch (p.dist) {
    case "normal":
      return p.mean;
    case "lognormal":
      return Math.exp(p.mu);
    case "beta":
      return p.alpha / (p.alpha + p.beta);
    case "uniform":
      return (p.min + p.max) / 2;
    case "triangular":
    case "pert":
      return p.mode;
  }
}

/** Problems with a distribution's own parameters (not with the field's bounds). */
function shapeProblem(p: DistSpec): string | undefined {
  for (const [k, v] of Object.entries(p)) {
    if (typeof v === "number" && !(Math.abs(v) <= LIMITS.magnitude)) return `${k} must be at most ${LIMITS.magnitude} in size, got ${v}`;
  }
  if ("dist" in p && p.dist === "lognormal" && p.sigma > LIMITS.sigma) return `sigma must be at most ${LIMITS.sigma} (a spread of e^${LIMITS.sigma} per standard deviation), got ${p.sigma}`;
  if ("p5" in p && p.p5 > 0 && p.p95 > p.p5) {
    const sigma = Math.log(p.p95 / p.p5) / (2 * Z90);
    if (sigma > LIMITS.sigma) return `p95 ÷ p5 must be at most ${Math.exp(2 * Z90 * LIMITS.sigma).toPrecision(3)} (a lognormal's sigma at most ${LIMITS.sigma}), got ${Number.isFinite(p.p95 / p.p5) ? (p.p95 / p.p5).toPrecision(3) : `${p.p95} ÷ ${p.p5}, beyond 1e308`}`;
  }
  if (!("dist" in p) || p.dist === "range") {
    if ("p5" in p && !(p.p5 < p.p95)) return "p5 must be less than p95";
    return undefined;
  }
  switch (p.dist) {
    case "uniform":
      return p.min < p.max ? undefined : "min must be less than max";
    case "triangular":
    case "pert":
      if (!(p.min < p.max)) return "min must be less than max";
      if (!(p.min <= p.mode && p.mode <= p.max)) return "mode must lie between min and max";
      return undefined;
    default:
      return undefined;
  }
}

/**
 * A scenario number allowed within `bounds`: a plain number, `{value, source}`, or a
 * distribution. Distributions may not be used where `fixedOnly` (e.g. cohort sizes).
 */
export function param(bounds: Bounds = {}) {
  const allowed = describeBounds(bounds);
  return z
    .union([z.number(), uncertain, figureRef])
    .transform((p, ctx): ParamSpec => {
      if (typeof p === "number" || !("ref" in p)) return p;
      const r = resolveFigureRef(p as FigureRef);
      if (r.ok) return r.spec;
      ctx.addIssue({ code: "custom", message: r.message, path: ["ref"], input: p.ref });
      return z.NEVER;
    })
    .superRefine((p, ctx) => {
      if (typeof p === "number" || (typeof p === "object" && "value" in p)) {
        const v = typeof p === "number" ? p : p.value;
        if (!inBounds(v, bounds)) ctx.addIssue({ code: "custom", message: `must be ${allowed}, got ${v}` });
        return;
      }
      const problem = shapeProblem(p);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return;
      }
      const c = centralValue(p);
      const b = { ...bounds, integer: false };
      if (!inBounds(c, b)) {
        ctx.addIssue({
          code: "custom",
          message: `distribution is centred on ${c.toPrecision(4)}, outside the allowed range (${allowed})`,
        });
      }
    })
    .meta({
      distribution: true,
      description: `${allowed}: a number, {value, source}, a distribution (normal, lognormal, beta, uniform, triangular, pert, or {p5, p95}), or {ref} to a row of the parameter tables`,
    });
}

/** A whole number that is part of the design (cohort size, periods): fixed, no distribution. */
export function count(min = 0, max = 1_000_000) {
  return z
    .number()
    .int({ message: `must be a whole number from ${min} to ${max}` })
    .min(min, { message: `must be a whole number from ${min} to ${max}` })
    .max(max, { message: `must be a whole number from ${min} to ${max}` });
}

/** A fixed fraction in [0, 1] (a contract share or threshold). */
export const fraction = z
  .number()
  .min(0, { message: "must be a fraction from 0 to 1" })
  .max(1, { message: "must be a fraction from 0 to 1" });
