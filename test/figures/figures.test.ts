/**
 * The parameter tables (data/figures) and references to them from scenarios.
 * Witnesses: SCB's published KPI annual averages (1980 = 100, fastställda tal: 2020 335.92,
 * 2023 403.70) and SiS's published fee schedule for Jul–Dec 2020 (treatment ward, open 3 528
 * and lockable 5 400 SEK per day), typed here from those publications, not from our tables.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parseScenario, runScenario } from "../../models/index.js";
import { figureIndex, priceFactor, resolveFigureRef, resolveFigureRefs } from "../../models/figures/resolve.js";
import { readFigureTables, tablesModuleText, TABLES_MODULE } from "../../models/figures/writeTables.js";

const norrkoping = () => JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8"));

describe("parameter tables", () => {
  test("every table in data/figures is valid, each row with a source, and models/figures/tables.ts is current", () => {
    const tables = readFigureTables();
    expect(tables.map((t) => t.table)).toEqual(["discount-rate", "exclusion-cost", "kpi", "lending-rate", "placement-cost", "replacement", "school", "tax-wedge"]);
    for (const t of tables) for (const r of t.rows) expect(r.source.trim(), `${t.table}/${r.id}`).not.toBe("");
    // Regenerate with `npm run figures` when this fails.
    expect(readFileSync(TABLES_MODULE, "utf8")).toBe(tablesModuleText(tables));
  });

  test("the KPI rows are SCB's annual averages", () => {
    const kpi = (y: number) => figureIndex().rows.get(`kpi/${y}`)?.row.value;
    expect([kpi(2016), kpi(2020), kpi(2023)]).toEqual([316.43, 335.92, 403.7]); // SCB, fastställda tal, årsmedel
  });

  test("priceFactor(from, to) is KPI(to) / KPI(from), and names the years the table covers when one is missing", () => {
    expect(priceFactor(2020, 2023)).toBeCloseTo(403.7 / 335.92, 12);
    expect(priceFactor(2023, 2023)).toBe(1);
    expect(priceFactor(2020, 2031)).toBe("no KPI for 2031 (the index table covers 2010–2023)");
  });

  test("the lifetime cost of exclusion carries the upper-bound caveat", () => {
    const row = figureIndex().rows.get("exclusion-cost/gross-lifetime-nilsson-wadeskog")!;
    expect(row.row.note).toMatch(/UPPER BOUND/);
    expect(row.table.description).toMatch(/upper bound/);
  });
});

describe("resolveFigureRef(ref)", () => {
  test("a pair of rows is the 90 % range between their values, with both rows' source", () => {
    const r = resolveFigureRef({ ref: ["placement-cost/sis-treatment-open-2020", "placement-cost/sis-treatment-lockable-2020"] });
    expect(r.ok && r.spec).toMatchObject({ p5: 3528, p95: 5400 });
    expect(r.ok && r.spec.source).toMatch(/Statens institutionsstyrelse.*sis-treatment-open-2020.*sis-treatment-lockable-2020/);
  });

  test("a row with a range gives a range, or a uniform distribution with as: uniform", () => {
    expect(resolveFigureRef({ ref: "school/upper-secondary-by-20-placed" })).toMatchObject({ ok: true, spec: { p5: 0.37, p95: 0.38 } });
    expect(resolveFigureRef({ ref: "school/upper-secondary-by-20-placed", as: "uniform" })).toMatchObject({ ok: true, spec: { dist: "uniform", min: 0.37, max: 0.38 } });
  });

  test("priceYear brings a SEK figure to that year's prices: 5 400 kr in 2020 is 5 400 × 403.70 / 335.92 in 2023", () => {
    const r = resolveFigureRef({ ref: "placement-cost/sis-treatment-lockable-2020", priceYear: 2023 });
    expect(r.ok && "value" in r.spec && r.spec.value).toBeCloseTo((5400 * 403.7) / 335.92, 6); // ≈ 6 489.58
    expect(r.ok && r.spec.source).toMatch(/2023 prices by SCB's KPI.*2020 → 2023 ×1\.2018/);
  });

  test("a figure without a price basis (a share, or an unknown price year) cannot be price-adjusted", () => {
    expect(resolveFigureRef({ ref: "replacement/reentry-within-2y", priceYear: 2023 })).toEqual({
      ok: false,
      message: "replacement/reentry-within-2y has no price basis, so it cannot be brought to 2023 prices",
    });
  });
});

describe("references in scenarios", () => {
  test("resolve at parse time: a run is the same as with the figures copied by hand", () => {
    const byRef = parseScenario(norrkoping());
    const copied = norrkoping();
    copied.outcomes[0].states[1].costPerDay = { p5: 3528, p95: 5400, source: "SiS fees Jul–Dec 2020" };
    copied.valuation.discountRate = 0.035;
    const byHand = parseScenario(copied);
    if (!byRef.ok || !byHand.ok) throw new Error("both must parse");
    expect(byRef.scenario.outcomes[0]!.kind === "placement" && byRef.scenario.outcomes[0]!.states[1]!.costPerDay).toMatchObject({ p5: 3528, p95: 5400 });
    const a = runScenario(byRef.scenario, { trials: 1000, seed: 3 }).summary;
    const b = runScenario(byHand.scenario, { trials: 1000, seed: 3 }).summary;
    expect(a).toEqual(b);
  });

  test("an unknown row is a problem at the field's path, naming the row and the rows the table has", () => {
    const s = norrkoping();
    s.outcomes[0].states[1].costPerDay = { ref: "placement-cost/sis-lockable-2030" };
    const r = parseScenario(s);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.path).toBe("outcomes[0].states[1].costPerDay.ref");
    expect(r.problems[0]!.message).toMatch(/^unknown figure "placement-cost\/sis-lockable-2030"; placement-cost has sis-acute-2020, /);
  });

  test("a resolved figure is still checked against the field's range", () => {
    const s = norrkoping();
    s.valuation.discountRate = { ref: "kpi/2020" };
    const r = parseScenario(s);
    expect(!r.ok && r.problems).toEqual([{ path: "valuation.discountRate", message: "must be a number from -0.5 to 1, got 335.92" }]);
  });

  test("a malformed id says what form is allowed", () => {
    const s = norrkoping();
    s.valuation.discountRate = { ref: "asek" };
    const r = parseScenario(s);
    expect(!r.ok && r.problems[0]!.message).toMatch(/<table>\/<row>/);
  });

  test("resolveFigureRefs(json) replaces references for pages that show figures, and leaves a bad one for parse to report", () => {
    const s = norrkoping();
    s.valuation.discountRate = { ref: "discount-rate/nope" };
    const out = resolveFigureRefs(s) as ReturnType<typeof norrkoping>;
    expect(out.outcomes[0].states[1].costPerDay).toMatchObject({ p5: 3528, p95: 5400, source: expect.stringMatching(/^Statens institutionsstyrelse/) });
    expect(out.valuation.discountRate).toEqual({ ref: "discount-rate/nope" });
    expect(s.outcomes[0].states[1].costPerDay).toHaveProperty("ref"); // the input is not changed
  });
});
