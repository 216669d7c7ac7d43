/**
 * The payment annex (models/export/annex.ts): the workbook's formulas, read back from the XLSX
 * file and evaluated by HyperFormula (an independent formula engine, not our code), give every
 * rule's payment and the total that evaluateContract gives, to the krona, for 1,000 simulated
 * trials of each reference scenario (their rule families: activity, savings share, a return
 * above "repaid" on a condition, proportional with a pooled offset, rate cards, stepped bands).
 */
import { readFileSync, readdirSync } from "node:fs";
import ExcelJS from "exceljs";
import { HyperFormula } from "hyperformula";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { annexLayout, annexXlsx, AnnexUnsupported } from "../../models/export/annex.js";
import { annexText } from "../../models/export/annexText.js";
import { cohortValue, compile, evaluateContract, parseScenario, simulateOutcomes } from "../../models/index.js";
import { resolveFigureRefs } from "../../models/figures/resolve.js";

// Each trial is checked exactly (to half a unit of money), so the count buys coverage, not precision:
// 400 trials still have every rule paying in some and not all of them (asserted below).
const TRIALS = 400;

/** The workbook's cells as HyperFormula reads them: numbers, text, and "=formula". */
async function sheetsOf(bytes: Uint8Array): Promise<Record<string, (string | number | null)[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: Record<string, (string | number | null)[][]> = {};
  wb.eachSheet((ws) => {
    const rows: (string | number | null)[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, r) => {
      const cells: (string | number | null)[] = [];
      row.eachCell({ includeEmpty: true }, (cell, k) => {
        const v = cell.value as unknown;
        cells[k - 1] = v === null || v === undefined ? null : typeof v === "object" && v !== null && "formula" in v ? `=${(v as { formula: string }).formula}` : (v as string | number);
      });
      rows[r - 1] = Array.from(cells, (c) => c ?? null);
    });
    out[ws.name] = Array.from(rows, (r) => r ?? []);
  });
  return out;
}

function address(hf: HyperFormula, a: string) {
  const [sheet, cell] = a.replace(/\$/g, "").split("!") as [string, string];
  const m = /^([A-Z]+)(\d+)$/.exec(cell)!;
  const col = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return { sheet: hf.getSheetId(sheet)!, col, row: Number(m[2]) - 1 };
}

const files = readdirSync("data/scenarios").filter((f) => f.endsWith(".json"));

