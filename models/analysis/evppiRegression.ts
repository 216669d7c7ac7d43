/**
 * Single-loop EVPPI by nonparametric regression (Strong, Oakley & Brennan 2014, "Estimating
 * multiparameter partial expected value of perfect information from a probabilistic
 * sensitivity analysis sample: a nonparametric regression approach", Medical Decision Making
 * 34(3):311–326). From one ensemble of trials, regress each trial's incremental net benefit on
 * the inputs of interest φ; the fitted values ĝ(φ_t) estimate E[net | φ_t], and
 *
 *   EVPPI ≈ mean_t max(ĝ(φ_t), 0) − max(mean_t ĝ(φ_t), 0).
 *
 * The smoother: each input is replaced by its rank (so knots sit at quantiles), and E[net | φ]
 * is fitted by least squares on cubic B-splines, a tensor product for up to three inputs and an
 * additive model beyond; the number of knots is chosen by generalized cross-validation.
 *
 * The standard error of the whole estimate has two parts, added in quadrature: the regression's
 * own error, from draws of the coefficients from their sampling distribution N(β̂, σ̂²(XᵀX)⁻¹)
 * (the paper's §"Estimating the standard error", for a linear smoother), and the finite sample
 * of φ, the delta-method error of a mean of max(g, 0) − 1{E > 0}·g over N trials. A bootstrap
 * over trials would carry both too, but costs a refit per replicate (seconds for three inputs).
 */
import { Stream } from "../random/stream.js";

export interface RegressionEvppi {
  readonly evppi: number;
  readonly standardError: number;
  /** Mean of the fitted conditional means: the expected net under current information. */
  readonly expected: number;
  /** Share of trials whose fitted E[net | φ] is on the other side of 0 from `expected`. */
  readonly probDecisionChanges: number;
  /** The fitted E[net | φ_t], trial by trial. */
  readonly fitted: Float64Array;
  /** Interior knots per input of the chosen basis. */
  readonly knots: number;
}

export interface RegressionOptions {
  /** Draws of the coefficients for the regression's part of the standard error; default 100 (the error's own relative error is then about 7 %). */
  readonly draws?: number;
  readonly seed?: number;
  /** Candidate numbers of interior knots per input; GCV picks one. */
  readonly knotChoices?: readonly number[];
}

/** Cubic B-spline basis on [0, 1] with q equally spaced interior knots: q + 4 functions, 4 non-zero at any x. */
function bspline(x: number, q: number, out: Float64Array): number {
  const h = 1 / (q + 1);
  const span = Math.min(q, Math.floor(x / h)); // knot interval 0 … q
  const u = x / h - span; // position inside it, [0, 1]
  const v = 1 - u;
  // Uniform cubic B-spline weights on the interval (de Boor); with coincident end knots the
  // uniform form is kept, which spans the same cubic polynomials inside [0, 1].
  out[0] = (v * v * v) / 6;
  out[1] = (3 * u * u * u - 6 * u * u + 4) / 6;
  out[2] = (-3 * u * u * u + 3 * u * u + 3 * u + 1) / 6;
  out[3] = (u * u * u) / 6;
  return span; // functions span … span + 3 of q + 4
}

/** Ranks mapped into (0, 1): (rank + ½)/N, ties sharing their mean rank. */
function ranks(x: ArrayLike<number>): Float64Array {
  const N = x.length;
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const r = new Float64Array(N);
  for (let i = 0; i < N; ) {
    let j = i;
    while (j + 1 < N && x[order[j + 1]!] === x[order[i]!]) j++;
    const mid = (i + j) / 2;
    for (let k = i; k <= j; k++) r[order[k]!] = (mid + 0.5) / N;
    i = j + 1;
  }
  return r;
}

/** The design as sparse rows: `width` non-zero columns per trial. */
interface Design {
  readonly p: number;
  readonly width: number;
  readonly cols: Int32Array;
  readonly vals: Float64Array;
}

