/**
 * Child process for test/engine/memory.test.ts: runs Norrköping at the given trials as the CLI's
 * `run` does (params "used") after a warm-up run, and prints the growth of the peak resident
 * memory over the warmed-up process and the estimate (models/summary/limits.ts), in bytes.
 */
import { readFileSync } from "node:fs";
import { contractShape, estimateRunBytes, parseScenario, runScenario, compile } from "../../models/index.js";

const trials = Number(process.argv[2]);
const parsed = parseScenario(JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8")));
if (!parsed.ok) throw new Error("scenario");
runScenario(parsed.scenario, { trials: 2000, seed: 2, params: "used" }); // compiles the engine's code first
const before = process.memoryUsage().rss;
const model = compile(parsed.scenario);
const estimate = estimateRunBytes(model, contractShape(model, parsed.scenario.contract), trials, false, "used");
const run = runScenario(parsed.scenario, { trials, seed: 1, params: "used" });
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ growth: peak - before, estimate, trials: run.summary.trials }));
