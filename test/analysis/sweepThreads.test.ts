// `utfall sweep --threads N` (cli/sweep.ts): the cells shared out over worker threads give the
// one-thread sweep byte for byte. The witness is sweep() on this thread, which the cells'
// independence from each other (models/analysis/sweep.ts) makes the same whatever the split.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { sweep } from "../../models/index.js";
import { sweepThreaded } from "../../cli/sweep.js";
import { cli } from "../helpers/cli.js";

const load = (name: string) => JSON.parse(readFileSync(`data/scenarios/${name}`, "utf8"));

describe("sweepThreaded", () => {
  test("contract terms on one simulation: two and three threads give the one-thread grid", async () => {
    const norrkoping = load("norrkoping-2016.json");
    const vary = [
      { path: "contract.rules[savings].share", values: [0.3, 0.5, 0.7, 0.9] },
      { path: "contract.rules[return].cap.ofCapital", values: [0, 0.1, 0.3] },
    ];
    const want = JSON.stringify(sweep(norrkoping, vary, { trials: 1200, seed: 4 }));
    for (const threads of [2, 3]) {
      const got = await sweepThreaded(norrkoping, vary, { trials: 1200, seed: 4, threads, minWork: 0 });
      expect(JSON.stringify(got), `${threads} threads`).toBe(want);
    }
  }, 120_000);

  test("a field the simulation reads (each cell simulated): the same on two threads", async () => {
    const essex = load("essex-2013.json");
    const vary = [{ path: "contract.delivery.volume.p95", values: [1.2, 1.4, 1.6] }];
    const want = sweep(essex, vary, { trials: 300, seed: 2 });
    expect(want.commonOutcomes).toBe(false);
    expect(JSON.stringify(await sweepThreaded(essex, vary, { trials: 300, seed: 2, threads: 2, minWork: 0 }))).toBe(JSON.stringify(want));
  }, 120_000);

  test("the CLI's --threads: a bad value exits 2 before anything is simulated; 1 and 2 print the same", async () => {
    const args = ["sweep", "data/scenarios/norrkoping-2016.json", "--vary", "contract.rules[savings].share=0.4:0.8:3", "--trials", "300", "--json"];
    const bad = await cli(...args, "--threads", "0");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--threads: must be a whole number from 1 to 64/);
    const one = await cli(...args, "--threads", "1");
    const two = await cli(...args, "--threads", "2");
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  }, 120_000);
});
