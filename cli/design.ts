/** `utfall design`: the contract designer's front, as a table or one JSON object. */
import { formatMoney, formatNumber, formatPercent, localeOf } from "../models/format.js";
import { DESIGN_NEED_LABELS, DESIGN_NEED_UNITS, designNeedsSchema, type Candidate, type DesignNeeds, type DesignResult, type FreeTerm } from "../models/analysis/designer.js";
import { formatPath } from "../models/index.js";
import { DECIMAL } from "./numbers.js";
import { align } from "./table.js";

/** Rows of the front shown in the table. */
const MAX_ROWS = 12;


/** `--free contract.rules[savings].share=0:1` (any value between) or `…=0:1:11` (eleven values). */
export function parseFree(spec: string): FreeTerm | string {
  const m = /^(.+)=([^:]*):([^:]*)(?::([^:]*))?$/.exec(spec);
  const bad = (why: string) => `--free ${JSON.stringify(spec)}: ${why}; expected <path>=<min>:<max> or <path>=<min>:<max>:<steps>, e.g. contract.rules[savings].share=0.3:0.9`;
  if (!m) return bad("not in the form path=min:max");
  const [, path, a, b, k] = m as unknown as [string, string, string, string, string | undefined];
  for (const [name, text] of [["min", a], ["max", b]] as const) {
    if (!DECIMAL.test(text)) return bad(`${name} must be a decimal number such as 0.4, -2 or 1e6, got ${JSON.stringify(text)}`);
  }
  const min = Number(a), max = Number(b);
  if (!Number.isFinite(min) || !Number.isFinite(max)) return bad("min and max must be finite numbers");
  if (min > max) return bad("min must not be above max");
  if (k === undefined) return { path, min, max };
  if (!/^\d+$/.test(k) || Number(k) < 1 || Number(k) > 1001) return bad(`steps must be a whole number from 1 to 1001, got ${JSON.stringify(k)}`);
  if (Number(k) === 1 && min !== max) return bad("one step needs min = max");
  return { path, min, max, steps: Number(k) };
}

/** The needs file: the schema's problems, each with its path, or the needs. */
export function parseNeeds(json: unknown): DesignNeeds | string[] {
  const parsed = designNeedsSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  return parsed.error.issues.map((i) => `${formatPath(i.path as (string | number)[])}: ${i.message}`);
}

function needValue(id: keyof typeof DESIGN_NEED_UNITS, x: number, currency: string, locale: string): string {
  const unit = DESIGN_NEED_UNITS[id];
  return unit === "money" ? formatMoney(x, currency, locale) : formatPercent(x, locale);
}

export function renderDesign(r: DesignResult): string {
  const locale = localeOf(r.currency);
  const pct = (x: number | null) => formatPercent(x, locale);
  const money = (x: number | null) => formatMoney(x, r.currency, locale);
  const paths = r.free.map((f) => f.path);
  const header = [...paths, "payer net (mean)", "financier E[NPV]", "P(pay for nothing)", "IRR of E[flows]/yr", "P(loss)", "payer worst 5 %"];
  const line = (c: Candidate) => [
    ...paths.map((p) => formatNumber(c.terms[p]!, locale, 3)),
    money(c.figures.payer.meanNet),
    money(c.figures.financier.expectedNpv),
    pct(c.figures.payer.probPayForNothing),
    pct(c.figures.financier.irrOfExpectedFlows),
    pct(c.figures.financier.probLoss),
    money(c.figures.payerWorst5Net),
  ];
  const s = r.settings;
  const out = [
    `${r.scenario}: contract designer, ${formatNumber(r.trials, locale)} trials, seed ${r.seed}; amounts in ${r.currency}; every candidate evaluated on the same simulated outcomes`,
    `search: NSGA-II, population ${s.population}, ${s.generations} generations, search seed ${s.searchSeed}; ${formatNumber(r.evaluations.distinct, locale)} distinct contracts evaluated (${formatNumber(r.evaluations.proposed, locale)} proposed, ${formatNumber(r.evaluations.invalid, locale)} refused by the schema)`,
    "",
    "The scenario's own terms:",
    align([header, line(r.current)], 0, "  "),
    r.current.failing.length ? `  misses: ${r.current.failing.map((id) => DESIGN_NEED_LABELS[id]).join("; ")}` : "  meets every need",
    "",
  ];
  if (r.front.length) {
    // A long front is shown by up to MAX_ROWS contracts spread along it; --json has all.
    const shown = r.front.length <= MAX_ROWS ? r.front : Array.from({ length: MAX_ROWS }, (_, i) => r.front[Math.round((i * (r.front.length - 1)) / (MAX_ROWS - 1))]!);
    out.push(`${formatNumber(r.acceptable, locale)} contracts meet every need; ${formatNumber(r.front.length, locale)} are on the front (no other is better for the payer, the financier and the pay-for-nothing chance at once)${shown.length < r.front.length ? `; ${shown.length} of them, from the payer's best to the financier's best (all with --json)` : ", from the payer's best to the financier's best"}:`);
    out.push(align([header, ...shown.map(line)], 0, "  "));
  } else {
    out.push("No contract evaluated meets every need. The smallest change to one need, the others as stated, that would make one acceptable:");
    const rows = (r.relaxations ?? []).map((x) => [
      DESIGN_NEED_LABELS[x.need],
      needValue(x.need, x.stated, r.currency, locale),
      x.needed === null ? "not enough alone" : needValue(x.need, x.needed, r.currency, locale),
      x.terms ? paths.map((p) => `${p}=${formatNumber(x.terms![p]!, locale, 3)}`).join(", ") : "",
    ]);
    out.push(align([["need", "stated", "would need", "with the terms"], ...rows], 1, "  "));
    if (r.closest) {
      const c = r.closest;
      out.push("", "The contract closest to every need at once:", align([header, line(c.candidate)], 0, "  "));
      out.push(...c.misses.map((m, i) => `  ${i === 0 ? "binds hardest: " : "also misses: "}${DESIGN_NEED_LABELS[m.need]}, ${needValue(m.need, m.stated, r.currency, locale)} stated; it gives ${m.needed === null ? "no finite figure" : needValue(m.need, m.needed, r.currency, locale)}`));
    }
  }
  return out.join("\n");
}
