/**
 * `npm run bench`: every goal of issue 11 that the engine and the CLI can be measured against,
 * each as a ratio of two things timed in the same run (the machine is shared, so absolute times
 * move 2–3× with load). The two sides of each ratio are run interleaved (A B, B A, …), several
 * times, and compared by their medians; min–max are printed beside them.
 *
 *  1. whole process, 100,000 Norrköping trials: `node bin/utfall.js run …` against the NumPy peer
 *     (bench/peer/utfall_peer.py), goal ≤ 0.5×; skipped with a message where numpy is missing;
 *  2. CLI start-up: `run … --trials 1`, beside `node -e 0`, goal < 0.5 s;
 *  3. the simulation against the generator bound: the uniforms the engine draws (drawCount in
 *     models/random/stream.ts) × a Stream's time per draw, both measured here, goal ≤ 4×;
 *  4. threads: the 100,000-trial run with `--threads 1` and `--threads <cores>` (skipped when the
 *     CLI has no --threads);
 *  5. the 21 × 21 sweep at 10,000 trials against one 10,000-trial run, start-up subtracted, goal ≤ 4×;
 *  6. scale: a 6,000-child Norrköping cohort against the 60-child one at 10,000 trials, the simulation
 *     alone in CPU time (as bench/scale.bench.ts), goal ≤ 3×; whole runScenario runs reported beside;
 *  7. memory: peak resident memory of a 1,000,000-trial CLI run, goal < 600 MB (`--no-million` skips it);
 *  8. contract re-evaluation on 10,000 stored trials (what a sweep cell or a slider pays), goal < 100 ms.
 *
 * Options: `--no-million` (or UTFALL_BENCH_NO_MILLION=1), `--repeats N` (default 3), `--only 1,3`
 * (run only those sections). A final table lists each goal, the measured figure and whether it is met.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile, evaluateContract, parseScenarioText, runScenario, simulateOutcomes, type Scenario } from "../models/index.js";
import * as streams from "../models/random/stream.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const FILE = "data/scenarios/norrkoping-2016.json";
const PEER = "bench/peer/utfall_peer.py";
const CLI = "bin/utfall.js";
const NODE = process.execPath;

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const NO_MILLION = argv.includes("--no-million") || process.env.UTFALL_BENCH_NO_MILLION === "1";
const REPEATS = Math.max(1, Number(flag("--repeats") ?? 3) || 3);
const ONLY = flag("--only")?.split(",").map(Number);
const section = (n: number) => !ONLY || ONLY.includes(n);

// --- helpers ---------------------------------------------------------------------------------

const fmt = (x: number, digits = 0) => x.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
const range = (xs: readonly number[], digits = 0, unit = "") => `${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)}${unit}`;
const sec = (ms: number) => fmt(ms / 1000, 2);

interface Proc {
  ms: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

function proc(cmd: string, args: readonly string[]): Proc {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  return { ms: performance.now() - t0, status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error ? String(r.error) : "") };
}

function ok(p: Proc, what: string): Proc {
  if (p.status !== 0) throw new Error(`${what} failed (exit ${p.status}): ${p.stderr.trim().slice(0, 400)}`);
  return p;
}

const cli = (...args: string[]) => ok(proc(NODE, [CLI, ...args]), `utfall ${args.slice(0, 2).join(" ")}`);

/**
 * Runs each side once per repeat, the order rotated every repeat so neither side always runs
 * first on a warmer or a busier machine. Each side returns its time in ms.
 */
function interleave<K extends string>(sides: Record<K, () => number>, repeats = REPEATS): Record<K, number[]> {
  const keys = Object.keys(sides) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as unknown as Record<K, number[]>;
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[(i + r) % keys.length]!;
      out[k].push(sides[k]());
    }
  }
  return out;
}

/** Ratio of medians, and the range of the per-repeat ratios (pairs run back to back). */
function ratio(a: readonly number[], b: readonly number[]): { value: number; pairs: number[] } {
  return { value: median(a) / median(b), pairs: a.map((x, i) => x / b[i]!) };
}

