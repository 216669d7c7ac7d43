// The explorer's inputs as a reader uses them (issue 13 items 8, 10, 12, 18): numbers typed the
// field's way with messages in the field's words, a picture of each uncertain input, undo and
// reset per number, scenarios kept in the browser, labels instead of paths; screenshots at 1280
// and 390 px.
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, expect, test} from "vitest";
import {decodeState} from "../../src/components/state.ts";
import {SCREENSHOTS, plainSpaces, startSite, type OpenedPage, type Site} from "./harness.ts";
import {field, idle, phase, RUN_TIMEOUT} from "./explorerPage.ts";

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

const problemAt = (page: Page, path: string) => page.locator(`[data-path="${path}"] .param-problem`);
/** The scenario the page's link carries, once the URL has caught up with the last edit. */
async function linked(page: Page): Promise<Record<string, any>> {
  const state = await decodeState(new URL(page.url()).hash);
  return state!.scenario as Record<string, any>;
}

async function open(width = 1200): Promise<OpenedPage> {
  const p = await site.openPage("/explorer", {settleTimeoutMs: RUN_TIMEOUT});
  if (width !== 1200) await p.page.setViewportSize({width, height: 900});
  await idle(p.page);
  return p;
}

test("numbers are typed as the field shows them, and a wrong entry is said in the field's words", async () => {
  const p = await open();
  try {
    const {page} = p;
    // Norrköping's savings share is 0.6 in the file; the field shows and takes percentages.
    const share = field(page, "contract.rules[1].share");
    expect(await share.inputValue()).toBe("60");
    await share.fill("45");
    await expect.poll(async () => (await linked(page)).contract.rules[1].share, {timeout: RUN_TIMEOUT}).toBe(0.45); // 45 % = 0.45
    await idle(page);

    // A space as the thousands separator reads: "9 000 000" is 9e6.
    await field(page, "contract.capital").fill("9 000 000");
    await expect.poll(async () => (await linked(page)).contract.capital, {timeout: RUN_TIMEOUT}).toBe(9_000_000);
    await idle(page);

    const cohort = field(page, "population.cohorts[0].size");

    // Letters, then an empty field: a message naming what to type, never "NaN".
    await cohort.fill("sixty");
    await expect.poll(() => problemAt(page, "population.cohorts[0].size").innerText()).toMatch(/^Enter a number, e\.g\. 12/);
    await expect.poll(() => page.locator(".explorer-problems").innerText()).toMatch(/participants: Enter a number/);
    await cohort.fill("");
    await expect.poll(() => problemAt(page, "population.cohorts[0].size").innerText()).toMatch(/^Enter a number/);
    expect(await page.locator("body").innerText()).not.toMatch(/NaN|expected number/);

    // A range typed the wrong way round: the low and high ends, as the field reads.
    await field(page, "intervention.effects[0].rateRatio", "p95").fill("0.1");
    await expect.poll(() => problemAt(page, "intervention.effects[0].rateRatio").innerText()).toBe("The low end must be below the high end");
    expect(await page.locator(".explorer-problems").innerText()).not.toMatch(/p5|p95/);

    // A share above 100 %: the bounds in percentages.
    await share.fill("150");
    await expect.poll(() => problemAt(page, "contract.rules[1].share").innerText()).toMatch(/from 0% to 100%/);
    // The problem list names fields by their labels; the path is only a tooltip.
    const list = await page.locator(".explorer-problems").innerText();
    expect(list).toMatch(/Share of savings to break-even: share of measured savings/);
    expect(list).not.toMatch(/contract\.rules|\[\d\]/);
    expect(await page.locator(".explorer-problems .explorer-link").first().getAttribute("title")).toMatch(/^[a-z][\w.[\]]+$/);
    expect(p.errors).toEqual([]);
  } finally {
    await p.close();
  }
});

test("each uncertain input shows its shape; a fixed-only number does not", async () => {
  const p = await open();
  try {
    const {page} = p;
    const effect = page.locator('[data-path="intervention.effects[0].rateRatio"]');
    await expect.poll(() => effect.locator("svg.spec-sparkline").count()).toBe(1);
    // Its 90 % range is marked: two ticks, at p5 and p95.
    expect(await effect.locator("svg.spec-sparkline line").count()).toBe(2);
    expect(await page.locator('[data-path="population.cohorts[0].size"] svg.spec-sparkline').count()).toBe(0);
    // A fixed value has no shape; switching it to a range draws one.
    await effect.locator("select").selectOption("fixed");
    expect(await effect.locator("svg.spec-sparkline").count()).toBe(0);
    await effect.locator("select").selectOption("range");
    expect(await effect.locator("svg.spec-sparkline").count()).toBe(1);
    expect(p.errors).toEqual([]);
  } finally {
    await p.close();
  }
});

