/**
 * The payment annex: a contract's payment formula laid out as a workbook an independent assessor
 * can use. The assessor types what was measured (whether the work was delivered, and each
 * cohort's measured value and comparator value of every measure the rules use) and the formulas
 * compute each payment, cap and total exactly as `evaluateContract` (models/contract/evaluate.ts)
 * does: the same rules, in the same order of payment, with the same tie tolerance, caps, offsets
 * and total cap. The amounts given as shares of capital are written out in money, as the engine
 * resolves them (models/contract/rules.ts `compileRule`).
 *
 * The layout is plain data (sheets of cells, a formula being `{ formula }` in the spreadsheet
 * syntax without "="), written to XLSX by `annexXlsx` with ExcelJS; tests evaluate the written
 * file's formulas with an independent formula engine.
 *
 * Not laid out (refused with AnnexUnsupported, naming the field): early termination (whether
 * and when it happened would be another input and a settlement row), and the mixes of rules for
 * which `above: "repaid"` has no closed form in the engine (more than one savings share on the
 * same measure before it, offsets among the rules before it, or another "repaid" rule before it).
 */
import { paymentEvents, resolveMoney, type Model } from "../compile.js";
import { MONEY_EPSILON, RELATIVE_TIE_TOLERANCE } from "../constants.js";
import { compileRule, type CompiledRule } from "../contract/rules.js";
import { capitalBasis } from "../contract/waterfall.js";
import type { Scenario } from "../scenario/schema.js";
import { measureNames } from "./annexText.js";

export type SheetCell = string | number | { readonly formula: string } | null;

export interface AnnexSheet {
  readonly name: string;
  readonly rows: SheetCell[][];
  /** Column widths in characters. */
  readonly widths: readonly number[];
  /** Rows (1-based) that are headings. */
  readonly headings: readonly number[];
  /** Cells the assessor fills in, e.g. "B5". */
  readonly inputCells: readonly string[];
}

/** Where each input and output is, as sheet-qualified addresses ("Inputs!B5"). */
export interface AnnexLayout {
  readonly sheets: readonly AnnexSheet[];
  readonly delivered: string;
  /** One per cohort and measure the rules use: the treated cohort's measured value and the comparator's. */
  readonly measured: readonly { readonly cohort: number; readonly measure: number; readonly treated: string; readonly comparator: string }[];
  /** Each rule's total payment, by rule index. */
  readonly ruleTotals: readonly string[];
  readonly total: string;
}

/** A contract the annex cannot lay out: the field and why. */
export class AnnexUnsupported extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/**
 * Stands in for an infinite saving or improvement: no payment is ever due beyond it. 10^100, in
 * plain digits: formula engines read exponent notation differently (HyperFormula reads "1e300"
 * as 9.999999999999999e299 and refuses "1E300"), plain digits the same everywhere.
 */
const BIG = "1" + "0".repeat(100);

/** A number as a formula literal in plain decimal digits that read back as the same double. */
export function lit(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`annex: not a finite term ${x}`);
  const s = String(x);
  if (!s.includes("e")) return s;
  if (Math.abs(x) >= 1) return BigInt(x).toString(); // ≥ 1e21: an integer
  for (let digits = 1; digits <= 100; digits++) {
    const t = x.toFixed(digits);
    if (Number(t) === x) return t;
  }
  return x.toFixed(100);
}

