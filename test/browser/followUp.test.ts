// Follow-up page (src/follow-up.md): the Norrköping replay by default, computed in a worker; bad
// quarterly data (a count larger than the cohort, a negative cost, a quarter out of order) gets
// a message at the field and the last good forecast stays on screen.
import {afterAll, beforeAll, expect, test} from "vitest";
import {cli} from "../helpers/cli.ts";
import {startSite, type OpenedPage, type Site, plainSpaces} from "./harness.ts";

let site: Site;
let p: OpenedPage;

beforeAll(async () => {
  site = await startSite({shared: true});
  p = await site.openPage("/follow-up");
  await p.page.waitForSelector("#forecast", {timeout: 120_000});
});

afterAll(async () => {
  await p?.close();
  await site?.close();
});

const forecast = async () => plainSpaces(await p.page.locator("#forecast").innerText());

/** Sets a form field (by the path the engine names) and waits for the worker's answer. */
async function setField(path: string, value: string) {
  const input = p.page.locator(`[data-path="${path}"]`);
  await input.fill(value);
  await input.dispatchEvent("change");
}

test("shows the Norrköping replay: the prior and eight quarters, the clauses, every input, as the CLI computes them", async () => {
  await p.screenshot("follow-up");
  expect(p.errors).toEqual([]);
  expect(p.externalRequests).toEqual([]);
  const text = plainSpaces(await p.page.locator("main").innerText());
  expect(text).not.toMatch(/\bNaN\b|undefined/);
  expect(await p.page.locator("#forecast tbody tr").count()).toBe(9);
  expect(await p.page.locator("#clauses tbody tr").count()).toBe(2);
  expect(await p.page.locator('svg[class^="plot"], figure svg').count()).toBeGreaterThanOrEqual(3);
  // The page's financier NPV after eight quarters is the CLI's with the same trials and seed.
  const r = await cli("followup", "data/scenarios/norrkoping-2016.json", "data/observations/norrkoping-2016-replay.json", "--trials", "4000", "--seed", "1", "--ess-floor", "1000", "--json");
  expect(r.status, r.stderr).toBe(0);
  const last = JSON.parse(r.stdout).steps[8];
  const row = plainSpaces(await p.page.locator("#forecast tbody tr").nth(8).innerText());
  // The page writes the minus sign (U+2212) where toFixed writes a hyphen.
  expect(row).toContain(`${(last.money.financierNpv.mean / 1e6).toFixed(2).replace("-", "\u2212")} MSEK`);
});

test.each([
  ["quarters[2].states.hvb", "70", /Quarter 3: 70 children is more than the cohort's 60/],
  ["quarters[1].cost", "-5", /Quarter 2: must be 0 or more/],
  ["quarters[3].quarter", "7", /Quarter 7: quarters must follow in order/],
])("refuses %s = %s with a message at the field and keeps the last good forecast", async (path, value, message) => {
  const before = await forecast();
  await setField(path, value);
  const error = p.page.locator(`[data-path="${path}"] + .field-error`);
  await error.waitFor({timeout: 120_000});
  expect(plainSpaces(await error.innerText())).toMatch(message);
  if (path === "quarters[2].states.hvb") await p.screenshot("follow-up-bad-data");
  expect(await p.page.locator(`[data-path="${path}"]`).getAttribute("aria-invalid")).toBe("true");
  expect(await forecast()).toBe(before);
  expect(plainSpaces(await p.page.locator("#follow-up-status").innerText())).toMatch(/last good one/);
  expect(plainSpaces(await p.page.locator("main").innerText())).not.toMatch(/\bNaN\b/);
  // Put the value back: the message goes and the forecast is the replay's again.
  await p.page.reload();
  await p.page.waitForSelector("#forecast", {timeout: 120_000});
});
