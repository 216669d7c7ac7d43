/**
 * Framework data loader: runs every reference case's scenario through the engine at build time
 * (fixed trials and seed, offline) and writes what the reference-cases page and the start page's
 * gallery draw: the terms, the distribution of outcomes and returns, and where each published
 * result falls in it. Output is cached by Framework; delete src/.observablehq/cache to refresh.
 */
import { readFileSync } from "node:fs";
import { bin, extent } from "d3-array";
import { caseMetric, rankOf, type CaseMetric } from "../../models/analysis/referenceCase.js";
import { resolveFigureRefs } from "../../models/figures/resolve.js";
import { dist, parseScenario, runScenario } from "../../models/index.js";
import { sourcedFigures } from "../components/sources.js";

const TRIALS = 10_000;
const SEED = 1;
const BINS = 40;

const dataFile = (path: string) => JSON.parse(readFileSync(new URL(`../../data/${path}`, import.meta.url), "utf8"));

interface Actual {
  label: string;
  metric: CaseMetric;
  value: number;
  /** "value": the published figure itself; "atMost": the result was this or worse (e.g. no savings). */
  side: "value" | "atMost";
  published: string;
  source: string;
  caveat?: string;
}

/** A histogram of a column's finite values: shares of trials per bin, the bins spanning the value too. */
function histogram(column: Float64Array, include: number) {
  const finite = Array.from(column).filter(Number.isFinite);
  // Trim the extreme 0.5 % on each side so one outlier does not squash the picture.
  const sorted = Float64Array.from(finite).sort();
  const lo = sorted[Math.floor(0.005 * (sorted.length - 1))]!, hi = sorted[Math.ceil(0.995 * (sorted.length - 1))]!;
  const [a, b] = extent([lo, hi, include]) as [number, number];
  const width = (b - a) / BINS || 1;
  const thresholds = Array.from({ length: BINS - 1 }, (_, i) => a + (i + 1) * width);
  const bins = bin().domain([a, b]).thresholds(thresholds)(finite.map((x) => Math.min(Math.max(x, a), b)));
  // Shares of the trials that have a value, as the page's "share of n" says.
  return bins.map((g) => ({ x0: g.x0!, x1: g.x1!, share: g.length / finite.length }));
}

const index = dataFile("reference-cases.json");
const cases = index.cases.map((c: { id: string; scenario: string; family: string; teaches: string; actuals: Actual[] }) => {
  // Table references resolved once: what is parsed, listed and opened in the explorer.
  const raw = resolveFigureRefs(dataFile(`scenarios/${c.scenario}`)) as Record<string, unknown>;
  const parsed = parseScenario(raw);
  if (!parsed.ok) throw new Error(`${c.scenario}: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  const run = runScenario(parsed.scenario, { trials: TRIALS, seed: SEED });
  const s = run.summary;
  const figures = sourcedFigures(raw);
  return {
    id: c.id,
    file: c.scenario,
    name: parsed.scenario.name,
    description: parsed.scenario.description ?? "",
    currency: parsed.scenario.currency,
    family: c.family,
    teaches: c.teaches,
    scenario: raw,
    terms: figures
      .filter((f) => f.section === "contract" || f.section === "population" || f.path.startsWith("measurement"))
      .filter((f) => f.figure)
      .map((f) => ({ term: f.name || f.path, figure: f.figure, kind: f.kind })),
    capital: parsed.scenario.contract.capital,
    summary: {
      probLoss: s.investor.probLoss,
      probTotalLoss: s.investor.probTotalLoss,
      irr: s.investor.irr,
      multiple: s.investor.multiple,
      payments: s.payer.payments,
      avoidedCosts: s.payer.avoidedCosts,
      probAnyPayment: s.contract.probAnyPayment,
      probPayForNothing: s.contract.probPayForNothing,
      probMissedSuccess: s.contract.probMissedSuccess,
      chanceBenefitsExceedCosts: s.society.chanceBenefitsExceedCosts,
    },
    multipleBins: histogram(run.results.multiple, 1),
    actuals: c.actuals.map((a) => {
      const column = caseMetric(run, a.metric);
      return { ...a, dist: dist(column), rank: rankOf(column, a.value), bins: histogram(column, a.value) };
    }),
  };
});

process.stdout.write(JSON.stringify({ trials: TRIALS, seed: SEED, description: index.description, cases }));
