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
 * additive model beyond; the number of knots is chosen by generalized cross-validation. The
 * standard error of the whole estimate is a bootstrap over trials (refitting each time), which
 * carries both the regression's error and the finite sample of φ.
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
  /** Bootstrap replicates for the standard error; default 100. */
  readonly bootstrap?: number;
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

/** Least squares on the rows `rows` (with repeats): coefficients, by Cholesky with a tiny ridge for collinear columns. */
function fit(X: Design, y: Float64Array, rows: Int32Array | null, N: number): Float64Array | null {
  const { p, width, cols, vals } = X;
  const A = new Float64Array(p * p), z = new Float64Array(p);
  for (let i = 0; i < N; i++) {
    const t = rows ? rows[i]! : i, at = t * width, yt = y[t]!;
    for (let a = 0; a < width; a++) {
      const ca = cols[at + a]!, va = vals[at + a]!;
      z[ca] += va * yt;
      for (let c = 0; c < width; c++) A[ca * p + cols[at + c]!] += va * vals[at + c]!;
    }
  }
  let trace = 0;
  for (let i = 0; i < p; i++) trace += A[i * p + i]!;
  const ridge = (1e-9 * trace) / p;
  for (let i = 0; i < p; i++) A[i * p + i] += ridge;
  // Cholesky A = LLᵀ in place (lower triangle).
  for (let j = 0; j < p; j++) {
    let s = A[j * p + j]!;
    for (let k = 0; k < j; k++) s -= A[j * p + k]! ** 2;
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
  return z;
}

function predict(X: Design, beta: Float64Array, t: number): number {
  let s = 0;
  for (let a = 0; a < X.width; a++) s += X.vals[t * X.width + a]! * beta[X.cols[t * X.width + a]!]!;
  return s;
}

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
  let best: { X: Design; beta: Float64Array; q: number; gcv: number } | null = null;
  for (const q of options.knotChoices ?? [0, 1, 2, 3, 5, 8]) {
    const X = design(u, q);
    if (X.p > N / 10) continue;
    const beta = fit(X, y, null, N);
    if (!beta) continue;
    let rss = 0;
    for (let t = 0; t < N; t++) rss += (y[t]! - predict(X, beta, t)) ** 2;
    const gcv = (N * rss) / (N - X.p) ** 2;
    if (!best || gcv < best.gcv) best = { X, beta, q, gcv };
  }
  if (!best) throw new Error(`evppiByRegression: too few trials (${N}) for ${inputs.length} inputs`);
  const { X, beta } = best;
  const fitted = Float64Array.from({ length: N }, (_, t) => mean + scale * predict(X, beta, t));
  const point = evppiOf((t) => fitted[t]!, N);
  let changes = 0;
  for (let t = 0; t < N; t++) if (fitted[t]! > 0 !== point.expected > 0) changes++;

  const R = options.bootstrap ?? 100;
  const rng = new Stream().reset(options.seed ?? 1, 0, 98);
  const rows = new Int32Array(N);
  let s = 0, s2 = 0, n = 0;
  for (let r = 0; r < R; r++) {
    for (let i = 0; i < N; i++) rows[i] = Math.floor(rng.next() * N);
    const b = fit(X, y, rows, N);
    if (!b) continue;
    const e = evppiOf((i) => mean + scale * predict(X, b, rows[i]!), N).evppi;
    (s += e), (s2 += e * e), n++;
  }
  const standardError = n > 1 ? Math.sqrt(Math.max(0, (s2 - (s * s) / n) / (n - 1))) : NaN;
  return { evppi: point.evppi, standardError, expected: point.expected, probDecisionChanges: changes / N, fitted, knots: best.q };
}
