// The Negotiation page in a real browser, loaded once with a small grid in the link
// (#s=…&vary=…&vary=…): its workers simulate once, share the outcome table and evaluate cells;
// every cell the page shows equals the engine's `sweep` in Node (as the page formats it), every
// section renders, and a bad entry is named next to the inputs while the last grid stays. The
// page's default grid (21 × 21 on 10,000 trials) is checked in Node only, along the page's own
// path (one simulation handed to workers by structured clone, cells split between them), in
// test/analysis/negotiationGrid.test.ts, which runs with the unit files rather than in the
// browser files' one-at-a-time queue.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {expectCleanPage, ROOT, negotiationLink, startSite, type Site} from "./harness.ts";
import {
  DEFAULT_NEEDS, NEED_LABELS, sweep, zoneOfAgreement, type Vary,
} from "../../models/index.js";
import {describePath} from "../../models/analysis/labels.js";
import {formatChance, formatMillions, formatPercent} from "../../models/format.js";

let site: Site;
beforeAll(async () => {
  site = await startSite({shared: true});
});
afterAll(async () => {
  await site?.close();
});

const read = (name: string) => JSON.parse(readFileSync(join(ROOT, "data/scenarios", name), "utf8"));
const norrkoping = read("norrkoping-2016.json");

/** The page's grid values for from:to:steps (termValues in src/components/negotiation.ts, as `utfall sweep --vary`). */
const values = (from: number, to: number, steps: number) => Array.from({length: steps}, (_, i) => +(from + ((to - from) * i) / (steps - 1)).toPrecision(12));


