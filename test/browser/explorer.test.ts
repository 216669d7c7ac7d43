// The scenario explorer: edits change results, links reproduce them, bad input is caught at the
// field while the last good figures stay, and scenarios round-trip through a file.
import {mkdtemp, readFile, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, expect, test} from "vitest";
import {decodeState} from "../../src/components/state.ts";
import {plainSpaces, startSite, type OpenedPage, type Site} from "./harness.ts";
import {field, idle, phase, runId, RUN_TIMEOUT} from "./explorerPage.ts";

let site: Site;
beforeAll(async () => {
  site = await startSite({shared: true});
});
afterAll(async () => {
  await site?.close();
});


const figure = (page: Page, key: string) => page.locator(`[data-figure="${key}"] .explorer-big`).innerText();
const figures = (page: Page) => page.locator(".explorer-figures").innerText();
/** "64 %" → 64 (Swedish or English style). */
const percent = (text: string) => Number(text.replace(/\s|%/g, "").replace(",", ".").replace("−", "-"));


/** Changes a field and waits until a new result is on screen. */
async function edit(page: Page, path: string, value: string, key = "value"): Promise<void> {
  const before = await runId(page);
  await field(page, path, key).fill(value);
  await expect.poll(() => runId(page), {timeout: RUN_TIMEOUT}).toBeGreaterThan(before);
  await idle(page);
}

async function open(path = "/explorer"): Promise<OpenedPage> {
  const p = await site.openPage(path, {settleTimeoutMs: RUN_TIMEOUT});
  await idle(p.page);
  return p;
}

test("every number of the scenario gets an input, grouped as the scenario is", async () => {
  const p = await open();
  try {
    const {page} = p;
    // Norrköping: 2 population, 18 outcome, 4 intervention, 8 measurement (the follow-up; the past group's size, drift, years, price growth,
    // indexation and regression to the mean), 30 contract (with the delivery span's from, to and amount; the return starts
    // "above": "repaid", not at a number), 10 valuation numbers (the price year and inflation, the long run's value of the
    // work and the taxes' share of it, the payer's lending rate), + periods per year.
    expect(await page.locator(".explorer-editor .param-input").count()).toBe(73);
    for (const path of ["population.cohorts[0].size", "outcomes[0].transitions[0].perPeriod", "intervention.effects[2].standardizedMeanDifference",
      "measurement.followUpPeriods", "measurement.comparator.cohort.size", "measurement.comparator.cohort.drift", "contract.rules[1].share", "contract.rules[1].cap.ofCapital", "contract.totalCap.ofCapital",
      "contract.delivery.perPeriod[0].amount", "valuation.discountRate", "valuation.longRun[0].components[0].value", "valuation.longRun[0].components[1].share", "valuation.selfFunding.lendingRate"]) {
      expect(await page.locator(`[data-path="${path}"].param-input`).count(), path).toBe(1);
    }
    // Norrköping's fractions of capital are of the 7.5 MSEK planned draw (ofCapitalMeans): 40 % is 3 MSEK.
    expect(plainSpaces(await page.locator('[data-path="contract.rules[0].amount.ofCapital"]').innerText())).toContain("40% of capital (SEK 3,000,000)");
    // A distribution is shown as its form and parameters, with its meaning and source.
    const effect = page.locator('[data-path="intervention.effects[0].rateRatio"]');
    expect(await effect.locator("select").inputValue()).toBe("range");
    expect(await effect.locator(".param-meaning").innerText()).toMatch(/90% sure it lies between 0.55 and 1.2/);
    expect(await effect.locator(".param-source").innerText()).toMatch(/^Source: assumption/);
    expect(p.errors).toEqual([]);
  } finally {
    await p.close();
  }
});

test("a number's form can change (range → pert → fixed) and the run follows", async () => {
  const p = await open();
  try {
    const {page} = p;
    const effect = page.locator('[data-path="intervention.effects[0].rateRatio"]');
    let run = await runId(page);
    await effect.locator("select").selectOption("pert");
    // Started from the range's ends, with the most likely value at its centre.
    expect(await effect.locator('input[name="min"]').inputValue()).toBe("0.55");
    expect(await effect.locator('input[name="max"]').inputValue()).toBe("1.2");
    expect(await effect.locator(".param-meaning").innerText()).toMatch(/^between 0.55 and 1.2, most likely 0.81/);
    await expect.poll(() => runId(page), {timeout: RUN_TIMEOUT}).toBeGreaterThan(run);
    run = await runId(page);
    const lossWithEffect = percent(await figure(page, "probLoss"));

    // No effect at all: a fixed rate ratio of 1 on both placement effects.
    await effect.locator("select").selectOption("fixed");
    await field(page, "intervention.effects[0].rateRatio").fill("1");
    const back = page.locator('[data-path="intervention.effects[1].rateRatio"]');
    await back.locator("select").selectOption("fixed");
    await back.locator('input[name="value"]').fill("1");
    await expect.poll(() => runId(page), {timeout: RUN_TIMEOUT}).toBeGreaterThan(run);
    await idle(page);
    expect(percent(await figure(page, "probLoss"))).toBeGreaterThan(lossWithEffect);
    // The source stays with the number whatever its form.
    expect(await effect.locator(".param-source").innerText()).toMatch(/^Source: assumption/);
    expect(p.errors).toEqual([]);
  } finally {
    await p.close();
  }
});