function line(label: string, xs: readonly number[], unit: "s" | "ms" = "s"): string {
  const v = unit === "s" ? `${sec(median(xs))} s (${range(xs.map((x) => x / 1000), 2, " s")})` : `${fmt(median(xs), 1)} ms (${range(xs, 1, " ms")})`;
  return `  ${label.padEnd(46)} ${v}`;
}

interface Row {
  goal: string;
  measured: string;
  met: boolean | null; // null: reported only, or skipped
}
const rows: Row[] = [];
const verdict = (met: boolean | null) => (met === null ? "—" : met ? "met" : "NOT met");

function heading(n: number, title: string): void {
  console.log(`\n${n}. ${title}`);
}

function skip(goal: string, why: string): void {
  console.log(`  skipped: ${why}`);
  rows.push({ goal, measured: `skipped (${why})`, met: null });
}

// --- the machine -------------------------------------------------------------------------------

const cpus = os.cpus();
const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : cpus.length;
const load = () => os.loadavg().map((x) => fmt(x, 2)).join(", ");
const python = proc("python3", ["-c", "import sys, numpy; print(sys.version.split()[0], numpy.__version__)"]);
const numpy = python.status === 0 ? python.stdout.trim().split(" ") : null;
console.log(`utfall engine benchmark (issue 11), ${new Date().toISOString()}`);
console.log(`machine: ${cores} cores, ${cpus[0]?.model ?? "unknown CPU"}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB; load average ${load()} (1, 5, 15 min)`);
console.log(`Node ${process.version}; ${numpy ? `Python ${numpy[0]}, NumPy ${numpy[1]}` : "no python3 with numpy"}; ${REPEATS} interleaved repeats per comparison, medians (min–max)`);

const text = readFileSync(join(ROOT, FILE), "utf8");
const parsed = parseScenarioText(text);
if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
const scenario: Scenario = parsed.scenario;
const model = compile(scenario);

// The CLI bundle is rebuilt when a source is newer (bin/utfall.js): build it before timing.
cli("run", FILE, "--trials", "1", "--json");

const run100k = ["run", FILE, "--trials", "100000", "--seed", "1", "--json"];

// --- 1. whole process against the NumPy peer -----------------------------------------------------

if (section(1)) {
  heading(1, "Whole process, 100,000 Norrköping trials: the CLI against the NumPy peer (goal ≤ 0.5×)");
  const goal = "1. whole process ÷ NumPy peer, 100k trials ≤ 0.5×";
  if (!numpy) skip(goal, "python3 with numpy is not installed");
  else {
    let cliOut = "", peerOut = "";
    const t = interleave({
      cli: () => {
        const p = cli(...run100k);
        cliOut = p.stdout;
        return p.ms;
      },
      peer: () => {
        const p = ok(proc("python3", [PEER, FILE, "--trials", "100000", "--seed", "1"]), "the NumPy peer");
        peerOut = p.stdout;
        return p.ms;
      },
    });
    const r = ratio(t.cli, t.peer);
    console.log(line("node bin/utfall.js run … --trials 100000", t.cli));
    console.log(line("python3 bench/peer/utfall_peer.py … 100000", t.peer));
    console.log(`  ratio CLI ÷ peer: ${fmt(r.value, 2)}× (pairs ${range(r.pairs, 2, "×")})`);
    // A glance at agreement (test/bench/peer.test.ts checks it within Monte Carlo error).
    const e = JSON.parse(cliOut), q = JSON.parse(peerOut);
    console.log(
      `  same figures? financier's chance of loss ${fmt(e.investor.probLoss, 4)} vs ${fmt(q.investor.probLoss, 4)}; mean net ${fmt(e.investor.profit.mean / 1e6, 3)} vs ${fmt(q.investor.profit.mean / 1e6, 3)} MSEK; society ${fmt(e.society.npv.mean / 1e6, 2)} vs ${fmt(q.society.npv.mean / 1e6, 2)} MSEK`,
    );
    rows.push({ goal, measured: `${fmt(r.value, 2)}× (${range(r.pairs, 2, "×")})`, met: r.value <= 0.5 });
  }
}

// --- 2. start-up ---------------------------------------------------------------------------------

