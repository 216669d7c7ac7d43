// Loads every page listed in observablehq.config.ts from the built site and checks that it renders
// cleanly; the pages that offer the summary download must all offer the same file.
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {configuredPages, startSite, type Site} from "./harness.ts";

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

// The pages load independently, a few at a time (the browser project's maxConcurrency); the last
// test, which compares what they saved, runs after all of them.
describe.concurrent.each(pages)("page %s", {timeout: 300_000}, (path) => {
  test("renders without errors, external requests, error blocks or NaN", async ({expect}) => {
    const p = await site.openPage(path);
    try {
      // Plot renders <svg class="plot-xxxx">, or a <figure> wrapping one when it has a legend/title.
      // Charts fed by workers appear after the page has settled, so wait for the first one.
      await expect.poll(() => p.page.locator('svg[class^="plot"], figure svg').count(), {message: "Plot charts", timeout: 60_000}).toBeGreaterThan(0);
      await p.screenshot();
      expect(p.errors, "console/page errors").toEqual([]);
      expect(p.externalRequests, "requests to hosts other than 127.0.0.1").toEqual([]);
      expect(await p.page.locator(".observablehq--error").count(), "Framework error blocks").toBe(0);
      expect(await p.page.locator("body").innerText()).not.toMatch(/\bNaN\b/);
      // The page's language, for screen readers and hyphenation: Swedish for the briefing, else English.
      expect(await p.page.evaluate(() => document.documentElement.lang)).toBe(path === "/politiker" ? "sv" : "en");
      if (["/politiker", "/payer", "/financier", "/society"].includes(path)) {
        await p.page.waitForSelector('[data-export="summary-csv"]', {timeout: 60_000});
        const [file] = await Promise.all([p.page.waitForEvent("download"), p.page.click('[data-export="summary-csv"]')]);
        const saved = join(tmp, `${path.slice(1)}.csv`);
        await file.saveAs(saved);
        summaries.set(path, readFileSync(saved, "utf8"));
        expect(p.errors).toEqual([]);
      }
    } finally {
      await p.close();
    }
  });
});

test("start page runs the Norrköping scenario in a worker and shows its headline numbers", async () => {
  const p = await site.openPage("/");
  try {
    // The four headline cards fill in once the worker's result arrives.
    await expect.poll(() => p.page.locator(".card .big").count(), {timeout: 90_000}).toBe(4);
    const text = await p.page.locator(".grid").innerText();
    expect(text).toMatch(/Financier loses money\s+\d+%/); // English conventions: "55%"
    expect(text).toMatch(/MSEK/); // English conventions on an English page
    expect(text).not.toMatch(/mnkr|\d,\d(?!\d\d)/);
    expect(text).not.toMatch(/NaN|undefined/);
  } finally {
    await p.close();
  }
});

// Checked here, on the pages loaded above, rather than by loading them again (politiker.test.ts
// reads the briefing's own summary file against the numbers it shows).
test("the payer's, financier's and society's pages offer the same summary file as the briefing (/politiker)", () => {
  expect([...summaries.keys()].sort()).toEqual(["/financier", "/payer", "/politiker", "/society"]);
  const ours = summaries.get("/politiker")!;
  expect(ours.trim().split("\n").length).toBeGreaterThan(10); // a summary, one figure a row
  for (const path of ["/payer", "/financier", "/society"]) expect(summaries.get(path) === ours, path).toBe(true);
});
