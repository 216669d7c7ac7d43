// Every page listed in observablehq.config.ts, loaded once from the built site on its built-in
// scenario, and every check that needs a whole page read from that one load:
// - it renders cleanly: no page error, no request to another host, no Framework error block, no
//   NaN, the page's language;
// - one formatter per page language (issue 13 item 9): no English page shows a decimal comma in a
//   figure or "mnkr", and our own percentages are written "95%"; the Swedish page
//   (Politikerunderlag) shows no "MSEK" and no decimal point;
// - the Financier's page's base, upside and downside beside the Monte Carlo's means (issue 13
//   item 16), the break-even table's measure names on Negotiation (issue 13 item 8), the start
//   page's headline cards;
// - the pages that offer the summary download all offer the same file;
// - screenshots at 1280 and 390 px of the explorer, Negotiation and Follow-up (test/screenshots/,
//   issue 13; readers.test.ts shoots the parties' pages and the briefing).
// A page used to be opened once here and again in a file of its own for its conventions; the
// Negotiation page's built-in sweep alone took a minute under load each time.
import {mkdtempSync, readFileSync} from "node:fs";
import {mkdir} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test, type ExpectStatic} from "vitest";
import type {Page} from "playwright-core";
import {SCREENSHOTS, configuredPages, plainSpaces, startSite, type Site} from "./harness.ts";

const pages = await configuredPages();
let site: Site;
const tmp = mkdtempSync(join(tmpdir(), "utfall-pages-"));
/** The summary CSV each page offers, by path (each page runs the default scenario, trials and seed). */
const summaries = new Map<string, string>();

beforeAll(async () => {
  site = await startSite({shared: true});
});

afterAll(async () => {
  await site?.close();
});

// A decimal comma between digits, not a thousands separator ("1,234" groups; "7,1" and "12,35" do not).
const DECIMAL_COMMA = /\d,\d{1,2}(?!\d)/g;
const DECIMAL_POINT = /\d\.\d/g;
const around = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => text.slice(Math.max(0, m.index! - 30), m.index! + 30));

/** What each page computes after it has settled, waited for before its text is read. */
const READY: Record<string, string[]> = {
  "/financier": ["table.cases"],
  "/payer": ["table.cases"],
  "/explorer": [".explorer-figures"],
  "/negotiation": ["#break-even-table", "#design-table", "#tornado", "#who-wins", "#evppi", "#compare-table"],
  "/follow-up": ["#forecast"],
  "/reference-cases": [".reference-terms"]
};
/** Pages whose own figures must write "95%", never "95 %" (a space before % only in text quoted from the scenario files). */
const NO_SPACED_PERCENT = new Set(["/negotiation", "/follow-up"]);

async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, {recursive: true});
  for (const width of [1280, 390]) {
    await page.setViewportSize({width, height: 900});
    await page.waitForTimeout(500);
    await page.screenshot({path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true});
  }
}

/** Each figure in the page's language's conventions (models/format.ts, formatsFor). */
async function expectConventions(page: Page, path: string, expect: ExpectStatic): Promise<void> {
  const text = plainSpaces(await page.locator("main").innerText());
  if (path === "/politiker") {
    expect(around(text, DECIMAL_POINT)).toEqual([]);
    expect(around(text, /MSEK/g)).toEqual([]);
    expect(text).toMatch(/\d,\d mnkr/);
    return;
  }
  expect(around(text, DECIMAL_COMMA)).toEqual([]);
  expect(around(text, /mnkr|miljoner kr/g)).toEqual([]);
  if (NO_SPACED_PERCENT.has(path)) expect(around(text, /\d %/g)).toEqual([]);
  if (path === "/explorer") expect(around(plainSpaces(await page.locator(".explorer-results").innerText()), /\d %/g)).toEqual([]);
  if (path !== "/methods") expect(text).toMatch(/\d\.\d{1,2} MSEK/);
}

/** The Financier's page: base, upside and downside beside the Monte Carlo's means. */
async function expectCases(page: Page, expect: ExpectStatic): Promise<void> {
  const rows = page.locator("table.cases tbody tr");
  expect(await rows.count()).toBe(4);
  const names = await rows.locator("td:first-child b").allInnerTexts();
  expect(names).toEqual(["Downside", "Base", "Upside", "Monte Carlo"]);
  // The financier's NPV (4th column) is ordered downside ≤ base ≤ upside: the cases are defined by its sign.
  const npv = async (i: number) => Number(plainSpaces(await rows.nth(i).locator("td").nth(3).innerText()).replace(/[^\d.−-]/g, "").replace("−", "-"));
  expect(await npv(0)).toBeLessThanOrEqual(await npv(1));
  expect(await npv(1)).toBeLessThanOrEqual(await npv(2));
}

