// The Negotiation page's "Suggest terms" section in a real browser: loaded with a small run in
// the link, the search started by its button, its verdict equals the engine's designContract in
// Node for the same terms, needs, trials and seed (the page's defaults), and a screenshot of it.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {DIST, ROOT, startSite, textOf, type Site} from "./harness.ts";
import {designContract} from "../../models/analysis/designer.js";
import {DEFAULT_NEEDS} from "../../models/index.js";
import {formatNumber} from "../../models/format.js";

let site: Site;
beforeAll(async () => {
  site = await startSite({shared: true});
});
afterAll(async () => {
  await site?.close();
});

const norrkoping = JSON.parse(readFileSync(join(ROOT, "data/scenarios/norrkoping-2016.json"), "utf8"));

describe("Suggest terms", () => {
  test("the page's search gives the engine's answer, and draws it", async () => {
    const trials = 600, seed = 1;
    const stateModule = readdirSync(join(DIST, "_import/components")).find((f) => /^state\.[0-9a-f]+\.js$/.test(f));
    const start = await site.openPage("/methods");
    const fragment = await start.page.evaluate(`import("/_import/components/${stateModule}").then((m) => m.encodeState(${JSON.stringify({scenario: norrkoping, trials, seed})}))`);
    await start.close();
    // A 3 × 3 grid in the link, so the page's sweep (which runs before any analysis) is short.
    const grid = ["contract.rules[savings].share=0:1:3", "contract.rules[return].cap.ofCapital=0:0.4:3"].map((g) => "&vary=" + encodeURIComponent(g)).join("");
    const p = await site.openPage(`/negotiation#${fragment}${grid}`);
    try {
      await p.page.getByRole("button", {name: "Suggest terms"}).click();
      // The search waits its turn behind the page's other analyses (one at a time, after the sweep).
      await p.page.waitForSelector("#designer-result", {timeout: 540_000});
      const shown = await textOf(p, "#designer-result");
      // The same search in Node: the page's three default terms and ranges, the default needs.
      const free = [
        {path: "contract.rules[savings].share", min: 0, max: 1},
        {path: "contract.rules[return].cap.ofCapital", min: 0, max: 0.5},
        {path: "contract.rules[activity].amount.ofCapital", min: 0, max: 1.5},
      ];
      const r = designContract(norrkoping, free, DEFAULT_NEEDS, {trials, seed});
      const n = (x: number) => formatNumber(x, "en-GB").replace(/[\u00a0\u202f]/g, " ");
      expect(shown).toContain(`${n(r.acceptable)} of the ${n(r.evaluations.distinct)} contracts evaluated meet every need`);
      expect(r.front.length).toBeGreaterThan(0); // with activity up to 150 %, contracts exist (README)
      await p.page.waitForSelector("#designer-front svg", {timeout: 60_000});
      // Each drawn point is a link into the explorer.
      const links = await p.page.locator("#designer-front a").count();
      expect(links).toBe(Math.min(40, r.front.length));
      await p.page.locator("#designer-front").scrollIntoViewIfNeeded();
      await p.page.locator("#designer-front").screenshot({path: join(ROOT, "test/screenshots/negotiation-designer.png")});
      expect(p.errors).toEqual([]);
      expect(p.externalRequests).toEqual([]);
    } finally {
      await p.close();
    }
  }, 600_000);
});
