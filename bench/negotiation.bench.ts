/**
 * `npm run bench`, third part: the Negotiation page's 21 × 21 sweep of contract terms on 10,000
 * stored trials (Norrköping: savings share × return cap, 0–100 % each), in Chromium, on a fresh build.
 *
 * Prints (does not assert), medians of interleaved runs:
 * - in Node, one thread: the sweep (the CLI's `utfall sweep` without its start-up), one
 *   10,000-trial run (`runScenario`: simulate, evaluate, summarize) and one re-evaluation of the
 *   contract on the 10,000 stored trials (`evaluateContract`); goal: the sweep within 4 × the run;
 * - the sweep in the browser on a pool of 1 worker and on one worker per core, simulation
 *   (once, handed to the workers) included, as a ratio to the Node sweep of the same run.
 * Goal: under 2 s in the browser.
 * - the Negotiation page opened on the built-in scenario until every section shows its result
 *   (reported: what a user waits for; not one of issue 11's goals).
 *
 * UTFALL_REUSE_DIST=1 skips the build when dist/ exists (as for the browser tests).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSite, DIST, ROOT, startSite } from "../test/browser/harness.ts";
import { compile, evaluateContract, parseScenario, runScenario, simulateOutcomes, sweep } from "../models/index.ts";

const RUNS = 3;
const fmt = (x: number, digits = 2) => x.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const scenario = JSON.parse(readFileSync(join(ROOT, "data/scenarios/norrkoping-2016.json"), "utf8"));
const values = Array.from({ length: 21 }, (_, i) => +(i / 20).toPrecision(12));
const vary = [
  { path: "contract.rules[savings].share", values },
  { path: "contract.rules[return].cap.ofCapital", values },
];
const cells = values.length ** 2;

// The yardstick: one thread in Node, as the CLI runs it, interleaved with one run and one re-evaluation.
const parsed = parseScenario(scenario);
if (!parsed.ok) throw new Error("norrkoping-2016.json does not parse");
const model = compile(parsed.scenario);
const stored = simulateOutcomes(model, { trials: 10_000, seed: 1 });
const node: number[] = [], run: number[] = [], reeval: number[] = [];
const time = (f: () => unknown) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};
for (let i = 0; i < RUNS; i++) {
  run.push(time(() => runScenario(parsed.scenario, { trials: 10_000, seed: 1 })));
  node.push(time(() => sweep(scenario, vary, { trials: 10_000, seed: 1 })));
  for (let k = 0; k < 5; k++) reeval.push(time(() => evaluateContract(model, stored)));
}

buildSite();
const site = await startSite();
const p = await site.openPage("/methods");
const module = readdirSync(join(DIST, "_import/components")).find((f) => /^analysis\.[0-9a-f]+\.js$/.test(f));
const worker = readdirSync(join(DIST, "_import/components")).find((f) => /^analysis-worker\.[0-9a-f]+\.js$/.test(f));
if (!module || !worker) throw new Error("built analysis modules not found in dist/_import/components");
const cores = await p.page.evaluate("navigator.hardwareConcurrency");
const browser: Record<number, number[]> = {};
for (const workers of [1, Number(cores)]) {
  browser[workers] = [];
  for (let i = 0; i < RUNS; i++) {
    // A string, so tsx leaves the dynamic import alone.
    const ms = await p.page.evaluate(`import("/_import/components/${module}").then((m) => m.sweepInWorkers(new URL("/_import/components/${worker}", location.href).href, "bench", {scenario: ${JSON.stringify(scenario)}, vary: ${JSON.stringify(vary)}, trials: 10000, seed: 1, workers: ${workers}})).then((r) => r.elapsedMs)`);
    browser[workers]!.push(ms as number);
  }
}
await p.close();
// The page as a user opens it: the built-in scenario's 21 × 21 sweep and every analysis on its
// default trials, from the request until the last section's result is shown (each load a fresh page).
const SECTIONS = ["#zone-table", "#break-even-table", "#design-table", "#tornado", "#who-wins", "#evppi", "#compare-table"];
const pageLoads: number[] = [];
for (let i = 0; i < 2; i++) {
  const t0 = performance.now();
  const page = await site.openPage("/negotiation", { settleTimeoutMs: 300_000 });
  for (const selector of SECTIONS) await page.page.locator(selector).first().waitFor({ timeout: 300_000 });
  pageLoads.push(performance.now() - t0);
  await page.close();
}
await site.close();

const nodeMs = median(node), runMs = median(run), evalMs = median(reeval);
const load = (await import("node:os")).loadavg().map((x) => fmt(x, 1)).join(", ");
console.log(`\nNegotiation sweep: ${cells} cells (21 × 21) on 10 000 trials, Norrköping, seed 1; ${cores} logical cores; load average ${load}`);
console.log(`  Node, one thread (yardstick):  ${fmt(nodeMs / 1000)} s   ${fmt(cells / (nodeMs / 1000), 0)} cells/s   ${fmt(nodeMs / runMs)} × one 10,000-trial run (${fmt(runMs / 1000)} s; goal: at most 4 ×)   (runs: ${node.map((x) => fmt(x / 1000)).join(", ")} s)`);
console.log(`  evaluateContract on 10,000 stored trials: ${fmt(evalMs, 1)} ms   ${fmt(evalMs / runMs, 3)} × the run`);
for (const [w, ms] of Object.entries(browser)) {
  const m = median(ms);
  console.log(`  Chromium, ${w} worker${w === "1" ? " " : "s"}:          ${fmt(m / 1000)} s   ${fmt(cells / (m / 1000), 0)} cells/s   ${fmt(m / nodeMs)} × the yardstick   (runs: ${ms.map((x) => fmt(x / 1000)).join(", ")} s)`);
}
console.log(`  goal: under 2 s in the browser`);
console.log(`  the Negotiation page opened on the built-in scenario, every section's result shown: ${pageLoads.map((x) => fmt(x / 1000, 1)).join(", ")} s (the sweep, then ${SECTIONS.length - 1} analyses one after another on one worker)`);
