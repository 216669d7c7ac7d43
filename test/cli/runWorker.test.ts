/**
 * Issue 12, items 2 and 3, on the pages: the run worker (src/components/run-worker.ts) turns a
 * refused run into {type: "invalid", problems} naming the field, which the pages show as a
 * message, instead of throwing. The worker is loaded in Node with a stand-in for its `self`.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const norrkoping = () => JSON.parse(readFileSync(join(root, "data/scenarios/norrkoping-2016.json"), "utf8"));

const posted: { type: string; problems?: { path: string; message: string }[] }[] = [];
const worker = { onmessage: null as null | ((e: { data: unknown }) => void), postMessage: (m: never) => posted.push(m) };

beforeAll(async () => {
  (globalThis as { self?: unknown }).self = worker;
  await import("../../src/components/run-worker.js");
});

describe("the run worker reports a refused run as a problem", () => {
  it("10,000,000 Norrköping trials with the flows kept: the memory estimate and the 4 GiB limit", () => {
    posted.length = 0;
    worker.onmessage!({ data: { scenario: norrkoping(), trials: 10_000_000, seed: 1 } });
    expect(posted).toHaveLength(1);
    expect(posted[0]!.type).toBe("invalid");
    expect(posted[0]!.problems![0]!.path).toBe("simulation.trials");
    expect(posted[0]!.problems![0]!.message).toMatch(/10000000 trials would need about \d+\.\d+ GiB of memory .* more than the limit of 4\.00 GiB; use at most \d+ trials/);
  });

  it("a cost per day of 1e308 is refused by the schema, naming the field", () => {
    posted.length = 0;
    const s = norrkoping();
    s.outcomes[0].states[0].costPerDay = 1e308;
    worker.onmessage!({ data: { scenario: s, trials: 50, seed: 1 } });
    expect(posted.map((m) => m.type)).toEqual(["invalid"]);
    expect(posted[0]!.problems!.map((p) => p.path)).toContain("outcomes[0].states[0].costPerDay");
  });

  it("a small valid run still gives a result", () => {
    posted.length = 0;
    worker.onmessage!({ data: { scenario: norrkoping(), trials: 100, seed: 1 } });
    expect(posted.at(-1)!.type).toBe("result");
  });
});
