// The link's state is checked at the edge (src/components/state.ts): unreadable, oversized,
// over-deep links and out-of-range trials are refused with a reason the page shows.
// Node has the same CompressionStream/DecompressionStream as the browsers.
import {describe, expect, test} from "vitest";
import {readFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {compile, contractShape, estimateRunBytes, MEMORY_LIMIT_BYTES, parseScenario} from "../../models/index.js";
import {decodeState, describeLinkProblem, encodeState, jsonDepth, MAX_DEPTH, MAX_SCENARIO_BYTES, readState} from "../../src/components/state.ts";

/** `levels` nested objects as JSON text: {"a":{"a":…{}…}} has depth `levels` (hand count: "{}" is 1, {"a":{}} is 2). Built as text: JSON.stringify itself overflows the stack at 10,000. */
const nested = (levels: number): string => '{"a":'.repeat(levels - 1) + "{}" + "}".repeat(levels - 1);

/** A fragment holding raw JSON text (deflated as encodeState does). */
async function fragmentOf(json: string): Promise<string> {
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return "#s=" + Buffer.from(bytes).toString("base64url");
}

describe("jsonDepth", () => {
  test("counts brackets outside strings only (hand-counted examples)", () => {
    expect(jsonDepth("1")).toBe(0);
    expect(jsonDepth("{}")).toBe(1);
    expect(jsonDepth('{"a":[{"b":"[[[{"}]}')).toBe(3); // { [ { — the four in the string do not count
    expect(jsonDepth('["\\"[[", [[]]]')).toBe(3); // an escaped quote does not end the string
    expect(jsonDepth(nested(10_000))).toBe(10_000); // no recursion, no stack overflow
  });
});

describe("readState", () => {
  test("no fragment is no reading; a good one round-trips", async () => {
    expect(await readState("")).toBeNull();
    expect(await readState("#other=1")).toBeNull();
    const state = {scenario: {name: "Ö"}, trials: 2000, seed: "x"};
    expect(await decodeState("#" + (await encodeState(state)))).toEqual(state);
  });

  test("garbage and a truncated fragment are unreadable", async () => {
    const good = "#" + (await encodeState({scenario: {name: "Norrköping", note: "x".repeat(500)}, trials: 1000, seed: 1}));
    for (const hash of ["#s=", "#s=!!!!", "#s=garbage", good.slice(0, Math.floor(good.length / 2))]) {
      expect(await readState(hash), hash).toEqual({ok: false, problem: {kind: "unreadable"}});
    }
  });

  test(`nesting deeper than ${MAX_DEPTH} is refused; exactly ${MAX_DEPTH} is read`, async () => {
    // The state object wraps the scenario: {"scenario": nested(n)} nests n + 1 deep.
    const at = (n: number) => fragmentOf(`{"scenario":${nested(n)},"trials":1000,"seed":1}`);
    expect((await readState(await at(MAX_DEPTH - 1)))?.ok).toBe(true);
    expect(await readState(await at(MAX_DEPTH))).toEqual({ok: false, problem: {kind: "too-deep"}});
    expect(await readState(await at(10_000))).toEqual({ok: false, problem: {kind: "too-deep"}});
  });

  test(`a fragment that inflates past ${MAX_SCENARIO_BYTES} bytes is refused, and inflation stops there`, async () => {
    // 50 MB of one letter in a note deflates to about 50 kB (deflate's longest match is 258 bytes
    // for a few bits), the shape of the 73 kB → 50 MB link in issue 12.
    const bomb = await fragmentOf(JSON.stringify({scenario: {name: "x", note: "a".repeat(50_000_000)}, trials: 1000, seed: 1}));
    expect(bomb.length).toBeLessThan(200_000);
    expect(await readState(bomb)).toEqual({ok: false, problem: {kind: "too-large"}});
    // Just under the limit is read.
    const under = await fragmentOf(JSON.stringify({scenario: {name: "x", note: "a".repeat(MAX_SCENARIO_BYTES - 100)}, trials: 1000, seed: 1}));
    expect((await readState(under))?.ok).toBe(true);
  });

  test("trials the schema refuses are refused with the schema's message", async () => {
    for (const trials of [2 ** 53 - 1, 0, 1.5, -3, 10_000_001, "many"]) {
      const reading = await readState(await fragmentOf(JSON.stringify({scenario: {name: "x"}, trials, seed: 1})));
      expect(reading?.ok, String(trials)).toBe(false);
      const problem = (reading as {problem: {kind: string; message?: string}}).problem;
      expect(problem.kind).toBe("trials");
      if (typeof trials === "number") expect(problem.message).toBe("must be a whole number from 1 to 10000000");
    }
    // Absent trials are the default; the top of the range is allowed.
    expect((await decodeState(await fragmentOf('{"scenario":{"name":"x"}}')))?.trials).toBe(10_000);
    expect((await decodeState(await fragmentOf('{"scenario":{"name":"x"},"trials":10000000}')))?.trials).toBe(10_000_000);
  });
});

describe("a run that would not fit in memory (issue 12, item 3) is refused at the link, on every page alike", () => {
  const norrkoping = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../data/scenarios/norrkoping-2016.json"), "utf8"));
  const parsed = parseScenario(norrkoping);
  if (!parsed.ok) throw new Error("Norrköping must parse");
  const model = compile(parsed.scenario);
  // The pages keep the cash flows by period: the estimate with keepFlows (models/summary/limits.ts).
  const perTrial = estimateRunBytes(model, contractShape(model, parsed.scenario.contract), 1, true);
  const most = Math.floor(MEMORY_LIMIT_BYTES / perTrial);

  test("the most trials that fit are read; one more is refused with the estimate, the limit and the most that fit", async () => {
    expect((await readState(await fragmentOf(JSON.stringify({scenario: norrkoping, trials: most, seed: 1}))))?.ok).toBe(true);
    const reading = await readState(await fragmentOf(JSON.stringify({scenario: norrkoping, trials: most + 1, seed: 1})));
    expect(reading).toMatchObject({ok: false, problem: {kind: "memory", trials: most + 1, bytes: (most + 1) * perTrial, limit: MEMORY_LIMIT_BYTES, most}});
    const problem = (reading as {problem: Parameters<typeof describeLinkProblem>[0]}).problem;
    expect(describeLinkProblem(problem)).toMatch(new RegExp(`^This link could not be read \\(${most + 1} trials would need about 4\\.00 GiB of memory \\(${perTrial} bytes a trial\\), more than the limit of 4\\.00 GiB; use at most ${most} trials\\); showing the built-in scenario\\.$`));
    expect(describeLinkProblem(problem, "sv")).toMatch(/^Länken kunde inte läsas \(.* utfall skulle behöva ungefär 4 GiB minne, mer än gränsen 4 GiB; högst .* utfall\); här visas det inbyggda scenariot\.$/);
  });

  test("an invalid scenario is not estimated here (the page reports its problems)", async () => {
    expect((await readState(await fragmentOf(JSON.stringify({scenario: {...norrkoping, currency: "kr"}, trials: 10_000_000, seed: 1}))))?.ok).toBe(true);
  });
});

test("the notices, in English and in Swedish (issue 12, item 6)", () => {
  expect(describeLinkProblem({kind: "unreadable"})).toBe("This link could not be read; showing the built-in scenario.");
  expect(describeLinkProblem({kind: "unreadable"}, "sv")).toBe("Länken kunde inte läsas; här visas det inbyggda scenariot.");
  expect(describeLinkProblem({kind: "too-deep"})).toMatch(/^This link could not be read \(.*64 levels.*\); showing the built-in scenario\.$/);
  expect(describeLinkProblem({kind: "too-large"}, "sv")).toMatch(/^Länken kunde inte läsas \(.*2 MB\); här visas det inbyggda scenariot\.$/);
});

describe("readScenarioFile (the explorer's file input)", async () => {
  const {readScenarioFile} = await import("../../src/components/explorer-files.ts");
  test("a 10,000-deep file and a file over the size limit are refused with a message; nothing was changed", async () => {
    const deep = await readScenarioFile(new File([`{"name":"x","note":${nested(10_000)}}`], "deep.json"));
    expect(deep).toEqual({ok: false, message: expect.stringMatching(/^deep\.json nests objects and arrays more than 64 levels deep .*Nothing was changed\.$/)});
    const big = await readScenarioFile(new File([`{"name":"x","note":"${"a".repeat(MAX_SCENARIO_BYTES)}"}`], "big.json"));
    expect(big).toEqual({ok: false, message: expect.stringMatching(/^big\.json is larger than 2 MB/)});
    expect((await readScenarioFile(new File(['{"name":"x"}'], "ok.json"))).ok).toBe(true);
  });
});
