// Politikerunderlag: the Swedish briefing. Its downloads are read back as Swedish Excel reads
// them and compared with the numbers the page shows and with the CLI's file; its print is A4.
import {execFileSync} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync} from "node:fs";
import {mkdir, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, expect, test} from "vitest";
import {cli} from "../helpers/cli.ts";
import {readAsExcel} from "../helpers/excel.ts";
import {ROOT, SCREENSHOTS, startSite, type OpenedPage, type Site, plainSpaces} from "./harness.ts";

let site: Site;
let p: OpenedPage;
const tmp = mkdtempSync(join(tmpdir(), "utfall-politiker-"));

beforeAll(async () => {
  site = await startSite({shared: true});
  p = await site.openPage("/politiker");
  await p.page.waitForSelector("#most", {timeout: 60_000});
});

afterAll(async () => {
  await p?.close();
  await site?.close();
});

async function download(name: string): Promise<string> {
  const [file] = await Promise.all([p.page.waitForEvent("download"), p.page.click(`[data-export="${name}"]`)]);
  const path = join(tmp, file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

test("renders in Swedish without errors, external requests or NaN", async () => {
  await p.screenshot("politiker");
  expect(p.errors).toEqual([]);
  expect(p.externalRequests).toEqual([]);
  const text = plainSpaces(await p.page.locator("main").innerText());
  expect(text).not.toMatch(/\bNaN\b|undefined/);
  expect(text).toContain("Risk för att kommunen betalar utan att barnen fått det bättre");
  // Norrköping's total cap is 120 % of the capital lent (RISE/SKR final report), about 7.5 MSEK
  // of the 10 MSEK committed (socialeinvesteringer.nu): 9,0 mnkr (the page writes every amount in millions, as mnkr).
  expect(plainSpaces(await p.page.locator("#most").innerText())).toBe("9,0 mnkr");
  expect(text).toContain("högst 9,0 mnkr");
  // The money-flow diagram shows the capital drawn beside the commitment.
  expect(plainSpaces(await p.page.locator("figure.print-block svg").first().textContent() ?? "")).toContain("7,5 mnkr, år 1–2, samma i alla utfall(av högst 10,0 mnkr");
  expect(await p.page.locator("figure svg, svg[class^=plot]").count()).toBeGreaterThanOrEqual(4);
});

test("the summary CSV, read as Swedish Excel reads it, holds the numbers the page shows", async () => {
  const file = await download("summary-csv");
  expect(file).toMatch(/norrkoping-2016-sammanfattning\.csv$/);
  const {utf8, rows} = readAsExcel(readFileSync(file, "utf8"), "sv-SE");
  expect(utf8).toBe(true);
  const get = (figure: string, column: number) => rows.find((r) => r[0] === figure)![column] as number;
  expect(rows.find((r) => r[0] === "scenario")![2]).toBe("Norrköping 2016");
  // Written out here with toFixed, not with the page's formatter.
  const millions = (x: number) => `${(x / 1e6).toFixed(1).replace(".", ",")} mnkr`;
  const percent = (x: number) => `${Math.round(x * 100)} %`;
  expect(plainSpaces(await p.page.locator("#typical").innerText())).toBe(millions(get("payer.payments", 6)));
  expect(plainSpaces(await p.page.locator("#saves").innerText())).toBe(percent(1 - get("payer.probNetCost", 2)));
  expect(plainSpaces(await p.page.locator("#pay-for-nothing").innerText())).toBe(percent(get("contract.probPayForNothing", 2)));
  expect(get("payer.maxPayments", 2)).toBeLessThanOrEqual(9_000_000);
});

test("the per-trial CSV downloaded from the page holds the CLI's --out numbers", async () => {
  const file = await download("trials-csv");
  const cliFile = join(tmp, "cli.csv");
  // The CLI's `main` in-process (test/helpers/cli.ts): the same code bin/utfall.js runs.
  const run = await cli("run", "data/scenarios/norrkoping-2016.json", "--trials", "10000", "--seed", "1", "--out", cliFile);
  expect(run.status, run.stderr).toBe(0);
  const page = readAsExcel(readFileSync(file, "utf8"), "sv-SE").rows;
  const node = readAsExcel(readFileSync(cliFile, "utf8"), "sv-SE").rows;
  expect(page).toHaveLength(10_001);
  expect(page[0]).toEqual(node[0]);
  // Not byte for byte: Chromium's V8 and Node 20's differ in the last bits of some Math
  // functions, measured here at up to 9e-13 relative (in payerNet, a difference of two sums)
  // in about 14 % of trials. Every 0/1 flag and every threshold decision is the same. A
  // figure near zero that is a difference of sums of millions (an NPV of 1 000 kr from flows of
  // 7.5 MSEK) keeps those last bits as an absolute error of about 1e-8 kr: hence the floor of
  // a millionth of a krona.
  // Every cell is compared; the ones that differ are collected and shown together (one expect
  // per cell made this loop of 10,000 × columns the test's main cost).
  const differ: string[] = [];
  for (let i = 1; i < node.length; i++) {
    node[i]!.forEach((v, k) => {
      const w = page[i]![k];
      if (typeof v !== "number" || typeof w !== "number") {
        if (!Object.is(w, v)) differ.push(`${node[0]![k]} in trial ${i}: page ${w}, CLI ${v}`);
        return;
      }
      const money = /payments|avoided|payerNet|profit|Npv|guarantee|society/i.test(String(node[0]![k]));
      if (!(Math.abs(w - v) <= Math.max(money ? 1e-6 : 1e-11, 1e-11 * Math.abs(v)))) differ.push(`${node[0]![k]} in trial ${i}: page ${w}, CLI ${v}`);
    });
  }
  expect(differ.slice(0, 20), `${differ.length} cells differ`).toEqual([]);
});

test("the scenario file is the scenario, and the link reproduces the view", async () => {
  const scenario = JSON.parse(readFileSync(await download("scenario"), "utf8"));
  expect(scenario).toEqual(JSON.parse(readFileSync(join(ROOT, "data/scenarios/norrkoping-2016.json"), "utf8")));
  const href = await p.page.locator(".export-link").getAttribute("href");
  expect(href).toMatch(/\/politiker#s=[\w-]+$/);
  const again = await site.openPage(href!.replace(site.baseUrl, ""));
  try {
    await again.page.waitForSelector("#most", {timeout: 60_000});
    for (const id of ["#most", "#typical", "#saves", "#pay-for-nothing"]) {
      expect(await again.page.locator(id).innerText()).toBe(await p.page.locator(id).innerText());
    }
  } finally {
    await again.close();
  }
});

test("prints as whole A4 pages without navigation or controls", async () => {
  await p.page.emulateMedia({media: "print"});
  try {
    for (const hidden of ["#observablehq-sidebar", ".export-bar", "#observablehq-footer"]) {
      expect(await p.page.locator(hidden).first().isVisible(), hidden).toBe(false);
    }
    const pdf = await p.page.pdf({format: "A4", preferCSSPageSize: true, printBackground: true});
    await mkdir(SCREENSHOTS, {recursive: true});
    const out = join(SCREENSHOTS, "politiker.pdf");
    await writeFile(out, pdf);
    const text = pdf.toString("latin1");
    const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const pages = text.match(/\/Type\s*\/Page\b/g)?.length ?? 0;
    // A4 is 210 × 297 mm = 595 × 842 points (ISO 216).
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(6);
    for (const [w, h] of boxes) {
      expect(w).toBeCloseTo(595, -1);
      expect(h).toBeCloseTo(842, -1);
    }
    // For looking at: test/screenshots/politiker-N.png, when poppler's pdftoppm is installed.
    if (existsSync("/usr/bin/pdftoppm")) execFileSync("pdftoppm", ["-png", "-r", "70", out, join(SCREENSHOTS, "politiker")]);
  } finally {
    await p.page.emulateMedia({media: "screen"});
  }
});

// That the payer's, financier's and society's pages offer the same summary file as this page is
// checked in pages.test.ts, which loads each of them anyway.

test("Att göra det själva: one table and one chart, the summary CSV's self-funding figures in mnkr", async () => {
  const file = await download("summary-csv");
  const {rows} = readAsExcel(readFileSync(file, "utf8"), "sv-SE");
  const get = (figure: string, column: number) => rows.find((r) => r[0] === figure)![column] as number;
  const millions = (x: number) => `${x < 0 ? "−" : ""}${(Math.abs(x) / 1e6).toFixed(1).replace(".", ",")} mnkr`;
  const cells = p.page.locator("table.self-funding tbody tr");
  expect(await cells.count()).toBe(4);
  const cell = async (row: number, col: number) => plainSpaces(await cells.nth(row).locator("td").nth(col).innerText());
  // Columns: the contract, doing it ourselves, the difference. CSV columns: 3 = mean, 4 = p5, 2 = value.
  expect(await cell(0, 1)).toBe(millions(get("payer.selfFunding.contract.costPV", 3)));
  expect(await cell(0, 2)).toBe(millions(get("payer.selfFunding.selfFunded.costPV", 3)));
  expect(await cell(2, 1)).toBe(millions(get("payer.selfFunding.contract.netPV", 4)));
  expect(await cell(3, 2)).toBe(millions(get("payer.selfFunding.selfFunded.netPVWorst5Mean", 2)));
  const premium = get("payer.selfFunding.premium", 2);
  const text = plainSpaces(await p.page.locator("#att-gora-det-sjalva").innerText());
  expect(text).toContain(premium > 0 ? `${millions(premium)} mer` : `${millions(-premium)} billigare`);
  expect(await p.page.locator("figure:has(g[aria-label=bar]) g[aria-label=dot]").count()).toBe(1);
  expect(plainSpaces(await p.page.locator("main").innerText())).toMatch(/Beloppen i detta avsnitt är nuvärden: framtida belopp är omräknade till dagens värde med 3,5 procent om året/);
});
