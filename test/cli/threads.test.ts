/**
 * Issue 11, goal 3: `--threads N` splits a run's trial blocks over worker threads
 * (cli/threads.ts, cli/worker.ts). The witness for every figure is the run on one thread, which
 * is simulateOutcomes itself (models/simulate.ts) with no worker: a trial's numbers depend only
 * on (seed, trial) (docs/random-streams.md), so any N must give the same bytes. Runs `main`
 * in-process (cli/main.ts); the workers load the TypeScript sources through tsx, and one case
 * runs bin/utfall.js, whose workers are the bundle itself.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main.js";
import { MAX_THREADS, MIN_BLOCKS_FOR_WORKERS, simulateThreaded, WorkerFailed } from "../../cli/threads.js";
import { compile, parseScenario, simulateOutcomes, type OutcomeTable, type Scenario } from "../../models/index.js";

// main's calls to simulateThreaded are wrapped: counted, their workers made to fail
// (cli/threads.ts's test-only `failWorkers`), and workers started from 2 blocks instead of
// MIN_BLOCKS_FOR_WORKERS (8), so that small runs exercise them; with `workersOnly` this thread
// takes no block (a worker starting through tsx may otherwise find every block taken).
const hooks = vi.hoisted(() => ({ failWorkers: false, workersOnly: false, calls: 0, minBlocks: 2 as number | undefined }));
vi.mock("../../cli/threads.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../cli/threads.js")>();
  return {
    ...real,
    simulateThreaded: (...args: Parameters<typeof real.simulateThreaded>) => {
      hooks.calls++;
      return real.simulateThreaded(args[0], args[1], args[2], { minBlocks: hooks.minBlocks, workersOnly: hooks.workersOnly, ...args[3], failWorkers: hooks.failWorkers || args[3].failWorkers });
    },
  };
});

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const NORRKOPING = join(root, "data/scenarios/norrkoping-2016.json");
const ESSEX = join(root, "data/scenarios/essex-2013.json");
/** Three blocks of 1,000, the last one half full. */
const TRIALS = "2500";

