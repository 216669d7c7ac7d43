// The reference-cases page: every case with its terms, the kit's distribution and where the
// published result falls (precomputed by the data loader), and a link into the explorer that
// carries the case's scenario. The start page's gallery links the same way.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {ROOT, startSite, type OpenedPage, type Site, textOf} from "./harness.ts";

let site: Site;
beforeAll(async () => {
  site = await startSite({shared: true});
});
afterAll(async () => {
  await site?.close();
});

const cases = JSON.parse(readFileSync(join(ROOT, "data/reference-cases.json"), "utf8")).cases as {id: string; scenario: string}[];
const nameOf = (file: string) => JSON.parse(readFileSync(join(ROOT, "data/scenarios", file), "utf8")).name as string;

describe("reference cases page", () => {
  // One load for both tests: the first only reads the page, the second follows a link away from it.
  let p: OpenedPage;
  beforeAll(async () => {
    p = await site.openPage("/reference-cases");
  });
  afterAll(async () => {
    await p?.close();
  });

  test("shows each case's terms, distribution and published result, and flags Essex's result as far in the tail", async () => {
    const text = await textOf(p);
    for (const c of cases) {
      const section = p.page.locator(`section#${c.id}`);
      expect(await section.count(), c.id).toBe(1);
      expect(await section.locator(".reference-terms tr").count(), `${c.id} terms`).toBeGreaterThan(2);
      expect(await section.locator(".reference-actual svg").count(), `${c.id} charts`).toBeGreaterThan(0);
      expect(await section.locator(".reference-rank").first().innerText()).toMatch(/simulated contract/);
    }
    // Published results as the data file states them.
    expect(text).toContain("9 % (above the 7.5 % pooled threshold)");
    expect(text).toContain("no direct savings for the municipality");
    // Essex's 80 % fall lies beyond the whole distribution.
    expect(await p.page.locator("section#essex-2013 .tail-badge").count()).toBe(1);
    expect(text).toMatch(/Every simulated contract came out below 80%/);
    expect(text).not.toMatch(/\bNaN\b|undefined/);
    expect(p.errors).toEqual([]);
    expect(p.externalRequests).toEqual([]);
    await p.screenshot("reference-cases");
  });

  test("a case's link opens the explorer on that scenario", async () => {
    const href = await p.page.locator("section#massachusetts-jj-2014 a.reference-open").getAttribute("href");
    expect(href).toMatch(/^\.\/explorer#s=/);
    await p.page.goto(new URL(href!, p.page.url()).href);
    await expect.poll(() => textOf(p), {timeout: 60_000}).toContain(`from the link`);
    await expect.poll(() => p.page.locator("main").innerText(), {timeout: 60_000}).toContain(nameOf("massachusetts-jj-2014.json"));
    expect(p.errors).toEqual([]);
  });
});

describe("start page gallery", () => {
  test("links every reference case into the explorer", async () => {
    const p = await site.openPage("/");
    try {
      const links = p.page.locator(".scenario-gallery a.gallery-open");
      await expect.poll(() => links.count(), {timeout: 60_000}).toBe(cases.length);
      for (let i = 0; i < cases.length; i++) expect(await links.nth(i).getAttribute("href")).toMatch(/^\.\/explorer#s=[A-Za-z0-9_-]+$/);
      const text = await textOf(p, ".scenario-gallery");
      for (const c of cases) expect(text).toContain(nameOf(c.scenario));
      expect(p.errors).toEqual([]);
      await p.screenshot("index-gallery");
    } finally {
      await p.close();
    }
  });
});
