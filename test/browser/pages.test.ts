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
// - on the parties' pages and the briefing (issue 13 items 12 and 14): the skip link first, every
//   chart an image with a text alternative, no serious or critical axe-core finding, no sideways
//   scrolling at 390 px (readers.test.ts checks what readers see on other scenarios and links);
// - screenshots at 1280 and 390 px of the explorer, Negotiation, Follow-up, the parties' pages
//   and the briefing (test/screenshots/, issue 13).
// A page used to be opened once here and again in a file of its own for its conventions; the
// Negotiation page's built-in sweep alone took a minute under load each time.
import {mkdtempSync, readFileSync} from "node:fs";
import {mkdir} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test, type ExpectStatic} from "vitest";
import type {Page} from "playwright-core";
import {ROOT, SCREENSHOTS, configuredPages, plainSpaces, startSite, type Site} from "./harness.ts";

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
  "/financier": ["table.cases", "#expected-npv"],
  "/payer": ["table.cases"],
  "/politiker": ["#most"],
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

const axe = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
/** The pages checked for accessibility, and their language. */
const ACCESSIBLE: Record<string, string> = {"/financier": "en", "/payer": "en", "/society": "en", "/politiker": "sv"};

/**
 * Accessibility (issue 13 item 14), on the page's one load: the skip link is the first focus and
 * moves it to the content, every chart is an image with a text alternative, axe-core finds
 * nothing serious or critical. Playwright emulates focus in each page, so this runs beside the
 * other pages' loads.
 */
async function expectAccessible(page: Page, path: string, lang: string, expect: ExpectStatic): Promise<void> {
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => ({cls: document.activeElement?.className, text: document.activeElement?.textContent}));
  expect(first.cls).toBe("skip-link");
  expect(first.text).toBe(lang === "sv" ? "Hoppa till innehållet" : "Skip to main content");
  const hash = await page.evaluate(() => location.hash);
  await page.keyboard.press("Enter");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("observablehq-main");
  expect(await page.evaluate(() => location.hash)).toBe(hash);
  // Charts: every SVG of the main content wider than an icon.
  const charts = await page.evaluate(() =>
    [...document.querySelectorAll("#observablehq-main svg")]
      .filter((s) => s.getBoundingClientRect().width >= 60)
      .map((s) => ({role: s.getAttribute("role"), label: s.getAttribute("aria-label") ?? ""}))
  );
  expect(charts.length).toBeGreaterThanOrEqual(1);
  for (const c of charts) {
    expect(c.role).toBe("img");
    expect(c.label.length).toBeGreaterThan(10);
  }
  await page.evaluate(axe);
  const found: {id: string; impact: string; nodes: number; help: string}[] = await page.evaluate(async () => {
    // @ts-expect-error axe is the global the injected script defines
    const r = await window.axe.run(document, {resultTypes: ["violations"]});
    return r.violations.map((v: {id: string; impact: string; nodes: unknown[]; help: string}) => ({id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help}));
  });
  console.log(path, found.map((v) => `${v.impact} ${v.id} (${v.nodes}): ${v.help}`));
  expect(found.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  // The focus ring the skip link left on the content stays out of the screenshots that follow.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/**
 * Narrow screens (issue 13 item 12), after `shoot` has left the page at 390 px: no sideways
 * scrolling once the page has redrawn its charts to the new width (as Framework's resize does),
 * and the briefing's flow diagram as a list at the page's text size.
 */
async function expectNarrow(page: Page, path: string, expect: ExpectStatic): Promise<void> {
  const over = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await expect.poll(over, {message: `${path} scrolls sideways at 390 px`, timeout: 60_000}).toBeLessThanOrEqual(0);
  if (path === "/politiker") {
    // Not an SVG scaled to 5 px.
    expect(await page.locator("ol.flow-list li").count()).toBeGreaterThanOrEqual(4);
    const size = await page.locator("ol.flow-list li").first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    expect(size).toBeGreaterThanOrEqual(12);
  }
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
      // Before the download below, whose click would take the keyboard's focus.
      if (ACCESSIBLE[path]) await expectAccessible(p.page, path, ACCESSIBLE[path]!, expect);
      if (ACCESSIBLE[path] || ["/explorer", "/negotiation", "/follow-up"].includes(path)) await shoot(p.page, path.slice(1));
      if (ACCESSIBLE[path]) await expectNarrow(p.page, path, expect);
      if (["/politiker", "/payer", "/financier", "/society"].includes(path)) {
        await p.page.waitForSelector('[data-export="summary-csv"]', {timeout: 60_000});
        const [file] = await Promise.all([p.page.waitForEvent("download"), p.page.click('[data-export="summary-csv"]')]);
        const saved = join(tmp, `${path.slice(1)}.csv`);
        await file.saveAs(saved);
        summaries.set(path, readFileSync(saved, "utf8"));
      }
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