/** Negotiation: the break-even table names the measure, not its id. */
async function expectMeasureNames(page: Page, expect: ExpectStatic): Promise<void> {
  // Norrköping's break-even measure is placement.cost; measureLabel writes "Placement: cost" (the outcome's label, data/scenarios/norrkoping-2016.json).
  const measures = await page.locator("#break-even-table tbody td:nth-child(2)").allInnerTexts();
  expect(measures.length).toBe(2);
  for (const m of measures) expect(m).not.toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  expect(measures).toContain("Placement: cost");
}

/** The start page's four headline cards, filled in once the worker's result arrives. */
async function expectHeadlines(page: Page, expect: ExpectStatic): Promise<void> {
  await expect.poll(() => page.locator(".card .big").count(), {timeout: 90_000}).toBe(4);
  const text = await page.locator(".grid").innerText();
  expect(text).toMatch(/Financier loses money\s+\d+%/); // English conventions: "55%"
  expect(text).toMatch(/MSEK/); // English conventions on an English page
  expect(text).not.toMatch(/mnkr|\d,\d(?!\d\d)/);
  expect(text).not.toMatch(/NaN|undefined/);
}

// The pages load independently, a few at a time (the browser project's maxConcurrency); the last
// test, which compares what they saved, runs after all of them.
describe.concurrent.each(pages)("page %s", {timeout: 900_000}, (path) => {
  test("renders cleanly, in its language's conventions, with its screenshots", async ({expect}) => {
    const p = await site.openPage(path, {settleTimeoutMs: 300_000});
    try {
      // Plot renders <svg class="plot-xxxx">, or a <figure> wrapping one when it has a legend/title.
      // Charts fed by workers appear after the page has settled, so wait for the first one.
      await expect.poll(() => p.page.locator('svg[class^="plot"], figure svg').count(), {message: "Plot charts", timeout: 120_000}).toBeGreaterThan(0);
      for (const selector of READY[path] ?? []) await p.page.locator(selector).first().waitFor({timeout: 900_000});
      if (path === "/") await expectHeadlines(p.page, expect);
      await p.screenshot();
      expect(p.errors, "console/page errors").toEqual([]);
      expect(p.externalRequests, "requests to hosts other than 127.0.0.1").toEqual([]);
      expect(await p.page.locator(".observablehq--error").count(), "Framework error blocks").toBe(0);
      expect(await p.page.locator("body").innerText()).not.toMatch(/\bNaN\b/);
      // The page's language, for screen readers and hyphenation: Swedish for the briefing, else English.
      expect(await p.page.evaluate(() => document.documentElement.lang)).toBe(path === "/politiker" ? "sv" : "en");
      await expectConventions(p.page, path, expect);
      if (path === "/financier") await expectCases(p.page, expect);
      if (path === "/negotiation") await expectMeasureNames(p.page, expect);
      if (["/politiker", "/payer", "/financier", "/society"].includes(path)) {
        await p.page.waitForSelector('[data-export="summary-csv"]', {timeout: 60_000});
        const [file] = await Promise.all([p.page.waitForEvent("download"), p.page.click('[data-export="summary-csv"]')]);
        const saved = join(tmp, `${path.slice(1)}.csv`);
        await file.saveAs(saved);
        summaries.set(path, readFileSync(saved, "utf8"));
      }
      // The party pages and the briefing are shot at both widths by readers.test.ts's accessibility tests.
      if (["/explorer", "/negotiation", "/follow-up"].includes(path)) await shoot(p.page, path.slice(1));
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });
});

// Checked here, on the pages loaded above, rather than by loading them again (politiker.test.ts
// reads the briefing's own summary file against the numbers it shows).
test("the payer's, financier's and society's pages offer the same summary file as the briefing (/politiker)", () => {
  expect([...summaries.keys()].sort()).toEqual(["/financier", "/payer", "/politiker", "/society"]);
  const ours = summaries.get("/politiker")!;
  expect(ours.trim().split("\n").length).toBeGreaterThan(10); // a summary, one figure a row
  for (const path of ["/payer", "/financier", "/society"]) expect(summaries.get(path) === ours, path).toBe(true);
});
