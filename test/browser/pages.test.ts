// Loads every page listed in observablehq.config.ts from the built site and checks that it renders cleanly.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {configuredPages, startSite, type Site} from "./harness.ts";

const pages = await configuredPages();
let site: Site;

beforeAll(async () => {
  site = await startSite();
});

afterAll(async () => {
  await site?.close();
});

describe.each(pages)("page %s", (path) => {
  test("renders without errors, external requests, error blocks or NaN", async () => {
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
    } finally {
      await p.close();
    }
  });
});

test("start page runs the Norrköping scenario in a worker and shows its headline numbers", async () => {
  const p = await site.openPage("/");
  try {
    // The four headline cards fill in once the worker's result arrives.
    await expect.poll(() => p.page.locator(".card .big").count(), {timeout: 30000}).toBe(4);
    const text = await p.page.locator(".grid").innerText();
    expect(text).toMatch(/Financier loses money\s+\d+\s%/);
    expect(text).toMatch(/mnkr/);
    expect(text).not.toMatch(/NaN|undefined/);
  } finally {
    await p.close();
  }
});