function design(u: readonly Float64Array[], q: number): Design {
  const N = u[0]!.length, d = u.length, b = q + 4;
  const tensor = d <= 3;
  const width = tensor ? 4 ** d : 4 * d;
  const p = tensor ? b ** d : b * d;
  const cols = new Int32Array(N * width), vals = new Float64Array(N * width);
  const w = u.map(() => new Float64Array(4));
  const spans = new Int32Array(d);
  for (let t = 0; t < N; t++) {
    for (let i = 0; i < d; i++) spans[i] = bspline(u[i]![t]!, q, w[i]!);
    const at = t * width;
    if (tensor) {
      for (let c = 0; c < width; c++) {
        let col = 0, val = 1, rest = c;
        for (let i = 0; i < d; i++) {
          const k = rest % 4;
          rest = (rest - k) / 4;
          col = col * b + spans[i]! + k;
          val *= w[i]![k]!;
        }
        cols[at + c] = col;
        vals[at + c] = val;
      }
    } else {
      for (let i = 0; i < d; i++) for (let k = 0; k < 4; k++) (cols[at + 4 * i + k] = i * b + spans[i]! + k), (vals[at + 4 * i + k] = w[i]![k]!);
    }
  }
  return { p, width, cols, vals };
}

/** Least squares: coefficients and the Cholesky factor L of XᵀX (row-major, lower), with a tiny ridge for collinear columns. */
function fit(X: Design, y: Float64Array, N: number): { beta: Float64Array; L: Float64Array } | null {
  const { p, width, cols, vals } = X;
  const A = new Float64Array(p * p), z = new Float64Array(p);
  for (let i = 0; i < N; i++) {
    const at = i * width, yi = y[i]!;
    for (let a = 0; a < width; a++) {
      const ca = cols[at + a]!, va = vals[at + a]!;
      z[ca]! += va * yi;
      // Lower triangle only: the factorisation reads no other.
      for (let c = 0; c < width; c++) {
        const cc = cols[at + c]!;
        if (cc <= ca) A[ca * p + cc]! += va * vals[at + c]!;
      }
    }
  }
  let trace = 0;
  for (let i = 0; i < p; i++) trace += A[i * p + i]!;
  const ridge = (1e-9 * trace) / p;
  for (let i = 0; i < p; i++) A[i * p + i]! += ridge;
  // Cholesky A = LLᵀ in place (lower triangle).
  for (let j = 0; j < p; j++) {
    let s = A[j * p + j]!;
    for (let k = 0; k < j; k++) s -= A[j * p + k]! ** 2;
    // A column no trial touches (a knot interval without data) is held at 0 by the ridge.
    if (!(s > 0)) return null;
    const l = (A[j * p + j] = Math.sqrt(s));
    for (let i = j + 1; i < p; i++) {
      let v = A[i * p + j]!;
      for (let k = 0; k < j; k++) v -= A[i * p + k]! * A[j * p + k]!;
      A[i * p + j] = v / l;
    }
  }
  for (let i = 0; i < p; i++) {
    let v = z[i]!;
    for (let k = 0; k < i; k++) v -= A[i * p + k]! * z[k]!;
    z[i] = v / A[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let v = z[i]!;
    for (let k = i + 1; k < p; k++) v -= A[k * p + i]! * z[k]!;
    z[i] = v / A[i * p + i]!;
  }
  return { beta: z, L: A };
}

function predict(X: Design, beta: Float64Array, t: number): number {
  let s = 0;
  for (let a = 0; a < X.width; a++) s += X.vals[t * X.width + a]! * beta[X.cols[t * X.width + a]!]!;
  return s;
}

/** Standard normal draws by Box–Muller from a uniform stream (u = 0 guarded). */
function gaussian(stream: Stream): () => number {
  let spare = NaN;
  return () => {
    if (spare === spare) {
      const v = spare;
      spare = NaN;
      return v;
    }
    const u = 1 - stream.next(), w = stream.next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * w);
    return r * Math.cos(2 * Math.PI * w);
  };
}

/** Largest basis the smoother fits (a tensor of three inputs at 2 knots each is 216 columns). */
const MAX_COLUMNS = 250;

function evppiOf(g: (i: number) => number, N: number) {
  let sum = 0, best = 0;
  for (let i = 0; i < N; i++) {
    const v = g(i);
    sum += v;
    best += Math.max(v, 0);
  }
  const expected = sum / N;
  return { evppi: Math.max(0, best / N - Math.max(expected, 0)), expected };
}

