// The parties' pages (financier, payer, society) and the methods page: what each must show once
// the worker's run is back, and that a link's state (#s=…) decides which scenario they show.
import {readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {DIST, ROOT, startSite, type OpenedPage, type Site, textOf} from "./harness.ts";

let site: Site;
beforeAll(async () => {
  site = await startSite({shared: true});
});
afterAll(async () => {
  await site?.close();
});

// A percentage as the pages print it: "64 %" (Swedish) or "4.6%" (English).
const PERCENT = /\d+(?:[.,]\d)?\s?%/;
// Pages are done when the progress bar has gone and the headline cards are filled in.
const settled = (p: {page: import("playwright-core").Page}) =>
  expect.poll(() => p.page.locator(".progress progress").count(), {timeout: 60_000}).toBe(0);

/**
 * One settled page for all the tests of a describe block: they only read it (each load is a
 * 10,000-trial run in Chromium), and its errors keep being recorded while it is open, so a test
 * still sees an error any earlier one caused.
 */
function sharedPage(path: string): () => OpenedPage {
  let p: OpenedPage | undefined;
  beforeAll(async () => {
    p = await site.openPage(path);
    // settled(p), outside a test (expect.poll works only inside one).
    await p.page.waitForFunction(() => document.querySelectorAll(".progress progress").length === 0, null, {timeout: 60_000});
  });
  afterAll(async () => {
    await p?.close();
  });
  return () => p!;
}

describe("financier's view", () => {
  const financier = sharedPage("/financier");
  test("shows the chance of loss and of total loss as percentages, and the IRR histogram marks total losses", async () => {
    const p = financier();
    await expect.poll(() => p.page.locator("#prob-loss").innerText(), {timeout: 60_000}).toMatch(PERCENT);
    const cards = await textOf(p, ".grid >> nth=0");
    expect(cards).toMatch(new RegExp(`Chance of losing money\\s+${PERCENT.source}`));
    expect(cards).toMatch(new RegExp(`Chance of losing everything\\s+${PERCENT.source}`));
    expect(cards).toMatch(/Value at risk \(95%\)\s+[\d.,]+ MSEK/);
    // The decision figures (issue 10 §2): expected NPV at the hurdle and the IRR of the expected flows.
    expect(cards).toMatch(/Expected NPV at 5\.0% \(mean\)\s+−?[\d.,]+ MSEK/);
    expect(cards).toMatch(new RegExp(`IRR of the expected cash flows\\s+−?${PERCENT.source}`));
    expect(cards).toMatch(new RegExp(`Chance of missing the hurdle\\s+${PERCENT.source}`));
    expect(cards).toMatch(/Expected shortfall \(95%\)\s+[\d.,]+ MSEK/);
    expect(cards).not.toMatch(/mean over trials/);
    const text = await textOf(p);
    expect(text).toMatch(/spike of total losses/);
    expect(text).toContain("Total loss (−100%)"); // English conventions
    // Histograms of IRR and multiple, a fan of cash flows and the cumulative position.
    expect(await p.page.locator("main figure svg, main svg[class^=plot]").count()).toBeGreaterThanOrEqual(4);
    // The cash waterfall of a typical and a bad trial: Norrköping draws 7.5 of its 10 MSEK.
    const waterfall = await textOf(p, "table.waterfall");
    expect(waterfall).toMatch(/Financier → contract: capital drawn\s+7\.5 MSEK\s+7\.5 MSEK/);
    expect(waterfall).toContain("of 10.0 MSEK committed");
    expect(text).not.toMatch(/\bNaN\b|undefined/);
    expect(p.errors).toEqual([]);
    await p.screenshot("financier");
  });
  test("splits the financier's risk into the cohort's chance and ignorance: two shares that add to one, with their error", async () => {
    const p = financier();
    await p.page.locator(".risk-split .risk-split-row").first().waitFor({timeout: 120_000});
    const card = await textOf(p, ".risk-split");
    const m = card.match(/Financier's NPV\s*chance (\d+) ?%\s*ignorance (\d+) ?%\s*± (\d+) ?%/);
    expect(m, card).not.toBeNull();
    expect(Number(m![1]) + Number(m![2])).toBeGreaterThanOrEqual(99); // rounded shares of one whole
    expect(Number(m![1]) + Number(m![2])).toBeLessThanOrEqual(101);
    expect(card).toMatch(/500 draws of the parameters × 20 cohorts each/);
    expect(await textOf(p)).toMatch(/children's lives|a pilot, or the payer's own data/);
    expect(p.errors).toEqual([]);
  });
});

describe("payer's view", () => {
  const payer = sharedPage("/payer");
  test("splits the payer's risk into chance and ignorance and says what that means for a pilot or a bigger cohort", async () => {
    const p = payer();
    await p.page.locator(".risk-split .risk-split-row").first().waitFor({timeout: 120_000});
    const card = await textOf(p, ".risk-split");
    expect(card).toMatch(/Payer's net present value\s*chance \d+ ?%\s*ignorance \d+ ?%\s*± \d+ ?%/);
    expect(await textOf(p)).toMatch(/For the municipality, \d+ ?% \(± \d+ ?%\) of the spread of its net is (ignorance|the cohort's chance)/);
    expect(p.errors).toEqual([]);
  });

  test("draws payments, avoided costs and net by budget year as fan charts with two bands each", async () => {
    const p = payer();
    await expect.poll(() => p.page.locator("#pay-for-nothing").innerText(), {timeout: 60_000}).toMatch(PERCENT);
    // Each fan chart has two area marks (the 5–95 % and 25–75 % bands), each with a path.
    const fans = p.page.locator("figure:has(g[aria-label=area])");
    expect(await fans.count()).toBe(3);
    for (let i = 0; i < 3; i++) expect(await fans.nth(i).locator("g[aria-label=area] path").count()).toBe(2);
    const text = await textOf(p);
    expect(text).toMatch(/Worst case under the caps\s+[\d.,]+ MSEK/);
    // 120 % of the 7.5 MSEK lent (data/scenarios/norrkoping-2016.json: ofCapitalMeans).
    expect(text).toMatch(/the total cap is 9\.0 MSEK/);
    expect(text).toMatch(new RegExp(`Pays more than it avoids\\s+${PERCENT.source}`));
    // Doing it ourselves: one table (four rows, both alternatives and their difference) and one chart.
    const sf = p.page.locator("table.self-funding tbody tr");
    expect(await sf.count()).toBe(4);
    expect((await sf.nth(3).innerText()).replace(/[\u00a0\u202f]/g, " ")).toMatch(/mean of the worst 5 ?%[\s\S]*−[\d.,]+ MSEK[\s\S]*−[\d.,]+ MSEK[\s\S]*[\d.,]+ MSEK/);
    expect(await textOf(p, "#self-funding-premium")).toMatch(/The contract costs the payer [\d.,]+ MSEK (less|more) in expectation than doing it itself/);
    expect(await p.page.locator("figure:has(g[aria-label=bar]) g[aria-label=dot]").count()).toBe(1);
    expect(text).not.toMatch(/\bNaN\b|undefined/);
    expect(p.errors).toEqual([]);
    await p.screenshot("payer");
  });
});

describe("society's view", () => {
  test("reports benefits, costs and net present value per perspective, and the chance benefits exceed costs", async () => {
    const p = await site.openPage("/society");
    try {
      await settled(p);
      await expect.poll(() => p.page.locator("#chance-benefits").innerText(), {timeout: 60_000}).toMatch(PERCENT);
      const rows = p.page.locator("table.perspectives tbody tr");
      expect(await rows.count()).toBe(6);
      const table = await textOf(p, "table.perspectives");
      for (const who of ["Participants", "Taxpayers", "of which the outcome payer", "of which other public budgets", "Others", "Society as a whole"]) expect(table).toContain(who);
      // Society's row: resource gains, costs, no net transfers, NPV in MSEK (English conventions), its range and a chance.
      expect((await rows.nth(5).innerText()).replace(/[\u00a0\u202f]/g, " ")).toMatch(/MSEK[\s\S]*MSEK[\s\S]*0\.0 MSEK[\s\S]*MSEK[\s\S]*MSEK to [\s\S]*%/);
      // The table adds up, at the stated rate: participants + taxpayers + others = society.
      const millions = async (i: number, col: number) => Number((await rows.nth(i).locator("td").nth(col).innerText()).replace(/[^\d.−-]/g, "").replace("−", "-"));
      const sum = (await millions(0, 4)) + (await millions(1, 4)) + (await millions(4, 4));
      expect(Math.abs(sum - (await millions(5, 4)))).toBeLessThanOrEqual(0.15); // three roundings to 0.1 MSEK
      expect(await textOf(p)).toMatch(/every figure is a present value at 3\.5% a year/);
      // The histogram of society's NPV has a rule at zero.
      expect(await p.page.locator("figure g[aria-label=rule]").count()).toBeGreaterThan(0);
      expect(await textOf(p)).not.toMatch(/\bNaN\b|undefined/);
      expect(p.errors).toEqual([]);
      await p.screenshot("society");
    } finally {
      await p.close();
    }
  });
});

describe("methods and sources", () => {
  test("lists every sourced figure of both reference scenarios, with their sources", async () => {
    const p = await site.openPage("/methods");
    try {
      const text = await textOf(p);
      for (const s of ["Vinnerljung", "ASEK", "Riksrevisionen", "Goulet", "Statens institutionsstyrelse", "Green Book", "Social Finance"]) expect(text).toContain(s);
      expect(text).toContain("between SEK 2,000 and SEK 4,500 a day (90% range)"); // an English page: English conventions for kronor
      expect(text).toContain("p′ab = 1 − (1 − pab)RR");
      // Every `source` in the Norrköping file appears as a row (JSON paths are shown).
      const norrkoping = JSON.parse(readFileSync(join(ROOT, "data/scenarios/norrkoping-2016.json"), "utf8"));
      for (const path of sourcedPaths(norrkoping)) expect(text, path).toContain(path);
      expect(text).toContain("Peterborough 2010");
      expect(text).not.toMatch(/\bNaN\b|undefined/);
      expect(p.errors).toEqual([]);
      await p.screenshot("methods");
    } finally {
      await p.close();
    }
  });
});

describe("a link's state", () => {
  test("a page opened with #s=… from encodeState shows that scenario, not the default", async () => {
    // Encode with the kit's own state.ts, as built into the site, inside the browser.
    const stateModule = readdirSync(join(DIST, "_import/components")).find((f) => /^state\.[0-9a-f]+\.js$/.test(f));
    expect(stateModule, "built state module").toBeDefined();
    const peterborough = JSON.parse(readFileSync(join(ROOT, "data/scenarios/peterborough-2010.json"), "utf8"));
    const start = await site.openPage("/methods");
    let fragment: string;
    try {
      // A string, so the test runner's transform leaves the dynamic import alone.
      const state = JSON.stringify({scenario: peterborough, trials: 2000, seed: 7});
      fragment = await start.page.evaluate(`import("/_import/components/${stateModule}").then((m) => m.encodeState(${state}))`);
    } finally {
      await start.close();
    }
    expect(fragment).toMatch(/^s=[A-Za-z0-9_-]+$/);

    const p = await site.openPage(`/financier#${fragment}`);
    try {
      await settled(p);
      const line = await textOf(p, ".scenario-line");
      expect(line).toContain("Peterborough 2010");
      expect(line).toMatch(/2,000 trials · seed 7/);
      expect(line).toContain("£5,000,000");
      expect(await textOf(p)).not.toMatch(/Norrköping|\bNaN\b/);
      // Links to the other pages carry the same state.
      expect(await p.page.locator(`a[href="./payer#${fragment}"]`).count()).toBe(1);
      expect(p.errors).toEqual([]);

      // The sidebar's links keep the state too (a click handler in observablehq.config.ts).
      await Promise.all([p.page.waitForURL(/\/payer/), p.page.locator("#observablehq-sidebar a", {hasText: "Payer's view"}).click()]);
      expect(new URL(p.page.url()).hash).toBe(`#${fragment}`);
      await settled(p);
      expect(await textOf(p, ".scenario-line")).toContain("Peterborough 2010");
    } finally {
      await p.close();
    }

    const m = await site.openPage(`/methods#${fragment}`);
    try {
      // The link's scenario is listed first; Norrköping becomes "the other reference scenario".
      const headings = await m.page.locator("main h3").allInnerTexts();
      const first = headings.findIndex((h) => h.includes("Peterborough 2010"));
      const second = headings.findIndex((h) => h.includes("Norrköping 2016"));
      expect(first).toBeGreaterThanOrEqual(0);
      expect(second).toBeGreaterThan(first);
    } finally {
      await m.close();
    }
  });
});

/** JSON paths of every object with a `source` in a scenario, as the methods page writes them. */
function sourcedPaths(node: unknown, path = ""): string[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => sourcedPaths(v, `${path}[${i}]`));
  if (typeof node !== "object" || node === null) return [];
  // A reference to the parameter tables ({"ref": …}) is listed with the source it resolves to.
  const sourced = typeof (node as {source?: unknown}).source === "string" || "ref" in (node as object);
  const own = sourced && path ? [path] : [];
  return [...own, ...Object.entries(node).flatMap(([k, v]) => sourcedPaths(v, path ? `${path}.${k}` : k))];
}