if (section(2)) {
  heading(2, "CLI start-up: run … --trials 1 (goal < 0.5 s), beside node -e 0");
  const t = interleave(
    {
      cli: () => cli("run", FILE, "--trials", "1", "--json").ms,
      node: () => ok(proc(NODE, ["-e", "0"]), "node -e 0").ms,
    },
    Math.max(5, REPEATS),
  );
  const startupMedian = median(t.cli);
  console.log(line("node bin/utfall.js run … --trials 1", t.cli));
  console.log(line("node -e 0", t.node));
  console.log(`  start-up beyond Node's own: ${sec(startupMedian - median(t.node))} s`);
  rows.push({ goal: "1. CLI start-up (run --trials 1) < 0.5 s", measured: `${sec(startupMedian)} s (node -e 0: ${sec(median(t.node))} s)`, met: startupMedian < 500 });
}

// --- 3. the generator bound -----------------------------------------------------------------------

if (section(3)) {
  heading(3, "Simulation against the generator bound: draws used × time per draw (goal ≤ 4×)");
  const goal = "2. simulation ÷ generator bound ≤ 4×";
  const { drawCount, resetDrawCount, Stream } = streams as Partial<typeof streams>;
  if (typeof drawCount !== "function" || typeof resetDrawCount !== "function" || !Stream) skip(goal, "models/random/stream.ts has no drawCount()");
  else if (typeof new Stream().next !== "function") skip(goal, "a Stream has no next() to time");
  else {
    const SIM = 20_000, DRAWS = 20_000_000;
    simulateOutcomes(model, { trials: 2000, seed: 99 }); // warm the JIT up
    let draws = 0, sink = 0;
    const t = interleave(
      {
        sim: () => {
          resetDrawCount();
          const t0 = performance.now();
          simulateOutcomes(model, { trials: SIM, seed: 1 });
          const ms = performance.now() - t0;
          draws = drawCount();
          return ms;
        },
        gen: () => {
          const s = new Stream();
          s.reset(streams.seedKey(1), 0, streams.Purpose.untreated, 0);
          const next = s.next;
          const t0 = performance.now();
          let acc = 0;
          for (let i = 0; i < DRAWS; i++) acc += next();
          const ms = performance.now() - t0;
          sink += acc;
          return ms;
        },
      },
      Math.max(5, REPEATS),
    );
    const nsPerDraw = (median(t.gen) * 1e6) / DRAWS;
    const boundMs = (draws * nsPerDraw) / 1e6;
    const r = ratio(t.sim, t.gen.map((g) => (g / DRAWS) * draws));
    console.log(line(`simulateOutcomes, ${fmt(SIM)} trials`, t.sim, "ms"));
    console.log(`  draws: ${fmt(draws)} uniforms, ${fmt(draws / SIM, 1)} per trial (drawCount)`);
    console.log(`  a Stream's next: ${fmt(nsPerDraw, 2)} ns a draw (${range(t.gen.map((g) => (g * 1e6) / DRAWS), 2, " ns")}), ${fmt(DRAWS)} draws a repeat`);
    if (sink === -1) console.log(""); // keeps the timed loop's sum alive
    console.log(`  generator bound ${fmt(boundMs, 1)} ms; simulation ÷ bound: ${fmt(r.value, 1)}× (pairs ${range(r.pairs, 1, "×")})`);
    rows.push({ goal, measured: `${fmt(r.value, 1)}× (${range(r.pairs, 1, "×")}); ${fmt(draws / SIM, 0)} draws a trial, ${fmt(nsPerDraw, 2)} ns a draw`, met: r.value <= 4 });
  }
}

// --- 4. threads ---------------------------------------------------------------------------------