/**
 * EVPPI of `inputs` (one column per input, one value per trial) for the decision "sign"
 * (incremental net benefit `net` per trial) against "do not sign" (0).
 */
export function evppiByRegression(net: ArrayLike<number>, inputs: readonly ArrayLike<number>[], options: RegressionOptions = {}): RegressionEvppi {
  const N = net.length;
  if (inputs.length === 0) throw new Error("evppiByRegression needs at least one input");
  for (const x of inputs) if (x.length !== N) throw new Error(`evppiByRegression: an input has ${x.length} values for ${N} trials`);
  let mean = 0;
  for (let t = 0; t < N; t++) mean += net[t]!;
  mean /= N;
  // Centred and scaled, so the normal equations are well conditioned for money in millions.
  let scale = 0;
  for (let t = 0; t < N; t++) scale = Math.max(scale, Math.abs(net[t]! - mean));
  scale ||= 1;
  const y = Float64Array.from({ length: N }, (_, t) => (net[t]! - mean) / scale);
  const u = inputs.map(ranks);

  // GCV over the candidate bases: N · RSS / (N − p)², p at most N/10.
  let best: { X: Design; beta: Float64Array; L: Float64Array; q: number; gcv: number; rss: number } | null = null;
  for (const q of options.knotChoices ?? [0, 1, 2, 3, 5, 8]) {
    const d = u.length, columns = d <= 3 ? (q + 4) ** d : (q + 4) * d;
    if (columns > Math.min(MAX_COLUMNS, N / 10)) continue;
    const X = design(u, q);
    const f = fit(X, y, N);
    if (!f) continue;
    let rss = 0;
    for (let t = 0; t < N; t++) rss += (y[t]! - predict(X, f.beta, t)) ** 2;
    const gcv = (N * rss) / (N - X.p) ** 2;
    if (!best || gcv < best.gcv) best = { X, beta: f.beta, L: f.L, q, gcv, rss };
  }
  if (!best) throw new Error(`evppiByRegression: too few trials (${N}) for ${inputs.length} inputs`);
  const { X, beta } = best;
  const fitted = Float64Array.from({ length: N }, (_, t) => mean + scale * predict(X, beta, t));
  const point = evppiOf((t) => fitted[t]!, N);
  let changes = 0;
  for (let t = 0; t < N; t++) if (fitted[t]! > 0 !== point.expected > 0) changes++;

  // The regression's part: β* = β̂ + σ̂ L⁻ᵀ z, z ~ N(0, I), so Cov(β*) = σ̂²(LLᵀ)⁻¹ = σ̂²(XᵀX)⁻¹.
  const p = X.p, L = best.L, sigma = Math.sqrt(best.rss / (N - p));
  const R = options.draws ?? 100;
  const normal = gaussian(new Stream().reset(options.seed ?? 1, 0, 98));
  const b = new Float64Array(p);
  let s = 0, s2 = 0;
  for (let r = 0; r < R; r++) {
    for (let i = 0; i < p; i++) b[i] = normal();
    for (let i = p - 1; i >= 0; i--) {
      let v = b[i]!;
      for (let k = i + 1; k < p; k++) v -= L[k * p + i]! * b[k]!;
      b[i] = v / L[i * p + i]!;
    }
    for (let i = 0; i < p; i++) b[i] = beta[i]! + sigma * b[i]!;
    const e = evppiOf((t) => mean + scale * predict(X, b, t), N).evppi;
    (s += e), (s2 += e * e);
  }
  const regressionVar = R > 1 ? Math.max(0, (s2 - (s * s) / R) / (R - 1)) : 0;
  // The sample of φ: EVPPI is a mean over trials of max(g, 0) − 1{E > 0}·g.
  let tm = 0, tv = 0;
  for (let t = 0; t < N; t++) tm += (Math.max(fitted[t]!, 0) - (point.expected > 0 ? fitted[t]! : 0)) / N;
  for (let t = 0; t < N; t++) tv += (Math.max(fitted[t]!, 0) - (point.expected > 0 ? fitted[t]! : 0) - tm) ** 2;
  const standardError = Math.sqrt(regressionVar + tv / (N - 1) / N);
  return { evppi: point.evppi, standardError, expected: point.expected, probDecisionChanges: changes / N, fitted, knots: best.q };
}
