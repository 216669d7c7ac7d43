/**
 * `npm run bench`, second part: how the scenario explorer feels, in Chromium, on a fresh build.
 *
 * Prints (does not assert), for the Norrköping scenario at 10,000 trials:
 * - the time from an input change to redrawn charts (debounce, worker run, drawing), median of 5;
 * - the longest main-thread task meanwhile (PerformanceObserver "longtask" entries, which
 *   Chromium reports from 50 ms), and the largest event-loop lag seen by a 10 ms interval.
 * Goals: under 1 s, and under 50 ms (no long task at all).
 *
 * UTFALL_REUSE_DIST=1 skips the build when dist/ exists (as for the browser tests).
 */
import { buildSite, startSite } from "../test/browser/harness.ts";

const RUNS = 5;
const fmt = (x: number, digits = 0) => x.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Sample {
  /** Input event → both charts show the new result, and a frame has been painted. */
  totalMs: number;
  /** The worker's own time for the run (simulation, contract, summary, fan charts). */
  workerMs: number;
  /** Input event → run started (the debounce). */
  startMs: number;
  /** Run started → result on the main thread (worker start-up, the run, the transfer). */
  wallMs: number;
  /** Result on the main thread → charts redrawn and painted. */
  drawMs: number;
  longestTaskMs: number;
  longTasks: number;
  maxLagMs: number;
}

/**
 * Runs in the page. Plain JavaScript in a string: tsx would otherwise add helpers (`__name`)
 * that do not exist in the page.
 */
const MEASURE = `async (value, burst) => {
  const status = document.querySelector(".explorer-status");
  const before = Number(status.dataset.run);
  const longTasks = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({type: "longtask"});
  let last = performance.now();
  let maxLag = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    maxLag = Math.max(maxLag, now - last - 10);
    last = now;
  }, 10);

  const input = document.querySelector('[data-path="contract.rules[1].share"] input[name="value"]');
  // A burst is typing: changes 60 ms apart; the time counts from the last one.
  for (let k = burst; k > 0; k--) {
    input.value = String(+(value - k / 1000).toFixed(3));
    input.dispatchEvent(new Event("input", {bubbles: true}));
    await new Promise((wait) => setTimeout(wait, 60));
  }
  const t0 = performance.now();
  input.value = String(value);
  input.dispatchEvent(new Event("input", {bubbles: true}));
  await new Promise((done) => {
    (function check() {
      const charts = [...document.querySelectorAll(".explorer-chart")];
      const redrawn = charts.length === 2 && charts.every((c) => Number(c.dataset.run) > before && c.querySelector("svg"));
      if (redrawn) done(); else requestAnimationFrame(check);
    })();
  });
  await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted, 0)));
  const t1 = performance.now();
  await new Promise((settle) => setTimeout(settle, 300)); // long-task entries arrive late
  clearInterval(probe);
  observer.disconnect();
  return {
    totalMs: t1 - t0,
    workerMs: Number(status.dataset.elapsedMs),
    startMs: Number(status.dataset.startedAt) - t0,
    wallMs: Number(status.dataset.resultAt) - Number(status.dataset.startedAt),
    drawMs: t1 - Number(status.dataset.resultAt),
    longestTaskMs: Math.max(0, ...longTasks),
    longTasks: longTasks.length,
    maxLagMs: Math.max(0, maxLag)
  };
}`;

buildSite();
const site = await startSite();
try {
  const p = await site.openPage("/explorer", { settleTimeoutMs: 60_000 });
  const { page } = p;
  await page.waitForFunction(() => document.querySelector(".explorer-status")?.getAttribute("data-phase") === "idle", null, { timeout: 60_000 });
  const trials = await page.evaluate(() => document.querySelector(".explorer-status")!.textContent);

  // One change per sample: the savings share 0.61, 0.62, … so every change is a new scenario.
  const measure = async (burst: number, offset: number) => {
    const out: Sample[] = [];
    for (let i = 0; i <= RUNS; i++) {
      await page.waitForTimeout(400); // a quiet spell between samples
      const sample = (await page.evaluate(`(${MEASURE})(${+(offset + i / 100).toFixed(2)}, ${burst})`)) as Sample;
      if (i > 0) out.push(sample); // the first change warms up the page's code paths
    }
    return out;
  };
  const samples = await measure(0, 0.61);
  const typed = await measure(3, 0.71);
  if (p.errors.length) console.error("page errors:", p.errors);

  const totals = samples.map((s) => s.totalMs);
  const workers = samples.map((s) => s.workerMs);
  const longest = Math.max(...samples.map((s) => s.longestTaskMs));
  const longCount = samples.reduce((a, s) => a + s.longTasks, 0);
  const lag = Math.max(...samples.map((s) => s.maxLagMs));
  console.log("");
  console.log(`utfall explorer benchmark — Chromium headless, /explorer on the built site, Norrköping (${trials?.replace(/\s+/g, " ").trim()})`);
  console.log("");
  console.log(`input change → charts redrawn, 10,000 trials: ${fmt(median(totals))} ms median of ${samples.length} (${totals.map((t) => fmt(t)).join(", ")})  goal < 1,000 ms`);
  const med = (k: keyof Sample) => fmt(median(samples.map((s) => s[k])));
  console.log(`  input → run starts (at once after a quiet spell): ${med("startMs")} ms median`);
  console.log(`  run starts → result on the main thread:      ${med("wallMs")} ms median, of which the worker computes ${fmt(median(workers))} ms (the rest: starting the worker, loading the engine, posting the result)`);
  console.log(`  result → charts redrawn and painted:         ${med("drawMs")} ms median`);
  const typedTotals = typed.map((s) => s.totalMs);
  console.log(`while typing (3 changes 60 ms apart, then the last): last change → charts ${fmt(median(typedTotals))} ms median (${typedTotals.map((t) => fmt(t)).join(", ")}), of which the 250 ms pause`);
  samples.push(...typed);
  console.log(`longest main-thread task meanwhile:           ${longCount === 0 ? "none of 50 ms or more (Chromium reports long tasks from 50 ms)" : `${fmt(longest)} ms (${longCount} long tasks in ${samples.length} changes)`}  goal < 50 ms`);
  console.log(`largest event-loop lag (10 ms interval):      ${fmt(lag)} ms`);
} finally {
  await site.close();
}