function column(k: number): string {
  let s = "";
  for (k++; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** Formula expressions for one application of a rule, given the expressions of its inputs. */
interface Refs {
  /** The group's measured value of the rule's measure, and the comparator's. */
  readonly treated: string;
  readonly reference: string;
  readonly conditionTreated: string;
  readonly conditionReference: string;
  readonly delivered: string;
}

const improvementExpr = (t: string, r: string, higherIsBetter: boolean) => (higherIsBetter ? `(${t}-${r})` : `(${r}-${t})`);

/** relativeImprovement (rules.ts): the improvement over |reference|; ±BIG against a reference of 0. */
function relativeExpr(t: string, r: string, higherIsBetter: boolean): string {
  const imp = improvementExpr(t, r, higherIsBetter);
  return `IF(${r}=0,IF(${imp}>0,${BIG},IF(${imp}<0,-${BIG},0)),${imp}/ABS(${r}))`;
}

/** reaches (rules.ts): rel ≥ threshold, a tie within the tolerance counting as reached. */
const reachesExpr = (rel: string, threshold: number) => `${rel}>=${lit(threshold - RELATIVE_TIE_TOLERANCE * Math.max(1, Math.abs(threshold)))}`;
/** exceeds (rules.ts): rel > threshold by more than a tie. */
const exceedsExpr = (rel: string, threshold: number) => `${rel}>${lit(threshold + RELATIVE_TIE_TOLERANCE * Math.max(1, Math.abs(threshold)))}`;

/** 1 when the rule's condition holds (or it has none), else 0. */
function conditionExpr(r: CompiledRule, refs: Refs): string {
  if (r.conditionMeasure < 0) return "1";
  return `IF(${exceedsExpr(relativeExpr(refs.conditionTreated, refs.conditionReference, r.conditionHigherIsBetter), r.conditionMin)},1,0)`;
}

/**
 * What the rule's family pays before its cap and condition (ruleAmount's switch), with `above`
 * the saving beyond which a share pays; `imp` and `rel` name cells that hold the improvement
 * and the relative improvement, where there are such cells.
 */
function familyExpr(r: CompiledRule, refs: Refs, above: string, cells: { imp: string; rel: string } | null = null): string {
  const rule = r.rule;
  const imp = cells?.imp ?? improvementExpr(refs.treated, refs.reference, r.higherIsBetter);
  const relOf = () => cells?.rel ?? relativeExpr(refs.treated, refs.reference, r.higherIsBetter);
  switch (rule.kind) {
    case "activity":
      return `IF(${refs.delivered}=1,${lit(r.amount)},0)`;
    case "savingsShare":
    case "conditionalReturn":
      return `${lit(rule.share)}*MAX(${imp}-${above},0)`;
    case "proportional": {
      const rel = relOf();
      const paid = rule.basis === "all" ? imp : `${imp}-${lit(rule.threshold)}*ABS(${refs.reference})`;
      return `IF(AND(${reachesExpr(rel, rule.threshold)},${imp}>0),${lit(rule.pricePerUnit)}*MAX(${paid},0),0)`;
    }
    case "rateCard":
      return `${lit(rule.pricePerOutcome)}*${rule.basis === "all" && r.higherIsBetter ? refs.treated : `MAX(${imp},0)`}`;
    case "stepped": {
      const rel = relOf();
      // The last band reached, in the order written, sets the amount (as ruleAmount's loop).
      let expr = "0";
      for (const band of r.bands) expr = `IF(${reachesExpr(rel, band.from)},${lit(band.amount)},${expr})`;
      return expr;
    }
  }
}

/** ruleAmount (rules.ts): the condition, the family, the rule's own cap. */
function amountExpr(r: CompiledRule, refs: Refs, above: string): string {
  const raw = `IF(${conditionExpr(r, refs)}=1,${familyExpr(r, refs, above)},0)`;
  return Number.isFinite(r.cap) ? `MIN(${raw},${lit(r.cap)})` : raw;
}

/**
 * repaidSaving (rules.ts) in the closed form the engine uses for these rules (`linearRepaid`):
 * the saving S* at which the earlier rules, paid together, reach the capital this group repays.
 * `actual` is the group's measured improvement; `refsOf(e)` the input expressions for rule e.
 */
function repaidExpr(r: CompiledRule, earlier: readonly CompiledRule[], actual: string, refs: Refs, refsOf: (e: CompiledRule) => Refs, path: string): string {
  const m = r.measure;
  const fixed: string[] = [];
  let sharing: CompiledRule | null = null;
  for (const e of earlier) {
    const why = (what: string) => new AnnexUnsupported(path, `"above": "repaid" after ${what} has no closed form; the annex cannot lay it out`);
    if (e.offsetBy.length) throw why(`a rule with offsetBy (${e.rule.id})`);
    if (e.measure === m || e.conditionMeasure === m) {
      const shares = (e.rule.kind === "savingsShare" || e.rule.kind === "conditionalReturn") && Number.isFinite(e.above);
      if (!shares || e.conditionMeasure === m) throw why(`a ${e.rule.kind} rule on the same measure (${e.rule.id})`);
      if (sharing) throw why(`two savings shares on the same measure (${sharing.rule.id}, ${e.rule.id})`);
      sharing = e;
    } else fixed.push(`MAX(${amountExpr(e, refsOf(e), "0")},0)`);
  }
  const fixedSum = fixed.length ? fixed.join("+") : "0";
  const need = lit(r.capitalShare - MONEY_EPSILON);
  const g = (saving: string) => {
    if (!sharing) return `(${fixedSum})`;
    const share = (sharing.rule as { share: number }).share;
    const h = conditionExpr(sharing, refsOf(sharing));
    const cap = Number.isFinite(sharing.cap) ? lit(sharing.cap) : BIG;
    return `(${fixedSum}+${h}*MIN(${cap},${lit(share)}*MAX(${saving}-${lit(sharing.above)},0)))`;
  };
  const linear = sharing ? `${lit(sharing.above)}+(${need}-(${fixedSum}))/${lit((sharing.rule as { share: number }).share)}` : BIG;
  return `IF(${actual}<=0,${BIG},IF(${conditionExpr(r, refs)}=0,${BIG},IF(${g(actual)}<${need},${BIG},IF(${g("0")}>=${need},0,${linear}))))`;
}

export interface AnnexOptions {
  /** Labels of the measures (default their ids). */
  readonly measureLabels?: Readonly<Record<string, string>>;
}

/** Lays out the contract's payment formula for the model's cohorts. */
export function annexLayout(model: Model, contract: Scenario["contract"] = model.scenario.contract, options: AnnexOptions = {}): AnnexLayout {
  if (contract.termination) throw new AnnexUnsupported("contract.termination", "early termination is not laid out in the annex (when it happened would be another input)");
  const capital = capitalBasis(contract, model.cohortSizes, model.cohortStarts);
  const sizes = model.cohortSizes, C = sizes.length, N = sizes.reduce((a, b) => a + b, 0);
  const compiled = contract.rules.map((r, i) => [
    compileRule(r, i, contract.rules, capital, model.measures),
    ...Array.from(sizes, (n) => compileRule(r, i, contract.rules, capital, model.measures, N > 0 ? n / N : 1)),
  ]);
  const totalCap = contract.totalCap === undefined ? Infinity : resolveMoney(contract.totalCap, capital);
  const names = options.measureLabels ?? measureNames(model.scenario, "en");
  const label = (measure: number) => {
    const id = model.measures[measure]!.id;
    return names[id] ?? id;
  };

  // Inputs: delivery, then each cohort's measured and comparator value of each measure used.
  const used = [...new Set(compiled.flatMap((g) => [g[0]!.measure, g[0]!.conditionMeasure]).filter((m) => m >= 0))].sort((a, b) => a - b);
  const inputs: SheetCell[][] = [
    ["What was measured: type the assessed figures in column B"],
    ["Every payment on the Payments sheet follows from these cells. Money in the scenario's currency, in the units the contract measures."],
    ["Input", "Value", "What to type"],
    ["Delivered as planned", 1, "1 if the work was delivered as the contract planned, 0 if not"],
  ];
  const inputCells = ["B4"];
  const measured: { cohort: number; measure: number; treated: string; comparator: string }[] = [];
  for (let c = 0; c < C; c++) {
    for (const m of used) {
      const row = inputs.length + 1;
      inputs.push([`Cohort ${c + 1} (${sizes[c]} participants): ${label(m)}, measured`, 0, "the cohort's measured value over its measurement window"]);
      inputs.push([`Cohort ${c + 1} (${sizes[c]} participants): ${label(m)}, comparator`, 0, "what the contract measures it against (the baseline or comparison group, scaled to the cohort)"]);
      inputCells.push(`B${row}`, `B${row + 1}`);
      measured.push({ cohort: c, measure: m, treated: `Inputs!B${row}`, comparator: `Inputs!B${row + 1}` });
    }
  }
  const delivered = "Inputs!$B$4";
  const cell = (c: number, m: number, which: "treated" | "comparator") => {
    const x = measured.find((e) => e.cohort === c && e.measure === m)!;
    return which === "treated" ? x.treated : x.comparator;
  };
  /** A group's value: one cohort's cell, or the sum over cohorts for a pooled rule (cohort −1). */
  const groupValue = (group: number, m: number, which: "treated" | "comparator") =>
    m < 0 ? "0" : group >= 0 ? cell(group, m, which) : `(${Array.from({ length: C }, (_, c) => cell(c, m, which)).join("+")})`;
  const refsFor = (r: CompiledRule, group: number): Refs => ({
    treated: groupValue(group, r.measure, "treated"),
    reference: groupValue(group, r.measure, "comparator"),
    conditionTreated: groupValue(group, r.conditionMeasure, "treated"),
    conditionReference: groupValue(group, r.conditionMeasure, "comparator"),
    delivered,
  });

  // Payments: one row per application of a rule, in the order the engine pays them.
  const heads = [
    "Rule",
    "Group",
    "Period paid",
    "Measured",
    "Comparator",
    "Improvement",
    "Relative improvement",
    "Condition met (1/0)",
    "Saving beyond which it pays",
    "Before the rule's cap",
    "After the rule's cap",
    "Offsets (paid before by the rules it names)",
    "After offsets",
    "Within the total cap",
    "Payment",
  ];
  const payments: SheetCell[][] = [
    ["Payments: each application of each rule, in the order they fall due"],
    [
      `Total cap ${Number.isFinite(totalCap) ? lit(totalCap) : "none"}; payments below ${MONEY_EPSILON} count as none; a relative improvement within ${RELATIVE_TIE_TOLERANCE} of a threshold counts as reaching it.`,
    ],
    heads,
  ];
  const events = paymentEvents(contract.rules, model.cohortStarts, model.followUp);
  const first = payments.length + 1;
  const rowsOfRule: number[][] = contract.rules.map(() => []);
  const eventOf: { rule: number; cohort: number; row: number }[] = [];
  events.forEach((ev, k) => {
    const row = first + k;
    const r = compiled[ev.rule]![ev.cohort + 1]!;
    const refs = refsFor(r, ev.cohort);
    const path = `contract.rules[${ev.rule}]`;
    const has = r.measure >= 0;
    const F = `F${row}`;
    let above: SheetCell = null;
    if (r.rule.kind === "savingsShare" || r.rule.kind === "conditionalReturn") {
      if (Number.isNaN(r.above)) {
        const earlier = compiled.slice(0, ev.rule).map((x) => x[ev.cohort + 1]!);
        for (const e of earlier) if (Number.isNaN(e.above)) throw new AnnexUnsupported(path, `"above": "repaid" after another "repaid" rule (${e.rule.id}) has no closed form; the annex cannot lay it out`);
        above = { formula: repaidExpr(r, earlier, F, refs, (e) => refsFor(e, ev.cohort), path) };
      } else above = r.above;
    }
    const rowRefs: Refs = { treated: `D${row}`, reference: `E${row}`, conditionTreated: refs.conditionTreated, conditionReference: refs.conditionReference, delivered };
    const raw = `IF(H${row}=1,${familyExpr(r, rowRefs, `I${row}`, has ? { imp: `F${row}`, rel: `G${row}` } : null)},0)`;
    // Offsets: what the named rules paid before this row, for the same cohort (all groups for a pooled rule).
    const offsetRows = r.offsetBy.flatMap((o) => eventOf.filter((e) => e.rule === o && (ev.cohort < 0 || e.cohort === ev.cohort)).map((e) => `O${e.row}`));
    const paidBefore = k === 0 ? "0" : `SUM(O${first}:O${row - 1})`;
    payments.push([
      r.rule.id ?? `rule ${ev.rule + 1}`,
      ev.cohort < 0 ? "all cohorts" : `cohort ${ev.cohort + 1}`,
      ev.period,
      has ? { formula: refs.treated } : null,
      has ? { formula: refs.reference } : null,
      has ? { formula: improvementExpr(`D${row}`, `E${row}`, r.higherIsBetter) } : null,
      has ? { formula: relativeExpr(`D${row}`, `E${row}`, r.higherIsBetter) } : null,
      { formula: conditionExpr(r, refs) },
      above,
      { formula: raw },
      { formula: Number.isFinite(r.cap) ? `MIN(J${row},${lit(r.cap)})` : `J${row}` },
      { formula: offsetRows.length ? offsetRows.join("+") : "0" },
      { formula: `K${row}-L${row}` },
      { formula: Number.isFinite(totalCap) ? `MIN(M${row},${lit(totalCap)}-${paidBefore})` : `M${row}` },
      { formula: `IF(N${row}>${lit(MONEY_EPSILON)},N${row},0)` },
    ]);
    rowsOfRule[ev.rule]!.push(row);
    eventOf.push({ rule: ev.rule, cohort: ev.cohort, row });
  });
  const last = first + events.length - 1;
  payments.push([]);
  const totalsFrom = payments.length + 1;
  payments.push(["Totals by rule"]);
  const ruleTotals = contract.rules.map((rule, i) => {
    const row = payments.length + 1;
    const rows = rowsOfRule[i]!;
    payments.push([rule.id ?? `rule ${i + 1}`, rule.label ?? rule.kind, null, null, null, null, null, null, null, null, null, null, null, null, { formula: rows.length ? rows.map((r) => `O${r}`).join("+") : "0" }]);
    return `Payments!O${row}`;
  });
  const totalRow = payments.length + 1;
  payments.push(["Total", null, null, null, null, null, null, null, null, null, null, null, null, null, { formula: events.length ? `SUM(O${first}:O${last})` : "0" }]);

  const terms: SheetCell[][] = [
    ["Terms as the engine resolves them"],
    ["Shares of capital are written out in money: capital basis " + lit(capital) + (contract.ofCapitalMeans === "plannedDraw" ? " (the planned draw)" : " (the capital committed)") + "."],
    ["Rule", "Kind", "Applied to", "Share", "Cap", "Amount", "Capital this group repays"],
    ...contract.rules.flatMap((rule, i) =>
      compiled[i]!.slice(rule.scope === "pooled" ? 0 : 1, rule.scope === "pooled" ? 1 : undefined).map((r, g): SheetCell[] => [
        rule.id ?? `rule ${i + 1}`,
        rule.kind,
        rule.scope === "pooled" ? "all cohorts" : `cohort ${g + 1}`,
        "share" in rule ? rule.share : null,
        Number.isFinite(r.cap) ? r.cap : "none",
        rule.kind === "activity" ? r.amount : null,
        r.capitalShare,
      ]),
    ),
    [],
    ["Total cap", Number.isFinite(totalCap) ? totalCap : "none"],
  ];

  return {
    sheets: [
      { name: "Inputs", rows: inputs, widths: [60, 16, 80], headings: [1, 3], inputCells },
      { name: "Payments", rows: payments, widths: [14, 12, 10, ...Array(12).fill(16)], headings: [1, 3, totalsFrom], inputCells: [] },
      { name: "Terms", rows: terms, widths: [14, 18, 14, 10, 16, 16, 20], headings: [1, 3], inputCells: [] },
    ],
    delivered: "Inputs!B4",
    measured,
    ruleTotals,
    total: `Payments!O${totalRow}`,
  };
}

/** The annex as an XLSX file (ExcelJS): input cells shaded, headings bold, formulas as laid out. */
export async function annexXlsx(layout: AnnexLayout, title: string): Promise<Uint8Array> {
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.creator = "utfall";
  wb.title = title;
  for (const sheet of layout.sheets) {
    const ws = wb.addWorksheet(sheet.name);
    sheet.widths.forEach((w, k) => (ws.getColumn(k + 1).width = w));
    sheet.rows.forEach((cells, r) => {
      cells.forEach((v, k) => {
        if (v === null) return;
        const c = ws.getCell(`${column(k)}${r + 1}`);
        c.value = typeof v === "object" ? { formula: v.formula } : v;
      });
      if (sheet.headings.includes(r + 1)) ws.getRow(r + 1).font = { bold: true };
    });
    for (const a of sheet.inputCells) ws.getCell(a).fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } };
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
