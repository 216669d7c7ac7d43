/**
 * A small picture of an uncertain input: the density its spec states, drawn from the spec's
 * closed form (no simulation), with the 90% range marked where the form gives it. The explorer
 * shows one beside each uncertain input (param-input.ts).
 *
 * Densities are drawn to shape only (scaled so the peak is 1): normal, lognormal, beta, PERT
 * (a beta on [min, max] with α = 1 + 4(mode − min)/(max − min)), triangular, uniform, and the
 * {p5, p95} range as models/random/sampler.ts reads it (lognormal when p5 > 0, else normal).
 */
import { Z90 } from "../models/constants.js";

export interface DensityCurve {
  /** Points from left to right; y scaled so the highest is 1. */
  x: number[];
  y: number[];
  /** The 90% range (5th and 95th percentiles) where the form gives it in closed form. */
  p5?: number;
  p95?: number;
}

const num = (x: unknown): number => (typeof x === "number" ? x : NaN);

/** The density a spec states, on `n` points; null for a fixed number or an unreadable spec. */
export function densityCurve(spec: unknown, n = 61): DensityCurve | null {
  if (spec === null || typeof spec !== "object") return null;
  const s = spec as Record<string, unknown>;
  const grid = (lo: number, hi: number, f: (x: number) => number, ends = true): DensityCurve | null => {
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) return null;
    const x: number[] = [], y: number[] = [];
    for (let i = 0; i < n; i++) {
      // Without the ends, a density infinite at an edge (a beta with α < 1) stays finite.
      const t = ends ? i / (n - 1) : (i + 0.5) / n;
      const xi = lo + t * (hi - lo);
      x.push(xi);
      y.push(Math.max(0, f(xi)));
    }
    const top = Math.max(...y.filter(Number.isFinite));
    if (!(top > 0)) return null;
    return { x, y: y.map((v) => (Number.isFinite(v) ? v / top : 1)) };
  };
  const normal = (m: number, sd: number) => {
    const c = grid(m - 3 * sd, m + 3 * sd, (x) => Math.exp(-0.5 * ((x - m) / sd) ** 2));
    return c && { ...c, p5: m - Z90 * sd, p95: m + Z90 * sd };
  };
  const lognormal = (mu: number, sigma: number) => {
    const c = grid(Math.exp(mu - 3 * sigma), Math.exp(mu + 3 * sigma), (x) => Math.exp(-0.5 * ((Math.log(x) - mu) / sigma) ** 2) / x);
    return c && { ...c, p5: Math.exp(mu - Z90 * sigma), p95: Math.exp(mu + Z90 * sigma) };
  };
  const betaShape = (a: number, b: number, lo: number, hi: number) =>
    grid(lo, hi, (x) => {
      const t = (x - lo) / (hi - lo);
      return t ** (a - 1) * (1 - t) ** (b - 1);
    }, a >= 1 && b >= 1);

  if (!("dist" in s) || s.dist === "range") {
    if ("value" in s) return null;
    const a = num(s.p5), b = num(s.p95);
    if (!(a < b)) return null;
    if (a > 0) return lognormal((Math.log(a) + Math.log(b)) / 2, (Math.log(b) - Math.log(a)) / (2 * Z90));
    return normal((a + b) / 2, (b - a) / (2 * Z90));
  }
  switch (s.dist) {
    case "normal":
      return num(s.sd) > 0 ? normal(num(s.mean), num(s.sd)) : null;
    case "lognormal":
      return num(s.sigma) > 0 ? lognormal(num(s.mu), num(s.sigma)) : null;
    case "beta":
      return num(s.alpha) > 0 && num(s.beta) > 0 ? betaShape(num(s.alpha), num(s.beta), 0, 1) : null;
    case "pert": {
      const lo = num(s.min), mode = num(s.mode), hi = num(s.max);
      if (!(lo < hi && lo <= mode && mode <= hi)) return null;
      return betaShape(1 + (4 * (mode - lo)) / (hi - lo), 1 + (4 * (hi - mode)) / (hi - lo), lo, hi);
    }
    case "triangular": {
      const lo = num(s.min), mode = num(s.mode), hi = num(s.max);
      if (!(lo < hi && lo <= mode && mode <= hi)) return null;
      return grid(lo, hi, (x) => (x < mode ? (x - lo) / (mode - lo) : mode === hi ? 1 : (hi - x) / (hi - mode)));
    }
    case "uniform": {
      const lo = num(s.min), hi = num(s.max);
      return grid(lo, hi, () => 1);
    }
  }
  return null;
}

const SVG = "http://www.w3.org/2000/svg";

/** The curve as a small SVG (width × height px), or an empty span for a fixed number. */
export function specSparkline(spec: unknown, options: { width?: number; height?: number; label?: string } = {}): Element {
  const curve = densityCurve(spec);
  if (!curve) return document.createElement("span");
  const w = options.width ?? 96, h = options.height ?? 22;
  const x0 = curve.x[0]!, x1 = curve.x[curve.x.length - 1]!;
  const px = (x: number) => ((x - x0) / (x1 - x0)) * (w - 2) + 1;
  const py = (y: number) => h - 1 - y * (h - 3);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("width", String(w));
  svg.setAttribute("height", String(h));
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("class", "spec-sparkline");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", options.label ?? "the distribution's shape");
  const points = curve.x.map((x, i) => `${px(x).toFixed(1)},${py(curve.y[i]!).toFixed(1)}`);
  const area = document.createElementNS(SVG, "path");
  area.setAttribute("d", `M${px(x0).toFixed(1)},${h - 1}L${points.join("L")}L${px(x1).toFixed(1)},${h - 1}Z`);
  area.setAttribute("fill", "steelblue");
  area.setAttribute("fill-opacity", "0.25");
  area.setAttribute("stroke", "steelblue");
  svg.append(area);
  for (const q of [curve.p5, curve.p95]) {
    if (q === undefined || q < x0 || q > x1) continue;
    const tick = document.createElementNS(SVG, "line");
    tick.setAttribute("x1", px(q).toFixed(1));
    tick.setAttribute("x2", px(q).toFixed(1));
    tick.setAttribute("y1", "2");
    tick.setAttribute("y2", String(h - 1));
    tick.setAttribute("stroke", "currentColor");
    tick.setAttribute("stroke-opacity", "0.5");
    tick.setAttribute("stroke-dasharray", "2,2");
    svg.append(tick);
  }
  return svg;
}