if (section(4)) {
  heading(4, `Threads: 100,000 trials with --threads 1 and --threads ${cores}`);
  const goal = `3. speed-up --threads ${cores} over --threads 1 (report)`;
  const probe = proc(NODE, [CLI, "run", FILE, "--trials", "1", "--threads", "1", "--json"]);
  if (probe.status === 2) skip(goal, "this CLI has no --threads");
  else {
    ok(probe, "utfall run --threads 1");
    const outs = new Map<string, string>();
    const t = interleave({
      one: () => {
        const p = cli(...run100k, "--threads", "1");
        outs.set("one", p.stdout);
        return p.ms;
      },
      all: () => {
        const p = cli(...run100k, "--threads", String(cores));
        outs.set("all", p.stdout);
        return p.ms;
      },
    });
    const r = ratio(t.one, t.all);
    console.log(line("--threads 1", t.one));
    console.log(line(`--threads ${cores}`, t.all));
    const same = outs.get("one") === outs.get("all");
    console.log(`  speed-up: ${fmt(r.value, 2)}× (pairs ${range(r.pairs, 2, "×")}); output byte-identical: ${same ? "yes" : "NO"}`);
    rows.push({ goal, measured: `${fmt(r.value, 2)}× (${range(r.pairs, 2, "×")}), identical output: ${same ? "yes" : "NO"}`, met: same ? null : false });
  }
}

// --- 5. sweep ---------------------------------------------------------------------------------

if (section(5)) {
  heading(5, "Sweep 21 × 21 of two contract terms at 10,000 trials against one 10,000-trial run, start-up subtracted (goal ≤ 4×)");
  const goal = "4. sweep 21×21 ÷ one run, 10k trials ≤ 4×";
  const vary = ["--vary", "contract.rules[savings].share=0.3:0.9:21", "--vary", "contract.rules[return].cap.ofCapital=0:0.4:21"];
  const t = interleave({
    sweep: () => cli("sweep", FILE, ...vary, "--trials", "10000", "--seed", "1", "--json").ms,
    run: () => cli("run", FILE, "--trials", "10000", "--seed", "1", "--json").ms,
    startup: () => cli("run", FILE, "--trials", "1", "--json").ms,
  });
  const start = median(t.startup);
  const net = (xs: number[]) => xs.map((x, i) => Math.max(1, x - t.startup[i]!));
  const r = ratio(net(t.sweep), net(t.run));
  console.log(line("utfall sweep 21×21, 10,000 trials", t.sweep));
  console.log(line("utfall run, 10,000 trials", t.run));
  console.log(line("utfall run, 1 trial (start-up)", t.startup));
  console.log(`  (sweep − start-up) ÷ (run − start-up): ${fmt(r.value, 1)}× (pairs ${range(r.pairs, 1, "×")}); ${fmt((median(t.sweep) - start) / 441, 1)} ms a cell`);
  rows.push({ goal, measured: `${fmt(r.value, 1)}× (${range(r.pairs, 1, "×")})`, met: r.value <= 4 });
}

// --- 6. scale ---------------------------------------------------------------------------------