describe("negotiation page", () => {
  test("a 5 × 3 grid from the link: every cell equals the engine's sweep; every section renders; a bad entry keeps the last grid", async () => {
    const trials = 2000, seed = 1;
    const vary: Vary[] = [
      {path: "contract.rules[savings].share", values: values(0.2, 1, 5)},
      {path: "contract.rules[return].cap.ofCapital", values: values(0, 0.4, 3)},
    ];
    const url = await negotiationLink(site, {scenario: norrkoping, trials, seed}, ["contract.rules[savings].share=0.2:1:5", "contract.rules[return].cap.ofCapital=0:0.4:3"]);
    // The engine in Node, formatted as the page formats it (an English page: English conventions for kronor too).
    const r = sweep(norrkoping, vary, {trials, seed});
    const zone = zoneOfAgreement(r.cells, [5, 3], DEFAULT_NEEDS);
    const pct = (x: number | null, d: number) => (x === null ? "none" : formatPercent(x, "en-GB", d));
    const expected = r.cells.map((c, i) => [
      pct(c.at[vary[0]!.path]!, 0), pct(c.at[vary[1]!.path]!, 0),
      pct(c.financier.irrOfExpectedFlows, 1), pct(c.financier.medianIrr, 1), formatMillions(c.financier.expectedNpv, "SEK", "en-GB"),
      formatChance(c.financier.probLoss, "en-GB"), formatMillions(c.payer.meanNet, "SEK", "en-GB"), formatChance(c.payer.probPayForNothing, "en-GB"),
      zone.verdicts[i]!.failing.length ? zone.verdicts[i]!.failing.map((id) => NEED_LABELS[id]).join(", ") : "none",
    ]);
    // The figures differ between cells (a return cap above 20 % changes nothing: the total cap
    // binds), so a page that evaluated the wrong cell or table shows it.
    expect(new Set(expected.map((row) => row.slice(2, 8).join("|"))).size).toBeGreaterThanOrEqual(10);

    const p = await site.openPage(url, {settleTimeoutMs: 120_000});
    try {
      await p.page.locator("#sweep-speed").waitFor({timeout: 120_000});
      const speed = await p.page.locator("#sweep-speed").innerText();
      // Reported, not asserted: speed is measured by the benchmark. Printed for the test log.
      console.log(`negotiation sweep: ${speed}`);
      expect(speed).toMatch(/^15 cells on 2,000 stored trials in \d+\.\d\d s \(\d+ workers\)\.$/);
      expect(await p.page.locator("#zone-summary").innerText()).toMatch(new RegExp(`^${Math.round(zone.shareAgreed * 100)}%\\s+of the 15 combinations meet every need`));
      // The grid's figures, cell by cell, in the order of the engine's cells (first term slowest).
      const rows = await p.page.locator("#zone-table tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim())));
      expect(rows).toEqual(expected);
      const head = await p.page.locator("#zone-table thead th").evaluateAll((ths) => ths.map((th) => th.textContent!.trim()));
      expect(head.slice(0, 2)).toEqual([describePath(norrkoping, vary[0]!.path), describePath(norrkoping, vary[1]!.path)]);

      // Every other section.
      await p.page.locator("#evppi").waitFor({timeout: 120_000});
      await p.page.locator("#compare-table").waitFor({timeout: 120_000});
      await p.page.locator("#design-table").waitFor({timeout: 120_000});
      expect(await p.page.locator("#design-table tbody tr").count()).toBe(4);
      const compare = await p.page.locator("#compare-table").innerText();
      expect(compare).toMatch(/Norrköping 2016 \(this page\)/);
      expect(compare).toMatch(/Peterborough 2010/);
      await p.page.waitForTimeout(500);
      await p.screenshot("negotiation");
      expect(p.errors).toEqual([]);
      expect(p.externalRequests).toEqual([]);
      expect(await p.page.locator(".observablehq--error").count()).toBe(0);
      expect(await p.page.locator("body").innerText()).not.toMatch(/\bNaN\b|undefined/);

      // The link now carries the grid the page shows.
      expect(decodeURIComponent(await p.page.evaluate("location.hash"))).toMatch(/&vary=contract\.rules\[savings\]\.share=0\.2:1:5&vary=contract\.rules\[return\]\.cap\.ofCapital=0:0\.4:3$/);

      // A bad entry is named next to the inputs, and the last grid stays.
      const steps = p.page.getByLabel("steps").first();
      await steps.fill("1");
      await steps.dispatchEvent("input");
      await expect.poll(() => p.page.locator(".input-error").first().innerText(), {timeout: 10_000}).toMatch(/Term down the side: steps must be a whole number from 2 to 41/);
      expect(await p.page.locator("#zone-summary").innerText()).toMatch(/of the 15 combinations/);
      expect(await p.page.locator("body").innerText()).not.toMatch(/\bNaN\b/);
    } finally {
      await p.close();
    }
  }, 240_000);

  test("Peterborough (pounds, no savings rule) from a link: terms of its own, no NaN, no errors", async () => {
    const peterborough = read("peterborough-2010.json");
    // No grid in the link: the page picks Peterborough's own terms (its first two), 21 steps each.
    const url = await negotiationLink(site, {scenario: peterborough, trials: 2000, seed: 3}, []);
    const p = await site.openPage(url, {settleTimeoutMs: 120_000});
    try {
      await p.page.locator("#sweep-speed").waitFor({timeout: 120_000});
      await p.page.locator("#evppi").waitFor({timeout: 120_000});
      await p.page.locator("#compare-table").waitFor({timeout: 120_000});
      const line = await p.page.locator(".scenario-line").innerText();
      expect(line).toMatch(/Peterborough 2010 · 2,000 trials · seed 3/);
      expect(await p.page.locator("#sweep-speed").innerText()).toMatch(/^441 cells on 2,000 stored trials/);
      // Its terms are its own rules' (no savings share to fall back on).
      expect(await p.page.locator("#zone-chart").innerText()).toMatch(/cohort|pooled/i);
      await p.page.waitForTimeout(300);
      await p.screenshot("negotiation-peterborough");
      await expectCleanPage(p);
    } finally {
      await p.close();
    }
  }, 240_000);
});
