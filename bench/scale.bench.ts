/**
 * Scale (issue 11 goal 6): a 6,000-child Norrköping cohort against the 60-child one at the same
 * trials, simulation only, interleaved and as a ratio of medians (absolute times move with the
 * machine's load). The large cohort is sampled in aggregate (models/cohort/aggregate.ts), the
 * small one child by child; the past group is scaled with the cohort in the second line.
 */
import { readFileSync } from "node:fs";
import { compile, parseScenario, simulateOutcomes } from "../models/index.js";

const file = "data/scenarios/norrkoping-2016.json";
function model(size: number, past?: number) {
  const raw = JSON.parse(readFileSync(file, "utf8"));
  raw.population.cohorts[0].size = size;
  if (past !== undefined) raw.measurement.comparator.cohort.size = past;
  const parsed = parseScenario(raw);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join("\n"));
  return compile(parsed.scenario);
}
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const TRIALS = 10_000, ROUNDS = 5;
const models = { small: model(60), large: model(6000), largePast: model(6000, 6100) };
for (const m of Object.values(models)) simulateOutcomes(m, { trials: 500, seed: 9 }); // warm-up
const times: Record<keyof typeof models, number[]> = { small: [], large: [], largePast: [] };
for (let r = 0; r < ROUNDS; r++)
  for (const [k, m] of Object.entries(models) as [keyof typeof models, ReturnType<typeof model>][]) {
    const t = cpuMs();
    simulateOutcomes(m, { trials: TRIALS, seed: r + 1 });
    times[k].push(cpuMs() - t);
  }
const fmt = (x: number, d = 0) => x.toLocaleString("en-GB", { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`scale: Norrköping simulation, ${fmt(TRIALS)} trials, CPU time, median of ${ROUNDS} interleaved rounds`);
console.log(`  cohort of 60 (child by child):              ${fmt(median(times.small))} ms`);
console.log(`  cohort of 6,000 (in aggregate):             ${fmt(median(times.large))} ms  = ${fmt(median(times.large) / median(times.small), 2)} × the 60-child run (goal: at most 3 ×)`);
console.log(`  cohort of 6,000 and a past group of 6,100:  ${fmt(median(times.largePast))} ms  = ${fmt(median(times.largePast) / median(times.small), 2)} ×`);