if (section(6)) {
  // The simulation alone, as bench/scale.bench.ts measures it: the goal's figure. runScenario
  // (the contract, the summary and the figures on top, the same for both sizes) is printed beside
  // it, as it dilutes the cohort's share.
  const BIG = 6000, SMALL = scenario.population.cohorts[0]!.size, TRIALS = 10_000, ROUNDS = Math.max(REPEATS, 5);
  heading(6, `Scale: a ${fmt(BIG)}-child Norrköping cohort against the ${SMALL}-child one, ${fmt(TRIALS)} trials, CPU time in-process (goal ≤ 3×)`);
  const raw = JSON.parse(text);
  raw.population.cohorts[0].size = BIG;
  const big = parseScenarioText(JSON.stringify(raw));
  if (!big.ok) throw new Error(big.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  const bigModel = compile(big.scenario);
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const timed = (f: () => unknown) => () => {
    const t0 = cpuMs();
    f();
    return cpuMs() - t0;
  };
  for (const m of [bigModel, model]) simulateOutcomes(m, { trials: 500, seed: 99 }); // warm up
  const sim = interleave(
    {
      big: timed(() => simulateOutcomes(bigModel, { trials: TRIALS, seed: 1 })),
      small: timed(() => simulateOutcomes(model, { trials: TRIALS, seed: 1 })),
    },
    ROUNDS,
  );
  const r = ratio(sim.big, sim.small);
  console.log(line(`simulateOutcomes, ${fmt(BIG)} children (in aggregate)`, sim.big, "ms"));
  console.log(line(`simulateOutcomes, ${SMALL} children (child by child)`, sim.small, "ms"));
  console.log(`  ratio: ${fmt(r.value, 2)}× for ${fmt(BIG / SMALL)}× the children (pairs ${range(r.pairs, 2, "×")})`);
  rows.push({ goal: `6. ${fmt(BIG)}-child cohort ÷ ${SMALL}-child, simulation, same trials ≤ 3×`, measured: `${fmt(r.value, 2)}× (${range(r.pairs, 2, "×")})`, met: r.value <= 3 });
  const whole = interleave({
    big: timed(() => runScenario(big.scenario, { trials: TRIALS, seed: 1 })),
    small: timed(() => runScenario(scenario, { trials: TRIALS, seed: 1 })),
  });
  const w = ratio(whole.big, whole.small);
  console.log(line(`runScenario, ${fmt(BIG)} children`, whole.big, "ms"));
  console.log(line(`runScenario, ${SMALL} children`, whole.small, "ms"));
  console.log(`  ratio of whole runs (contract and summary included, reported only): ${fmt(w.value, 2)}× (pairs ${range(w.pairs, 2, "×")})`);
  rows.push({ goal: `6. the same, runScenario (contract and summary too)`, measured: `${fmt(w.value, 2)}× (${range(w.pairs, 2, "×")})`, met: null });
}

// --- 7. memory ---------------------------------------------------------------------------------

if (section(7)) {
  heading(7, "Memory: peak resident memory of a 1,000,000-trial CLI run (goal < 600 MB)");
  const goal = "6. 1,000,000 trials' peak resident memory < 600 MB";
  if (NO_MILLION) skip(goal, "--no-million");
  else {
    // A preloaded module reports the process's peak resident memory (all its threads) at exit.
    const dir = mkdtempSync(join(os.tmpdir(), "utfall-bench-"));
    try {
      const hook = join(dir, "maxrss.mjs");
      writeFileSync(hook, `import { writeSync } from "node:fs";\nprocess.on("exit", () => writeSync(2, "\\nutfall-bench-maxrss-kb=" + process.resourceUsage().maxRSS + "\\n"));\n`);
      const p = ok(proc(NODE, ["--import", new URL(`file://${hook}`).href, CLI, "run", FILE, "--trials", "1000000", "--seed", "1", "--json"]), "utfall run --trials 1000000");
      const kb = Number(/utfall-bench-maxrss-kb=(\d+)/.exec(p.stderr)?.[1]);
      const mb = (kb * 1024) / 1e6;
      console.log(`  ${sec(p.ms)} s, peak resident memory ${fmt(mb)} MB`);
      rows.push({ goal, measured: `${fmt(mb)} MB (${sec(p.ms)} s)`, met: mb < 600 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

// --- 8. contract re-evaluation -------------------------------------------------------------------

if (section(8)) {
  heading(8, "Contract re-evaluation on 10,000 stored trials (goal < 100 ms)");
  const stored = simulateOutcomes(model, { trials: 10_000, seed: 1 });
  for (let i = 0; i < 3; i++) evaluateContract(model, stored); // warm up
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    evaluateContract(model, stored);
    times.push(performance.now() - t0);
  }
  console.log(line("evaluateContract, 10,000 trials (15 runs)", times, "ms"));
  rows.push({ goal: "5. contract re-evaluation, 10k stored trials < 100 ms", measured: `${fmt(median(times), 1)} ms (${range(times, 1, " ms")})`, met: median(times) < 100 });
}

// --- the table ---------------------------------------------------------------------------------

console.log(`\nSummary (load average now ${load()}); goals by issue 11's numbering`);
const w = Math.max(...rows.map((r) => r.goal.length));
const m = Math.max(...rows.map((r) => r.measured.length));
console.log(`  ${"goal".padEnd(w)}  ${"measured".padEnd(m)}  verdict`);
for (const r of rows) console.log(`  ${r.goal.padEnd(w)}  ${r.measured.padEnd(m)}  ${verdict(r.met)}`);