test("changing a contract term changes the financier's chance of loss", async () => {
  const p = await open();
  try {
    const {page} = p;
    const before = percent(await figure(page, "probLoss"));
    expect(before).toBeGreaterThan(0);
    // The payer passes on all measured savings (up to the cap) instead of 60 %: the financier loses less often.
    await edit(page, "contract.rules[1].share", "100"); // a % field takes percentages
    const shareOfAll = percent(await figure(page, "probLoss"));
    expect(shareOfAll).toBeLessThan(before);
    // No savings share at all: only the activity payment and the conditional return are left.
    await edit(page, "contract.rules[1].cap.ofCapital", "0");
    expect(percent(await figure(page, "probLoss"))).toBeGreaterThan(before);
    expect(await page.locator("body").innerText()).not.toMatch(/\bNaN\b/);
    expect(p.errors).toEqual([]);
  } finally {
    await p.close();
  }
});

test("a shared link reproduces the scenario, trials, seed and every key figure", async () => {
  const p = await open();
  let q: OpenedPage | undefined;
  try {
    const {page} = p;
    const urlBefore = page.url();
    await edit(page, "intervention.effects[2].standardizedMeanDifference", "0.3", "mean");
    // Trials and seed are Observable Inputs in the editor's simulation section.
    await page.getByLabel("Trials", {exact: true}).selectOption({label: "5,000"});
    await page.getByLabel("Seed").fill("42");
    await expect.poll(() => page.locator(".explorer-status").innerText(), {timeout: RUN_TIMEOUT}).toMatch(/^5,000 simulated contracts, seed 42/);
    await idle(page);
    const shown = await figures(page);
    await expect.poll(() => page.url()).not.toBe(urlBefore);
    const url = new URL(page.url());
    expect(url.hash).toMatch(/^#s=/);

    q = await open("/explorer" + url.hash);
    expect(await figures(q.page)).toBe(shown);
    expect(await q.page.locator(".explorer-status").innerText()).toMatch(/^5,000 simulated contracts, seed 42/);
    expect(await field(q.page, "intervention.effects[2].standardizedMeanDifference", "mean").inputValue()).toBe("0.3");
    // Links to the other pages carry the same state.
    const financier = await q.page.locator('.explorer-footer a[href^="./financier"]').getAttribute("href");
    expect(financier).toBe("./financier" + url.hash);
    expect(q.errors).toEqual([]);
  } finally {
    await q?.close();
    await p.close();
  }
});

test("an invalid input is named at its field, runs nothing and keeps the last good figures", async () => {
  const p = await open();
  try {
    const {page} = p;
    const good = await figures(page);
    const run = await runId(page);

    await field(page, "population.cohorts[0].size").fill("0");
    const size = page.locator('[data-path="population.cohorts[0].size"] .param-problem');
    await expect.poll(() => size.isVisible()).toBe(true);
    expect(await size.innerText()).toMatch(/whole number from 1 to 100000/);
    expect(await phase(page)).toBe("invalid");
    expect(await page.locator(".explorer-problems").innerText()).toMatch(/participants: must be a whole number/);

    await field(page, "contract.rules[1].share").fill("150");
    const share = page.locator('[data-path="contract.rules[1].share"] .param-problem');
    await expect.poll(() => share.isVisible()).toBe(true);
    expect(await share.innerText()).toMatch(/must be a percentage from 0% to 100%/);
    expect(await page.locator(".explorer-problems li").count()).toBe(2);

    // A distribution whose ends are the wrong way round.
    await field(page, "intervention.effects[0].rateRatio", "p95").fill("0.1");
    await expect.poll(() => page.locator('[data-path="intervention.effects[0].rateRatio"] .param-problem').innerText()).toMatch(/The low end must be below the high end/);

    await page.waitForTimeout(1000); // longer than the debounce: still nothing runs
    expect(await runId(page)).toBe(run);
    expect(await figures(page)).toBe(good);
    expect(await page.locator("body").innerText()).not.toMatch(/\bNaN\b/);
    // The URL keeps the invalid state too, so a link shows the same problems.
    const hash = new URL(page.url()).hash;
    expect(hash).toMatch(/^#s=/);

    // Back to valid values: the problems go, and these are the figures already on screen.
    await field(page, "population.cohorts[0].size").fill("60");
    await field(page, "contract.rules[1].share").fill("60");
    await field(page, "intervention.effects[0].rateRatio", "p95").fill("1.2");
    await idle(page);
    expect(await page.locator(".param-problem:visible").count()).toBe(0);
    expect(await figures(page)).toBe(good);
    expect(p.errors).toEqual([]);
  } finally {
    await p.close();
  }
});

test("a saved scenario loads back with the same numbers; a bad file is refused with a message", async () => {
  const p = await open();
  try {
    const {page} = p;
    await edit(page, "contract.rules[1].share", "80");
    const shown = await figures(page);

    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("a.explorer-save").click()]);
    expect(download.suggestedFilename()).toBe("norrkoping-2016.json");
    // saveAs, not download.path(): the shared Chromium is a connected browser (harness.ts).
    const dir = await mkdtemp(join(tmpdir(), "utfall-explorer-"));
    await download.saveAs(join(dir, "saved.json"));
    const text = await readFile(join(dir, "saved.json"), "utf8");
    await rm(dir, {recursive: true, force: true});
    const saved = JSON.parse(text);
    expect(saved.contract.rules[1].share).toBe(0.8);
    expect(saved.simulation).toEqual({trials: 10000, seed: 1});
    expect(saved.outcomes[0].states[0].costPerDay.source).toMatch(/Socialstyrelsen/); // sources survive

    // Start again from the built-in scenario, then load the file.
    // Each change waits for a new run (its id), not only for "idle": the debounce may not have
    // started the run yet when the field shows the new value.
    const beforeReset = await runId(page);
    await page.getByRole("button", {name: "Norrköping 2016"}).click();
    await expect.poll(() => field(page, "contract.rules[1].share").inputValue()).toBe("60");
    await expect.poll(() => runId(page), {timeout: RUN_TIMEOUT}).toBeGreaterThan(beforeReset);
    await idle(page);
    expect(await figures(page)).not.toBe(shown);

    const input = page.locator('input[type="file"][name="scenario-file"]');
    const beforeLoad = await runId(page);
    await input.setInputFiles({name: "mine.json", mimeType: "application/json", buffer: Buffer.from(text)});
    await expect.poll(() => field(page, "contract.rules[1].share").inputValue()).toBe("80");
    await expect.poll(() => runId(page), {timeout: RUN_TIMEOUT}).toBeGreaterThan(beforeLoad);
    await idle(page);
    expect(await figures(page)).toBe(shown);
    expect(await page.locator(".explorer-origin").innerText()).toMatch(/from mine\.json/);

    await input.setInputFiles({name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{"name": "x",')});
    await expect.poll(() => page.locator(".explorer-file-message").innerText()).toMatch(/broken\.json is not valid JSON/);
    expect(await field(page, "contract.rules[1].share").inputValue()).toBe("80");
    expect(p.errors).toEqual([]);
  } finally {
    await p.close();
  }
});

test("a contract edit re-evaluates the stored outcomes and shows a fresh run's figures; another edit simulates again", async () => {
  const p = await open();
  let q: OpenedPage | undefined;
  try {
    const {page} = p;
    const mode = () => page.locator(".explorer-status").getAttribute("data-mode");
    expect(await mode()).toBe("simulate"); // the first run
    await edit(page, "contract.rules[1].share", "90");
    expect(await mode()).toBe("evaluate");
    expect(await page.locator(".explorer-status").innerText()).toMatch(/the contract evaluated on the outcomes already simulated/);
    const shown = await figures(page);
    const irrBars = await page.locator(".explorer-chart svg rect").count();
    // The witness: a fresh page from the same link simulates the edited scenario from scratch.
    // (The link is written once the page is idle: wait until it carries the edit.)
    const shareInLink = async () => ((await decodeState(new URL(page.url()).hash))?.scenario as {contract?: {rules?: {share?: number}[]}})?.contract?.rules?.[1]?.share;
    await expect.poll(shareInLink, {timeout: RUN_TIMEOUT}).toBe(0.9);
    q = await open("/explorer" + new URL(page.url()).hash);
    expect(await q.page.locator(".explorer-status").getAttribute("data-mode")).toBe("simulate");
    expect(await figures(q.page)).toBe(shown);
    expect(await q!.page.locator(".explorer-chart svg rect").count()).toBe(irrBars);
    // A change outside the contract: simulated again, over the worker threads.
    await edit(page, "population.cohorts[0].size", "70");
    expect(await mode()).toBe("simulate");
    expect(await figures(page)).not.toBe(shown);
    expect(p.errors).toEqual([]);
    expect(q!.errors).toEqual([]);
  } finally {
    await q?.close();
    await p.close();
  }
});