test("undo goes back one change, reset to the scenario's value", async () => {
  const p = await open();
  try {
    const {page} = p;
    const box = page.locator('[data-path="contract.rules[1].share"]');
    const share = field(page, "contract.rules[1].share");
    expect(await box.locator(".param-undo").isVisible()).toBe(false);
    await share.fill("45");
    await share.press("Tab");
    await share.fill("30");
    await share.press("Tab");
    await box.locator(".param-undo").click();
    expect(await share.inputValue()).toBe("45");
    await expect.poll(async () => (await linked(page)).contract.rules[1].share, {timeout: RUN_TIMEOUT}).toBe(0.45);
    await box.locator(".param-reset").click();
    expect(await share.inputValue()).toBe("60");
    // Back at the file's 0.6 exactly, so the link is the built-in scenario's number again.
    await expect.poll(async () => (await linked(page)).contract.rules[1].share, {timeout: RUN_TIMEOUT}).toBe(0.6);
    expect(await box.locator(".param-reset").isVisible()).toBe(false);
    await idle(page);
    expect(p.errors).toEqual([]);
  } finally {
    await p.close();
  }
});

test("a scenario kept under a name in the browser loads back and can be deleted", async () => {
  const p = await open();
  try {
    const {page} = p;
    await page.evaluate(() => localStorage.removeItem("utfall.explorer.saved"));
    await field(page, "contract.rules[1].share").fill("45");
    await idle(page);
    const panel = page.locator(".explorer-saved");
    await panel.locator("summary").click();
    await panel.locator('input[name="saved-name"]').fill("lower share");
    await panel.locator(".saved-save").click();
    await expect.poll(() => panel.locator(".saved-list li").count()).toBe(1);
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem("utfall.explorer.saved") ?? "[]"));
    expect(kept[0].name).toBe("lower share");
    expect(kept[0].scenario.contract.rules[1].share).toBe(0.45);

    // Start again from the built-in scenario, then load the kept one.
    await page.locator(".explorer-starts button", {hasText: "Norrköping 2016"}).click();
    await expect.poll(() => field(page, "contract.rules[1].share").inputValue(), {timeout: RUN_TIMEOUT}).toBe("60");
    await page.locator(".explorer-saved summary").click().catch(() => {});
    const again = page.locator(".explorer-saved");
    if (!(await again.evaluate((d) => (d as HTMLDetailsElement).open))) await again.locator("summary").click();
    await again.locator(".saved-load").click();
    await expect.poll(() => field(page, "contract.rules[1].share").inputValue(), {timeout: RUN_TIMEOUT}).toBe("45");
    expect(await page.locator(".explorer-origin").innerText()).toMatch(/lower share/);
    await idle(page);

    const last = page.locator(".explorer-saved");
    if (!(await last.evaluate((d) => (d as HTMLDetailsElement).open))) await last.locator("summary").click();
    await last.locator(".saved-delete").click();
    await expect.poll(() => last.locator(".saved-list li").count()).toBe(0);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem("utfall.explorer.saved") ?? "[]").length)).toBe(0);
    expect(p.externalRequests).toEqual([]);
    expect(p.errors).toEqual([]);
  } finally {
    await p.close();
  }
});

test("screenshots at 1280 and 390 px; at 390 nothing scrolls sideways and the figures come before the inputs", async () => {
  for (const width of [1280, 390]) {
    const p = await open(width);
    try {
      const {page} = p;
      await page.waitForTimeout(1000);
      await page.screenshot({path: join(SCREENSHOTS, width === 1280 ? "explorer.png" : "explorer-390.png"), fullPage: width === 390 ? false : true});
      if (width === 390) {
        const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(over, `scrolls sideways by ${over} px`).toBeLessThanOrEqual(0);
        const [figuresTop, inputsTop] = await page.evaluate(() => [
          document.querySelector(".explorer-figures")!.getBoundingClientRect().top + scrollY,
          document.querySelector(".explorer-inputs")!.getBoundingClientRect().top + scrollY
        ]);
        expect(figuresTop).toBeLessThan(inputsTop);
        // The built-in scenarios' buttons wrap inside the page.
        const right = await page.evaluate(() => Math.max(...[...document.querySelectorAll(".explorer-starts button")].map((b) => b.getBoundingClientRect().right)));
        expect(right).toBeLessThanOrEqual(390);
      }
      expect(plainSpaces(await page.locator(".explorer-editor").innerText())).not.toMatch(/\b(perPeriod|costPerDay|rateRatio)\b/);
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  }
});
