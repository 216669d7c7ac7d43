/**
 * `npm run bench`, third part: the Negotiation page's 21 × 21 sweep of contract terms on 10,000
 * stored trials (Norrköping: savings share × return cap, 0–100 % each), in Chromium, on a fresh build.
 *
 * Prints (does not assert):
 * - the sweep in the browser on a pool of 1 worker and on one worker per core (median of 3
 *   each), simulation included, and cells per second;
 * - the yardstick, measured in the same run: the same sweep in Node on one thread (the CLI's
 *   `utfall sweep`), so the browser figure can be read as a ratio.
 * Goal: under 2 s in the browser.
 *
 * UTFALL_REUSE_DIST=1 skips the build when dist/ exists (as for the browser tests).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSite, DIST, ROOT, startSite } from "../test/browser/harness.ts";
import { sweep } from "../models/index.ts";

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

// The yardstick: one thread in Node, as the CLI runs it.
const node: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  sweep(scenario, vary, { trials: 10_000, seed: 1 });
  node.push(performance.now() - t0);
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
await site.close();

const nodeMs = median(node);
console.log(`\nNegotiation sweep: ${cells} cells (21 × 21) on 10 000 trials, Norrköping, seed 1; ${cores} logical cores`);
console.log(`  Node, one thread (yardstick):  ${fmt(nodeMs / 1000)} s   ${fmt(cells / (nodeMs / 1000), 0)} cells/s`);
for (const [w, ms] of Object.entries(browser)) {
  const m = median(ms);
  console.log(`  Chromium, ${w} worker${w === "1" ? " " : "s"}:          ${fmt(m / 1000)} s   ${fmt(cells / (m / 1000), 0)} cells/s   ${fmt(m / nodeMs)} × the yardstick   (runs: ${ms.map((x) => fmt(x / 1000)).join(", ")} s)`);
}
console.log(`  goal: under 2 s in the browser`);
