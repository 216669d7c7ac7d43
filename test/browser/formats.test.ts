// One formatter per page language in the browser (issue 13 item 9): no English page shows a
// decimal comma in a figure or "mnkr", and the Swedish page (Politikerunderlag) shows no "MSEK"
// and no decimal point. Also the deterministic base/upside/downside tables on the Financier's and
// Payer's pages, and the screenshots at 1280 and 390 px that issue 13 asks for.
import {mkdir} from "node:fs/promises";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {SCREENSHOTS, plainSpaces, startSite, type Site} from "./harness.ts";

let site: Site;
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

async function shoot(p: {page: import("playwright-core").Page}, name: string) {
  await mkdir(SCREENSHOTS, {recursive: true});
  for (const width of [1280, 390]) {
    await p.page.setViewportSize({width, height: 900});
    await p.page.waitForTimeout(500);
    await p.page.screenshot({path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true});
  }
}

describe.each(["/financier", "/payer", "/society", "/"])("%s: English conventions", (path) => {
  test("no decimal comma in any figure, no 'mnkr'", async () => {
    const p = await site.openPage(path, {settleTimeoutMs: 300_000});
    try {
      // The cases tables come from a run of their own: wait for them too.
      if (path === "/financier" || path === "/payer") await p.page.locator("table.cases").waitFor({timeout: 300_000});
      const text = plainSpaces(await p.page.locator("main").innerText());
      expect(around(text, DECIMAL_COMMA)).toEqual([]);
      expect(around(text, /mnkr|miljoner kr/g)).toEqual([]);
      expect(text).toMatch(/\d\.\d MSEK/);
      expect(p.errors).toEqual([]);
      if (path !== "/") await shoot(p, path.slice(1));
    } finally {
      await p.close();
    }
  });
});

test("Politikerunderlag: Swedish conventions, no 'MSEK' and no decimal point", async () => {
  const p = await site.openPage("/politiker", {settleTimeoutMs: 300_000});
  try {
    const text = plainSpaces(await p.page.locator("main").innerText());
    expect(around(text, DECIMAL_POINT)).toEqual([]);
    expect(around(text, /MSEK/g)).toEqual([]);
    expect(text).toMatch(/\d,\d mnkr/);
    expect(p.errors).toEqual([]);
    await shoot(p, "politiker");
  } finally {
    await p.close();
  }
});

test("Financier's page: base, upside and downside beside the Monte Carlo's means", async () => {
  const p = await site.openPage("/financier", {settleTimeoutMs: 300_000});
  try {
    const rows = p.page.locator("table.cases tbody tr");
    await rows.first().waitFor({timeout: 300_000});
    expect(await rows.count()).toBe(4);
    const names = await rows.locator("td:first-child b").allInnerTexts();
    expect(names).toEqual(["Downside", "Base", "Upside", "Monte Carlo"]);
    // The financier's NPV (4th column) is ordered downside ≤ base ≤ upside: the cases are defined by its sign.
    const npv = async (i: number) => Number(plainSpaces(await rows.nth(i).locator("td").nth(3).innerText()).replace(/[^\d.−-]/g, "").replace("−", "-"));
    expect(await npv(0)).toBeLessThanOrEqual(await npv(1));
    expect(await npv(1)).toBeLessThanOrEqual(await npv(2));
  } finally {
    await p.close();
  }
});