const tmp = mkdtempSync(join(tmpdir(), "utfall-threads-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Result {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI's `main` with argv; stderr is a terminal when `tty`, so progress is shown. */
async function cli(argv: string[], tty = false): Promise<Result> {
  let stdout = "", stderr = "";
  const out = { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream;
  const err = { isTTY: tty, write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WriteStream;
  const status = await main(argv, out, err);
  return { status, stdout, stderr };
}

function scenarioOf(file: string): Scenario {
  const parsed = parseScenario(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.ok) throw new Error("invalid scenario");
  return parsed.scenario;
}

/** Every column of a table, as bytes in a fixed order. */
function columnsOf(t: OutcomeTable): [string, Buffer][] {
  const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const named: [string, ArrayBufferView][] = [
    ["treated", t.treated],
    ["counterfactual", t.counterfactual],
    ["comparator", t.comparator],
    ["delivered", t.delivered],
    ["discountRate", t.discountRate],
    ["avoidedByYear", t.avoidedByYear],
    ["avoidedPV", t.avoidedPV],
    ["societyBenefitPV", t.societyBenefitPV],
    ...[...t.params].map(([k, v]): [string, ArrayBufferView] => [`params ${k}`, v]),
  ];
  return named.map(([k, v]) => [k, Buffer.from(bytes(v))]);
}

describe("--threads gives byte-identical output for any N", () => {
  for (const [name, file, ext] of [["Norrköping", NORRKOPING, "csv"], ["Essex", ESSEX, "json"]] as const) {
    it(`${name}: --json and --out trials.${ext} are the same bytes for N = 1, 2 (the worker alone), 3 (this thread and two workers)`, async () => {
      const runs = [];
      for (const n of ["1", "2", "3"]) {
        const out = join(tmp, `${name}-${n}.${ext}`);
        hooks.workersOnly = n === "2";
        const r = await cli(["run", file, "--trials", TRIALS, "--seed", "7", "--json", "--out", out, "--threads", n]).finally(() => (hooks.workersOnly = false));
        expect(r.status, r.stderr).toBe(0);
        expect(r.stderr).toBe("");
        runs.push({ stdout: r.stdout, file: readFileSync(out) });
      }
      expect(JSON.parse(runs[0]!.stdout).trials).toBe(2500);
      for (const r of runs.slice(1)) {
        expect(r.stdout).toBe(runs[0]!.stdout);
        expect(r.file.equals(runs[0]!.file)).toBe(true);
      }
    });
  }

  it("the table the workers fill alone (this thread taking no block) is the one-thread table, column by column", async () => {
    const scenario = scenarioOf(NORRKOPING);
    const model = compile(scenario);
    const simulation = { trials: 2500, seed: 3 };
    const alone = simulateOutcomes(model, simulation);
    const threaded = await simulateThreaded(scenario, model, simulation, { threads: 3, workersOnly: true });
    expect(threaded.treated.buffer).toBeInstanceOf(SharedArrayBuffer);
    const a = columnsOf(alone), b = columnsOf(threaded);
    expect(b.map(([k]) => k)).toEqual(a.map(([k]) => k));
    for (let i = 0; i < a.length; i++) expect(b[i]![1].equals(a[i]![1]), a[i]![0]).toBe(true);
    // Not a table of zeros: every trial has a discount rate and (Norrköping) avoided costs.
    expect(threaded.discountRate.every((r) => r !== 0)).toBe(true);
  });

  it("--threads 1, and a run of fewer than MIN_BLOCKS_FOR_WORKERS blocks, start no worker: an ordinary table", async () => {
    const scenario = scenarioOf(NORRKOPING);
    const model = compile(scenario);
    hooks.minBlocks = undefined; // the default threshold
    try {
      const one = await simulateThreaded(scenario, model, { trials: 2500, seed: 1 }, { threads: 1, minBlocks: 2 });
      const small = await simulateThreaded(scenario, model, { trials: (MIN_BLOCKS_FOR_WORKERS - 1) * 1000, seed: 1 }, { threads: 2 });
      const more = await simulateThreaded(scenario, model, { trials: 2500, seed: 1 }, { threads: 2, minBlocks: 2 });
      expect(one.treated.buffer).toBeInstanceOf(ArrayBuffer);
      expect(small.treated.buffer).toBeInstanceOf(ArrayBuffer);
      expect(more.treated.buffer).toBeInstanceOf(SharedArrayBuffer);
    } finally {
      hooks.minBlocks = 2;
    }
  });

  it("compare gives the same bytes on 1 and 2 threads (the worker alone)", async () => {
    const a = await cli(["compare", NORRKOPING, ESSEX, "--trials", TRIALS, "--json", "--threads", "1"]);
    hooks.workersOnly = true;
    const b = await cli(["compare", NORRKOPING, ESSEX, "--trials", TRIALS, "--json", "--threads", "2"]).finally(() => (hooks.workersOnly = false));
    expect(a.status, a.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it("run --risk-split (its second run of trials/20 parameter draws × 20) gives the same bytes on 1 and 2 threads (the worker alone)", async () => {
    const a = await cli(["run", NORRKOPING, "--trials", TRIALS, "--risk-split", "--json", "--threads", "1"]);
    hooks.workersOnly = true;
    const b = await cli(["run", NORRKOPING, "--trials", TRIALS, "--risk-split", "--json", "--threads", "2"]).finally(() => (hooks.workersOnly = false));
    expect(a.status, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).riskSplit.groups).toBe(125); // 2500 / 20
    expect(b.stdout).toBe(a.stdout);
  });

  it("with a terminal, progress is shown on stderr up to 100 % and stdout is unchanged", async () => {
    const plain = await cli(["run", NORRKOPING, "--trials", TRIALS, "--json", "--threads", "1"]);
    hooks.workersOnly = true; // every block's progress comes from a worker's message
    const shown = await cli(["run", NORRKOPING, "--trials", TRIALS, "--json", "--threads", "2"], true).finally(() => (hooks.workersOnly = false));
    expect(shown.status).toBe(0);
    expect(shown.stdout).toBe(plain.stdout);
    const pct = [...shown.stderr.matchAll(/simulating… (\d+) % \(([\d,]+) of 2,500 trials\)/g)].map((m) => Number(m[1]));
    expect(pct.length).toBeGreaterThan(1);
    expect(pct.at(-1)).toBe(100);
    for (let i = 1; i < pct.length; i++) expect(pct[i]!).toBeGreaterThanOrEqual(pct[i - 1]!);
    expect(shown.stderr.endsWith("\r\x1b[K")).toBe(true); // the line is cleared at the end
  });
});

describe("--threads is checked", () => {
  it.each(["0", "-1", "1.5", "abc", "", String(MAX_THREADS + 1), "1e1"])("%j: exit 2 naming --threads and what is allowed", async (value) => {
    const r = await cli(["run", NORRKOPING, "--trials", "10", "--threads", value]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`--threads: must be a whole number from 1 to ${MAX_THREADS}, got ${JSON.stringify(value)}`);
  });

  it("with no value it says what it needs; 64 itself is allowed", async () => {
    expect((await cli(["run", NORRKOPING, "--threads"])).stderr).toContain("--threads: needs a value: a whole number from 1 to 64");
    expect((await cli(["run", NORRKOPING, "--trials", "10", "--threads", "64"])).status).toBe(0);
  });

  it("belongs to run, compare and sweep: validate refuses it", async () => {
    expect((await cli(["validate", NORRKOPING, "--threads", "2"])).status).toBe(2);
    // sweep splits its cells over the threads (cli/sweep.ts; test/analysis/sweepThreads.test.ts).
    const s = await cli(["sweep", NORRKOPING, "--vary", "contract.rules[savings].share=0.4:0.6:2", "--threads", "x"]);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain("--threads");
  });
});

describe("failures", () => {
  it("an exception in a worker: exit 1 with its message, no output, no hang", async () => {
    hooks.failWorkers = true;
    try {
      const r = await cli(["run", NORRKOPING, "--trials", TRIALS, "--json", "--threads", "2"]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("utfall: a worker thread failed: Error: failing on purpose, as the test asked");
    } finally {
      hooks.failWorkers = false;
    }
  });

  it("simulateThreaded rejects with WorkerFailed when every worker fails, this thread taking no block", async () => {
    const scenario = scenarioOf(NORRKOPING);
    const run = simulateThreaded(scenario, compile(scenario), { trials: 2500, seed: 1 }, { threads: 3, workersOnly: true, failWorkers: true });
    await expect(run).rejects.toBeInstanceOf(WorkerFailed);
  });

  it("an oversized run is refused by the 4 GiB estimate before any worker starts", async () => {
    const before = hooks.calls;
    const r = await cli(["run", NORRKOPING, "--trials", "10000000", "--threads", "2", "--json"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/10000000 trials would need about [\d.]+ GiB of memory .* more than the limit of 4\.00 GiB/);
    expect(hooks.calls).toBe(before); // simulateThreaded was never called
  });
});

describe("the shipped command", () => {
  it("node bin/utfall.js --threads 2 (workers from the bundle) prints what main prints on one thread", async () => {
    // 8,500 trials: 9 blocks, enough for the command's own threshold (MIN_BLOCKS_FOR_WORKERS).
    const trials = String(MIN_BLOCKS_FOR_WORKERS * 1000 + 500);
    const inProcess = await cli(["run", NORRKOPING, "--trials", trials, "--json", "--threads", "1"]);
    const r = spawnSync(process.execPath, ["bin/utfall.js", "run", NORRKOPING, "--trials", trials, "--json", "--threads", "2"], { cwd: root, encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(inProcess.stdout);
  });
});
