// What each reader sees on the party pages and the briefing (issue 13, items 4, 5, 12, 14):
// the briefing's words on other scenarios, an edited scenario flagged with what changed, the
// printout's stamp. The skip link, text alternatives for charts, axe-core's serious and critical
// findings and the 390 px checks are in pages.test.ts, on its load of each page.
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {DIST, ROOT, startSite, textOf, type OpenedPage, type Site} from "./harness.ts";

let site: Site;
let stateModule: string;
/** One page of the site kept open for the file, in which the site's own state module encodes fragments. */
let encoder: OpenedPage;
const scenario = (name: string) => JSON.parse(readFileSync(join(ROOT, "data/scenarios", `${name}.json`), "utf8"));
// Few trials: these tests read words and structure, not figures.
const TRIALS = 500;

beforeAll(async () => {
  site = await startSite({shared: true});
  stateModule = readdirSync(join(DIST, "_import/components")).find((f) => /^state\.[0-9a-f]+\.js$/.test(f))!;
  encoder = await site.openPage("/methods");
});
afterAll(async () => {
  await encoder?.close();
  await site?.close();
});

/** The `s=…` fragment for a scenario, encoded by the site's own state module in the browser. */
async function fragmentFor(sc: unknown, trials = TRIALS, seed = 1): Promise<string> {
  // A string, so the test runner's transform leaves the dynamic import alone.
  return await encoder.page.evaluate(`import("/_import/components/${stateModule}").then((m) => m.encodeState(${JSON.stringify({scenario: sc, trials, seed})}))`);
}

async function open(path: string, ready: string, width = 1280): Promise<OpenedPage> {
  const p = await site.openPage(path, {settleTimeoutMs: 180_000});
  await p.page.setViewportSize({width, height: 900});
  await p.page.waitForSelector(ready, {timeout: 180_000});
  return p;
}

// The loads are independent pages, run a few at a time (the browser project's maxConcurrency,
// vitest.config.ts).
describe.concurrent("Politikerunderlag on other scenarios (item 4)", {timeout: 300_000}, () => {
  for (const name of ["peterborough-2010", "essex-2013"]) {
    test(`${name}: the scenario's words and currency, no figure it cannot support`, async ({expect}) => {
      const p = await open(`/politiker#${await fragmentFor(scenario(name))}`, "#most");
      try {
        const text = await textOf(p);
        const svgText = (await p.page.locator("main svg").allTextContents()).join(" ");
        expect(p.errors).toEqual([]);
        expect(text + svgText).not.toMatch(/\bNaN\b|undefined|Norrköping/);
        // One currency wording: "pund", never the code.
        expect(text + svgText).not.toMatch(/\bGBP\b|\bkr\b/);
        expect(text).toContain("pund");
        if (name === "peterborough-2010") {
          // Peterborough counts no avoided costs (its scenario gives no cost per reconviction):
          // no chance of saving, no placements, no children.
          expect(text).not.toContain("Chans att kommunen sparar mer än den betalar");
          expect(await p.page.locator("#any-payment").count()).toBe(1);
          expect(text + svgText).not.toMatch(/placering|barn och familj/i);
          expect(svgText).toContain("räknas inte i scenariot");
          expect(text).toMatch(/Antalet återfall i brott (minskar|ökar) med ungefär/);
        } else {
          // Essex counts care costs avoided, so the chance of saving is shown.
          expect(await p.page.locator("#saves").count()).toBe(1);
          expect(text).toMatch(/Tiden i placering \(antalet vårddygn\) (minskar|ökar) med ungefär/);
        }
      } finally {
        await p.close();
      }
    });
  }
});

