// The explorer's correlated inputs (src/components/correlation-input.ts): a pair is added and
// the run follows; ranks that cannot hold together get a message at the row that breaks them
// while the last good figures stay; mending the rank runs again.
import type {Page} from "playwright-core";
import {afterAll, beforeAll, expect, test} from "vitest";
import {join} from "node:path";
import {SCREENSHOTS, startSite, type Site} from "./harness.ts";
import {idle, phase, runId, RUN_TIMEOUT} from "./explorerPage.ts";

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

const row = (page: Page, i: number) => page.locator(".correlation-input .correlation-row").nth(i);

const HVB = "outcomes[0].states[0].costPerDay";
const SIS = "outcomes[0].states[1].costPerDay";
const FAMILY = "outcomes[0].states[2].costPerDay";

async function setRow(page: Page, i: number, a: string, b: string, rank: string): Promise<void> {
  await row(page, i).locator('select[name="correlation-a"]').selectOption(a);
  await row(page, i).locator('select[name="correlation-b"]').selectOption(b);
  await row(page, i).locator('input[name="correlation-rank"]').fill(rank);
}

test("correlations are edited in the explorer: a bad matrix is refused at its row and the last good result stays", async () => {
  const p = await site.openPage("/explorer", {settleTimeoutMs: RUN_TIMEOUT});
  try {
    const {page} = p;
    await idle(page);
    const box = page.locator(".correlation-input");
    expect(await box.locator("legend").innerText()).toBe("Correlated inputs");
    expect(await box.locator(".correlation-row").count()).toBe(0);

    let before = await runId(page);
    await box.locator(".correlation-add").click();
    await setRow(page, 0, HVB, SIS, "0.6");
    await expect.poll(() => runId(page), {timeout: RUN_TIMEOUT}).toBeGreaterThan(before);
    await idle(page);
    // The choices are the scenario's uncertain inputs, by their readable names.
    expect(await row(page, 0).locator('select[name="correlation-a"] option').count()).toBeGreaterThan(10);
    expect(page.url()).toContain("#s=");
    const goodRun = await runId(page);

    // A ~ B 0.6, A ~ C 0.6, B ~ C −0.6: not positive semi-definite, first broken by the third pair
    // (the arithmetic is in test/analysis/correlation.test.ts).
    await box.locator(".correlation-add").click();
    await setRow(page, 1, HVB, FAMILY, "0.6");
    await expect.poll(() => runId(page), {timeout: RUN_TIMEOUT}).toBeGreaterThan(goodRun);
    await idle(page);
    // The third row is first filled in with a rank the matrix can hold (0), and left to run, so
    // that typing the rank that breaks it is the only change that follows (a row's intermediate
    // states are valid and run; waiting out the page's 250 ms pause in typing before reading the
    // run counter is not a timed assertion).
    await box.locator(".correlation-add").click();
    await setRow(page, 2, SIS, FAMILY, "0");
    await page.waitForTimeout(1000);
    await idle(page);
    const lastGood = await runId(page);
    await row(page, 2).locator('input[name="correlation-rank"]').fill("-0.6");
    const problem = row(page, 2).locator(".param-problem");
    await expect.poll(() => problem.isVisible(), {timeout: RUN_TIMEOUT}).toBe(true);
    expect(await problem.innerText()).toContain("cannot hold together");
    expect(await row(page, 0).locator(".param-problem").isVisible()).toBe(false);
    // The figures are the last good run's, not NaN, and nothing runs while the matrix is refused.
    await expect.poll(() => phase(page), {timeout: RUN_TIMEOUT}).toBe("invalid");
    expect(await runId(page)).toBe(lastGood);
    await page.waitForTimeout(500);
    expect(await phase(page)).toBe("invalid");
    expect(await runId(page)).toBe(lastGood);
    expect(await page.locator(".explorer-figures").innerText()).not.toMatch(/NaN/);
    await page.locator(".correlation-input").scrollIntoViewIfNeeded();
    await page.screenshot({path: join(SCREENSHOTS, "explorer-correlations-refused.png"), fullPage: false});

    // An input with itself: a message at that row.
    await setRow(page, 2, SIS, SIS, "0.2");
    await expect.poll(() => problem.innerText(), {timeout: RUN_TIMEOUT}).toContain("with itself");

    // Mended: the message goes and the run follows.
    before = await runId(page);
    await setRow(page, 2, SIS, FAMILY, "0.2");
    await expect.poll(() => problem.isVisible(), {timeout: RUN_TIMEOUT}).toBe(false);
    await expect.poll(() => runId(page), {timeout: RUN_TIMEOUT}).toBeGreaterThan(before);
    await idle(page);

    // Removing every row leaves the scenario as it was: no correlations.
    for (let i = 2; i >= 0; i--) await row(page, i).locator(".correlation-remove").click();
    expect(await box.locator(".correlation-row").count()).toBe(0);
    expect(p.errors).toEqual([]);
  } finally {
    await p.close();
  }
});