describe("the payment annex, evaluated by HyperFormula", () => {
  it.each(files)("pays as the engine does on %s, 400 trials, to the krona", async (file) => {
    const parsed = parseScenario(resolveFigureRefs(JSON.parse(readFileSync(`data/scenarios/${file}`, "utf8"))));
    if (!parsed.ok) throw new Error(file);
    const model = compile(parsed.scenario);
    const table = simulateOutcomes(model, { trials: TRIALS, seed: 1 });
    const results = evaluateContract(model, table);
    const layout = annexLayout(model);
    const hf = HyperFormula.buildFromSheets(await sheetsOf(await annexXlsx(layout, parsed.scenario.name)), { licenseKey: "gpl-v3" });
    const R = parsed.scenario.contract.rules.length;
    let paidTrials = 0, worst = 0;
    const paidByRule = new Int32Array(R);
    // Every trial's every rule is compared; those that differ are collected and asserted once
    // (an expect per cell was a large part of the file's time).
    const differ: string[] = [];
    // The cells' addresses, parsed once.
    const delivered = address(hf, layout.delivered);
    const measured = layout.measured.map((m) => ({ ...m, treatedCell: address(hf, m.treated), comparatorCell: address(hf, m.comparator) }));
    const ruleCells = layout.ruleTotals.map((a) => address(hf, a));
    const totalCell = address(hf, layout.total);
    for (let t = 0; t < TRIALS; t++) {
      hf.batch(() => {
        hf.setCellContents(delivered, [[table.delivered[t]!]]);
        for (const m of measured) {
          hf.setCellContents(m.treatedCell, [[cohortValue(table.treated, table, t, m.cohort, m.measure)]]);
          hf.setCellContents(m.comparatorCell, [[cohortValue(table.comparator, table, t, m.cohort, m.measure)]]);
        }
      });
      for (let k = 0; k < R; k++) {
        const got = hf.getCellValue(ruleCells[k]!);
        const want = results.paymentsByRule[t * R + k]!;
        if (want > 0) paidByRule[k]!++;
        if (typeof got !== "number" || !(Math.abs(got - want) < 0.5)) differ.push(`trial ${t} rule ${k}: workbook ${String(got)}, engine ${want}`);
        else worst = Math.max(worst, Math.abs(got - want));
      }
      const total = hf.getCellValue(totalCell);
      if (typeof total !== "number" || !(Math.abs(total - results.payments[t]!) < 0.5)) differ.push(`trial ${t} total: workbook ${String(total)}, engine ${results.payments[t]}`);
      if (results.payments[t]! > 0) paidTrials++;
    }
    expect(differ.slice(0, 20), `${file}: ${differ.length} cells differ`).toEqual([]);
    // The check is not vacuous: every rule paid in some trials, and some paid in some trials only.
    expect(paidTrials).toBeGreaterThan(0);
    // (Measured on seed 1 at 1,000 trials: each rule of every scenario pays in 221–1,000 of them; the
    // largest difference from the engine is 0.0005 of a unit of money.)
    for (let k = 0; k < R; k++) expect(paidByRule[k], `rule ${k} never pays`).toBeGreaterThan(0);
    expect(Array.from(paidByRule).some((n) => n < TRIALS)).toBe(true);
    hf.destroy();
  });

  it("refuses early termination, naming the field", () => {
    const raw = resolveFigureRefs(JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8"))) as { contract: Record<string, unknown> };
    raw.contract.termination = { chancePerPeriod: 0.01, fromPeriod: 2, settlement: 0 };
    const parsed = parseScenario(raw);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(() => annexLayout(compile(parsed.scenario))).toThrow(AnnexUnsupported);
  });
});

describe("the payment annex in words", () => {
  const load = (file: string) => {
    const parsed = parseScenario(resolveFigureRefs(JSON.parse(readFileSync(`data/scenarios/${file}`, "utf8"))));
    if (!parsed.ok) throw new Error(file);
    return compile(parsed.scenario);
  };

  it("states Norrköping's published terms in Swedish, as the contract does (README: 40 % of 7.5 MSEK as activity compensation, savings shared to break-even, a return of at most 20 %, 9 MSEK in all)", () => {
    const text = annexText(load("norrkoping-2016.json"), undefined, "sv").replace(/[\u00a0\u202f]/g, " "); // Intl writes no-break spaces
    // 0.4 × 7 500 000 = 3 000 000; 0.6 × 7 500 000 = 4 500 000; 0.2 × 7 500 000 = 1 500 000; 1.2 × 7 500 000 = 9 000 000.
    for (const amount of ["3 000 000 kr", "högst 4 500 000 kr", "högst 1 500 000 kr", "högst 9 000 000 kr", "tillbaka 7 500 000 kr"]) expect(text).toContain(amount);
    expect(text).toContain("60 % av förbättringen");
  });

  it("states Peterborough's thresholds (10 % in one cohort, 7.5 % over all cohorts) and the pooled rule's offset in English", () => {
    const text = annexText(load("peterborough-2010.json"), undefined, "en");
    expect(text).toContain("at least 10%");
    expect(text).toContain("at least 7.5%");
    expect(text).toMatch(/less what “[^”]+” paid before it/);
  });
});

describe("utfall annex", () => {


  it("writes the workbook and both texts, and prints the Swedish one for a SEK scenario", async () => {
    const { mkdtempSync, existsSync } = await import("node:fs");
    const dir = mkdtempSync("/tmp/utfall-annex-");
    const r = await cli("annex", "data/scenarios/norrkoping-2016.json", "--out", `${dir}/annex.xlsx`);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("# Betalningsbilaga: Norrköping 2016");
    for (const f of ["annex.xlsx", "annex.sv.md", "annex.en.md"]) expect(existsSync(`${dir}/${f}`)).toBe(true);
  });

  it.each([
    [[], /annex: give --out annex\.xlsx/],
    [["--out", "/tmp/a.csv"], /ending in \.xlsx/],
    [["--out", "/nonexistent-dir/a.xlsx"], /no directory/],
    [["--out", "/tmp/a.xlsx", "--lang", "de"], /--lang: must be sv or en/],
    [["--out", "/tmp/a.xlsx", "--trials", "5"], /annex takes only --out and --lang/],
  ])("refuses %j with exit 2", async (args, message) => {
    const r = await cli("annex", "data/scenarios/norrkoping-2016.json", ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