describe.concurrent("an edited scenario is flagged (item 5)", {timeout: 300_000}, () => {
  const edited = scenario("norrkoping-2016");
  edited.population.cohorts[0].size = 200;
  let fragment: string;
  beforeAll(async () => {
    fragment = await fragmentFor(edited);
  });

  for (const page of ["financier", "payer", "society"]) {
    test(`${page}: "edited from Norrköping 2016" and the changed field`, async ({expect}) => {
      const p = await open(`/${page}#${fragment}`, "p.scenario-line");
      try {
        expect(await textOf(p, "p.scenario-line")).toContain("edited from Norrköping 2016");
        // Norrköping's cohort is "Team Nystart 2016" of 60 children (the shipped scenario file).
        expect(await textOf(p, "p.edited-note")).toContain("Team Nystart 2016: participants: 60 → 200");
        expect(p.errors).toEqual([]);
      } finally {
        await p.close();
      }
    });
  }

  test("the briefing says ändrat från, and its printout carries the date, the check code and page numbers", async ({expect}) => {
    const p = await open(`/politiker#${fragment}`, "#most");
    try {
      expect(await textOf(p, "p.scenario-line")).toContain("ändrat från Norrköping 2016");
      expect(await textOf(p, "p.edited-note")).toContain("målgrupp › Team Nystart 2016 › antal: 60 → 200");
      const code = await textOf(p, "#check-code");
      expect(code).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
      expect(await p.page.locator(".print-stamp").isVisible()).toBe(false);
      await p.page.emulateMedia({media: "print"});
      const stamp = await textOf(p, ".print-stamp");
      expect(stamp).toContain(code);
      expect(stamp).toMatch(/Utskrivet \d{1,2} \p{L}+ \d{4} från http/u);
      // Page numbers are an @page margin box: the style sheet carries it.
      const css = await p.page.evaluate(() => [...document.styleSheets].flatMap((s) => { try { return [...s.cssRules].map((r) => r.cssText); } catch { return []; } }).join("\n"));
      expect(css).toMatch(/counter\(page\)/);
      await p.page.emulateMedia({media: "screen"});
    } finally {
      await p.close();
    }
  });

  test("the same scenario unedited is not flagged, and another seed gives another check code", async ({expect}) => {
    const a = await open(`/politiker#${await fragmentFor(scenario("norrkoping-2016"))}`, "#most");
    let codeA: string;
    try {
      expect(await a.page.locator("p.edited-note").count()).toBe(0);
      expect(await textOf(a, "p.scenario-line")).not.toContain("ändrat");
      codeA = await textOf(a, "#check-code");
    } finally {
      await a.close();
    }
    const b = await open(`/politiker#${await fragmentFor(scenario("norrkoping-2016"), TRIALS, 2)}`, "#most");
    try {
      expect(await textOf(b, "#check-code")).not.toBe(codeA);
    } finally {
      await b.close();
    }
  });
});

describe.concurrent("exceedance curves, percentiles and Monte Carlo errors (items 15, 19)", {timeout: 300_000}, () => {
  const plain = (t: string) => t.replace(/[\u00a0\u202f]/g, " ");
  const number = (t: string) => Number(t.replace(/[−–]/g, "-").replace(/\s/g, "").replace(",", "."));
  test("financier: the chance of beating the hurdle ± its binomial error, an exceedance curve, P10/P50/P90", async ({expect}) => {
    const p = await open(`/financier#${await fragmentFor(scenario("norrkoping-2016"), 4000, 3)}`, "#beat-hurdle");
    try {
      // "30% ± 0.7" (English conventions on the English page): the error is √(p(1−p)/n) in
      // percentage points, here recomputed from the page's own chance of missing the hurdle and
      // n = 4,000 trials.
      const beat = await textOf(p, "#beat-hurdle");
      const m = /^([\d.]+)% ± ([\d.]+)$/.exec(beat);
      expect(m, beat).not.toBeNull();
      const missed = number((await textOf(p, "#prob-npv-below")).replace("%", "")) / 100;
      expect(number(m![1]!)).toBeCloseTo(100 * (1 - missed), 0);
      const pHat = number(m![1]!) / 100;
      expect(number(m![2]!)).toBeCloseTo(100 * Math.sqrt((pHat * (1 - pHat)) / 4000), 1);
      const label = await p.page.locator("svg[aria-label^=\"Chance the financier's return is below x\"]").getAttribute("aria-label");
      // At the hurdle, the curve's height is the chance of a negative NPV (the MIRR ranks as the NPV).
      const atHurdle = /hurdle \(([\d.]+)%\): (\d+)%/.exec(plain(label ?? ""));
      expect(atHurdle, label ?? "").not.toBeNull();
      expect(Number(atHurdle![2])).toBeCloseTo(100 * missed, -0.5);
      const rows = await p.page.locator("table.percentiles tbody tr").count();
      expect(rows).toBe(5);
      // The footnote says which error is which.
      expect(await textOf(p, "#mc-note")).toMatch(/√\(p\(1−p\)\/n\).*s\/√n/);
      expect(await textOf(p)).not.toMatch(/\bNaN\b/);
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  test("payer: the chance of paying more than y, the chance of paying the cap ± error, P10/P50/P90", async ({expect}) => {
    const p = await open(`/payer#${await fragmentFor(scenario("norrkoping-2016"), 4000, 3)}`, "table.percentiles");
    try {
      expect(await p.page.locator("svg[aria-label^=\"Chance the payer pays more than y\"]").count()).toBe(1);
      expect(await textOf(p, "#chance-cap")).toMatch(/^[\d,.]+ ?% ± [\d,.]+$/);
      // Norrköping counts avoided costs: payments, avoided, net, net discounted.
      expect(await p.page.locator("table.percentiles tbody tr").count()).toBe(4);
      expect(await textOf(p)).not.toMatch(/\bNaN\b/);
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });
});

// The accessibility checks (item 14) and the 390 px screenshots (item 12) of the party pages and
// the briefing are made on pages.test.ts's one load of each page.
