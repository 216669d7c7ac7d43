/**
 * The command line as a user runs it, with pipes (not a terminal) for stdout and stderr. The
 * contract is docs/design.md's "Public surface".
 *
 * Most tests call the CLI's `main` in this process (test/helpers/cli.ts), which is what
 * bin/utfall.js runs; a few end-to-end tests ("the real command") start `node bin/utfall.js` to
 * check a process's exit code and output, and that it prints byte for byte what `main` prints.
 * A run several tests look at is made once.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readAsExcel, records } from "../helpers/excel.js";
import { cli, ROOT as root, utfallProcess, type CliResult as Result } from "../helpers/cli.js";

const NORRKOPING = "data/scenarios/norrkoping-2016.json";
const TRIALS = "1000";

const cache = new Map<string, Promise<Result>>();

/** Runs the CLI once per distinct argument list (a run is deterministic, so results are shared). */
function utfall(...args: string[]): Promise<Result> {
  const key = JSON.stringify(args);
  let r = cache.get(key);
  if (!r) cache.set(key, (r = cli(...args)));
  return r;
}

const runJson = (...extra: string[]) => utfall("run", NORRKOPING, "--trials", TRIALS, "--json", ...extra);

// --- Scenario files with one thing wrong ----------------------------------------------------

const tmp = mkdtempSync(join(tmpdir(), "utfall-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const norrkoping = () => JSON.parse(readFileSync(join(root, NORRKOPING), "utf8")) as Record<string, any>;

/** Writes the Norrköping scenario, changed by `mutate`, to a temporary file; returns its path. */
function mutated(name: string, mutate: (s: Record<string, any>) => void): string {
  const s = norrkoping();
  mutate(s);
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(s, null, 2));
  return file;
}

// --- The JSON summary --------------------------------------------------------------------------

const DIST_KEYS = ["mean", "p5", "p25", "p50", "p75", "p95"];

function expectDist(d: unknown, name: string): void {
  expect(d, name).toBeTypeOf("object");
  expect(d, name).not.toBeNull();
  for (const k of DIST_KEYS) {
    const v = (d as Record<string, unknown>)[k];
    expect(Number.isFinite(v), `${name}.${k} = ${v}`).toBe(true);
  }
  const q = d as { p5: number; p25: number; p50: number; p75: number; p95: number };
  expect(q.p5 <= q.p25 && q.p25 <= q.p50 && q.p50 <= q.p75 && q.p75 <= q.p95, `${name} percentiles in order`).toBe(true);
}

function expectProbability(p: unknown, name: string): void {
  expect(typeof p, name).toBe("number");
  expect(p as number, name).toBeGreaterThanOrEqual(0);
  expect(p as number, name).toBeLessThanOrEqual(1);
}

describe.concurrent("utfall run --json", { timeout: 60_000 }, () => {
  it("exits 0 and prints exactly one JSON object on stdout, and nothing on stderr", async () => {
    const r = await runJson("--seed", "1");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith("}\n")).toBe(true);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const summary = JSON.parse(r.stdout);
    expect(summary).toBeTypeOf("object");
    expect(Array.isArray(summary)).toBe(false);
  });

  it("has every field docs/design.md names, with finite numbers and probabilities in [0, 1]", async () => {
    const s = JSON.parse((await runJson("--seed", "1")).stdout);
    expect(s.scenario).toBe("Norrköping 2016");
    expect(s.trials).toBe(1000);
    expect(s.seed).toBe(1);
    for (const k of ["irr", "multiple", "profit"]) expectDist(s.investor[k], `investor.${k}`);
    for (const k of ["probLoss", "probTotalLoss"]) expectProbability(s.investor[k], `investor.${k}`);
    for (const k of ["payments", "avoidedCosts", "net"]) expectDist(s.payer[k], `payer.${k}`);
    expectProbability(s.payer.probNetCost, "payer.probNetCost");
    expectDist(s.society.npv, "society.npv");
    expectProbability(s.society.chanceBenefitsExceedCosts, "society.chanceBenefitsExceedCosts");
    for (const k of ["probAnyPayment", "probPayForNothing", "probMissedSuccess"]) expectProbability(s.contract[k], `contract.${k}`);
  });

  it("never prints NaN or Infinity", async () => {
    const { stdout } = await runJson("--seed", "1");
    expect(stdout).not.toMatch(/NaN|Infinity/);
  });

  it("prints byte-identical output for the same seed, also when run again in the same process", async () => {
    const once = (await runJson("--seed", "1")).stdout;
    // Not from the cache: a second run in this process must not see state the first one left.
    const again = (await cli("run", NORRKOPING, "--trials", TRIALS, "--json", "--seed", "1")).stdout;
    expect(again).toBe(once);
  });

  it("prints different numbers for another seed", async () => {
    const one = JSON.parse((await runJson("--seed", "1")).stdout);
    const two = JSON.parse((await runJson("--seed", "2")).stdout);
    expect(two.seed).toBe(2);
    expect(two.payer.avoidedCosts.mean).not.toBe(one.payer.avoidedCosts.mean);
    expect(two.society.npv).not.toEqual(one.society.npv);
  });

  it("treats --seed 1 and --seed=1 as the same seed", async () => {
    expect((await runJson("--seed=1")).stdout).toBe((await runJson("--seed", "1")).stdout);
  });

  it("uses the scenario's seed when --seed is not given (the Norrköping file says 1)", async () => {
    expect((await runJson()).stdout).toBe((await runJson("--seed", "1")).stdout);
  });

  it("accepts a word as a seed and reports it as given", async () => {
    const r = await runJson("--seed", "kommun");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).seed).toBe("kommun");
  });

  it("accepts --trials with digits grouped by underscores", async () => {
    const r = await utfall("run", NORRKOPING, "--trials", "1_000", "--json", "--seed", "1");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe((await runJson("--seed", "1")).stdout);
  });
});

describe.concurrent("utfall run --risk-split", { timeout: 120_000 }, () => {
  it("adds riskSplit: two shares that add to one with their error, for each output, and leaves the rest of the summary as it was", async () => {
    const r = await runJson("--seed", "1", "--risk-split");
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.riskSplit.groups).toBe(50); // 1,000 trials ÷ 20 per group
    expect(s.riskSplit.perGroup).toBe(20);
    for (const k of ["financierNpv", "payerNetPV", "payForNothing"]) {
      const v = s.riskSplit[k];
      expectProbability(v.chance, `riskSplit.${k}.chance`);
      expect(v.chance + v.ignorance, k).toBeCloseTo(1, 12);
      expect(v.se, k).toBeGreaterThan(0);
      expect(v.se, k).toBeLessThan(0.25);
    }
    const { riskSplit, ...rest } = s;
    expect(JSON.stringify(rest) + "\n").toBe((await runJson("--seed", "1")).stdout);
  });

  it("prints the split under the table, and refuses --csv and other commands with exit 2", async () => {
    // The table's wording only: 200 trials (10 groups) show it as well as 1,000.
    const table = await utfall("run", NORRKOPING, "--trials", "200", "--seed", "1", "--risk-split");
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/Where the risk comes from/);
    expect(table.stdout).toMatch(/Financier's NPV/);
    const csv = await utfall("run", NORRKOPING, "--trials", TRIALS, "--csv", "--risk-split");
    expect(csv.status).toBe(2);
    expect(csv.stderr).toMatch(/--risk-split/);
    const validate = await utfall("validate", NORRKOPING, "--risk-split");
    expect(validate.status).toBe(2);
    expect(validate.stderr).toMatch(/--risk-split belongs to the run command/);
  });
});

describe.concurrent("utfall run (table)", { timeout: 60_000 }, () => {
  const table = () => utfall("run", NORRKOPING, "--trials", TRIALS, "--seed", "1");

  it("exits 0 with nothing on stderr (no progress output when stderr is not a terminal)", async () => {
    const r = await table();
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("writes kronor the Swedish way: digits grouped by a no-break space, then ' kr'", async () => {
    const { stdout } = await table();
    // e.g. "12 000 000 kr" with U+00A0 between the groups and before "kr".
    expect(stdout).toMatch(/\d{1,3}(?:\u00a0\d{3})+\u00a0kr/);
    expect(stdout).toMatch(/\d+,\d\u00a0%/); // percentages with a decimal comma
  });

  it("names the scenario and never prints NaN", async () => {
    const { stdout } = await table();
    expect(stdout).toContain("Norrköping 2016");
    expect(stdout).not.toMatch(/NaN|Infinity|undefined/);
  });
});

// --- Bad input: exit 2 and a helpful line on stderr ---------------------------------------------

/** Asserts exit code 2, nothing on stdout, and a stderr line matching each pattern. */
function expectBadInput(r: Result, ...patterns: (string | RegExp)[]): void {
  expect(r.stdout).toBe("");
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/internal error|NaN|at .*\.ts:\d+/);
  for (const p of patterns) expect(r.stderr).toMatch(p);
}

describe.concurrent("utfall: unreadable input exits 2", { timeout: 60_000 }, () => {
  it("a missing file", async () => {
    expectBadInput(await utfall("run", "no/such/scenario.json"), /^no\/such\/scenario\.json: cannot read: no such file$/m);
  });

  it("a directory", async () => {
    expectBadInput(await utfall("run", "data/scenarios"), /^data\/scenarios: cannot read: is a directory$/m);
  });

  it("invalid JSON, with what is wrong", async () => {
    const file = join(tmp, "truncated.json");
    writeFileSync(file, '{"name": "x", ');
    expectBadInput(await utfall("run", file), file, /invalid JSON/);
    const comma = join(tmp, "trailing-comma.json");
    writeFileSync(comma, '{"name": "x",}');
    expectBadInput(await utfall("validate", comma), /invalid JSON: .*(position|line|column)/i);
  });
});

describe.concurrent("utfall: schema violations exit 2 and name the field", { timeout: 60_000 }, () => {
  it("cohort size 0 names population.cohorts[0].size and the allowed range", async () => {
    const file = mutated("size-zero", (s) => (s.population.cohorts[0].size = 0));
    expectBadInput(await utfall("run", file, "--trials", TRIALS), `${file}: population.cohorts[0].size: must be a whole number from 1 to 100000`);
  });

  it("a published baseline above 1 for a binary outcome (a chance per participant) names the field (issue 17, bug 8)", async () => {
    const file = mutated("binary-baseline", (s) => (s.measurement.comparator = { kind: "historical", baseline: { "placement.cost": 1335000, school: 1.5 } }));
    expectBadInput(await utfall("validate", file), `${file}: measurement.comparator.baseline.school: is a chance per participant: must be from 0 to 1, got 1.5`);
  });

  it("a historical comparator needs exactly one of a past group and a published baseline", async () => {
    const file = mutated("both-baselines", (s) => (s.measurement.comparator.baseline = { "placement.cost": 1335000 }));
    expectBadInput(await utfall("validate", file), /measurement\.comparator: needs exactly one of `cohort`/);
  });

  it("an unknown field is named", async () => {
    const top = mutated("unknown-top", (s) => (s.colour = "red"));
    expectBadInput(await utfall("validate", top), /unknown field "colour"/);
    const nested = mutated("unknown-nested", (s) => (s.contract.rules[1].sharee = 0.5));
    expectBadInput(await utfall("validate", nested), /contract\.rules\[1\]: unknown field "sharee"/);
  });

  it("a transition to an unknown state names outcomes[0].transitions[k].to and the states that exist", async () => {
    const file = mutated("unknown-state", (s) => (s.outcomes[0].transitions[2].to = "prison"));
    expectBadInput(
      await utfall("validate", file),
      `${file}: outcomes[0].transitions[2].to: unknown state "prison"; states are hvb, sis, family, home`,
    );
  });

  it("a range with p5 > p95", async () => {
    const file = mutated("p5-above-p95", (s) => (s.outcomes[0].states[0].costPerDay = { p5: 5000, p95: 2000 }));
    expectBadInput(await utfall("validate", file), `${file}: outcomes[0].states[0].costPerDay: p5 must be less than p95`);
  });

  it("an unknown distribution name names the field and lists the distributions allowed", async () => {
    const file = mutated("gamma", (s) => (s.outcomes[1].baseline = { dist: "gamma", shape: 2, scale: 0.3 }));
    expectBadInput(await utfall("validate", file), /outcomes\[1\]\.baseline: .*normal, lognormal, beta, uniform, triangular, pert/);
  });

  it("a probability above 1", async () => {
    const file = mutated("prob", (s) => (s.outcomes[0].transitions[0].perPeriod = { value: 1.5 }));
    expectBadInput(await utfall("validate", file), "outcomes[0].transitions[0].perPeriod: must be a number from 0 to 1, got 1.5");
  });

  it("a share of capital on a per-cohort rule with several cohorts: valid, with a warning naming the field", async () => {
    const file = mutated("cohorts", (s) => (s.population.cohorts = [0, 1, 2].map((k) => ({ size: 20, startPeriod: k }))));
    const r = await utfall("validate", file);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("valid");
    expect(r.stderr).toContain(`${file}: warning: contract.rules[0].amount: {ofCapital: 0.4} on a rule applied to each of 3 cohorts`);
    expect(r.stderr).toContain("contract.rules[1].cap");
    const explicit = mutated("cohorts-explicit", (s) => {
      s.population.cohorts = [0, 1, 2].map((k) => ({ size: 20, startPeriod: k }));
      for (const rule of s.contract.rules) for (const k of ["amount", "cap"]) if (rule[k]?.ofCapital !== undefined) rule[k].per = "contract";
    });
    expect((await utfall("validate", explicit)).stderr).toBe("");
  });

  it("a per-cohort share of a contract-wide amount", async () => {
    const file = mutated("per", (s) => (s.contract.totalCap.per = "cohort"));
    expectBadInput(await utfall("validate", file), /contract\.totalCap\.per: "cohort" applies only to the amounts of a rule/);
  });

  it("drawdown shares that do not sum to 1", async () => {
    const file = mutated("drawdown", (s) => (s.contract.drawdown[0].share = 0.5));
    expectBadInput(await utfall("validate", file), "contract.drawdown: shares must sum to 1, got 1.375");
  });
});

// Messages that once named the field but then said something wrong or unhelpful
// (models/scenario/parse.ts before zod's reportInput and discriminator options were used).
describe.concurrent("utfall: schema messages say what was given and what is allowed", { timeout: 60_000 }, () => {
  it("an unknown distribution name is quoted back, without 'undefined'", async () => {
    const file = mutated("gamma-2", (s) => (s.outcomes[1].baseline = { dist: "gamma", shape: 2, scale: 0.3 }));
    const r = await utfall("validate", file);
    expect(r.stderr).toMatch(/unknown distribution "gamma"/);
    expect(r.stderr).not.toMatch(/undefined/);
  });

  it("a string where a number belongs says so, instead of 'is required'", async () => {
    const file = mutated("capital-string", (s) => (s.contract.capital = "10000000"));
    const r = await utfall("validate", file);
    expect(r.stderr).toMatch(/contract\.capital: expected number, got string/);
  });

  it("a fractional cohort size says a whole number is needed, instead of 'is required (int)'", async () => {
    const file = mutated("size-fraction", (s) => (s.population.cohorts[0].size = 2.5));
    const r = await utfall("validate", file);
    expect(r.stderr).toMatch(/population\.cohorts\[0\]\.size: must be a whole number from 1 to 100000/);
  });

  it("an unknown rule kind lists the kinds, instead of the forms of an uncertain number", async () => {
    const file = mutated("rule-kind", (s) => (s.contract.rules[0].kind = "bonus"));
    const r = await utfall("validate", file);
    expect(r.stderr).toMatch(/contract\.rules\[0\]\.kind: .*activity.*savingsShare/);
    expect(r.stderr).not.toMatch(/distribution|undefined/);
  });
});

describe.concurrent("utfall: bad flags and commands exit 2", { timeout: 60_000 }, () => {
  it("--trials 0", async () => {
    expectBadInput(await utfall("run", NORRKOPING, "--trials", "0"), '--trials: must be a whole number from 1 to 10000000, got "0"');
  });

  it("--trials abc", async () => {
    expectBadInput(await utfall("run", NORRKOPING, "--trials", "abc"), '--trials: must be a whole number from 1 to 10000000, got "abc"');
  });

  it("--trials 1.5 and above the maximum", async () => {
    expectBadInput(await utfall("run", NORRKOPING, "--trials", "1.5"), /--trials: must be a whole number/);
    expectBadInput(await utfall("run", NORRKOPING, "--trials", "10000001"), /--trials: must be a whole number/);
  });

  it("an empty --seed", async () => {
    expectBadInput(await utfall("run", NORRKOPING, "--seed="), "--seed: must not be empty");
  });

  it("an unknown flag is named, followed by the usage", async () => {
    expectBadInput(await utfall("run", NORRKOPING, "--bogus"), /--bogus/, /^usage:/m);
  });

  it("an unknown command is named, followed by the usage", async () => {
    expectBadInput(await utfall("simulate", NORRKOPING), /^unknown command "simulate"$/m, /utfall run <scenario\.json>/);
  });

  it("a missing command", async () => {
    expectBadInput(await utfall(), /^missing command$/m, /^usage:/m);
  });

  it("a missing scenario file argument", async () => {
    expectBadInput(await utfall("run"), /^run: missing <scenario\.json>$/m);
  });

  it("validate with run's flags", async () => {
    expectBadInput(await utfall("validate", NORRKOPING, "--json"), "validate takes no --trials, --seed or --json");
  });

});

describe.concurrent("utfall validate", { timeout: 60_000 }, () => {
  const files = readdirSync(join(root, "data/scenarios")).filter((f) => f.endsWith(".json"));

  it.each(files)("exits 0 on data/scenarios/%s with nothing on stderr", async (f) => {
    const r = await utfall("validate", `data/scenarios/${f}`);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("prints one line per problem on a bad file, each starting with the file name and a JSON path", async () => {
    const file = mutated("three-problems", (s) => {
      s.population.cohorts[0].size = 0;
      s.outcomes[0].transitions[2].to = "prison";
      s.contract.drawdown[0].share = 0.5;
    });
    const r = await utfall("validate", file);
    expectBadInput(r);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line.startsWith(`${file}: `), line).toBe(true);
      // file: path: message, the path in JSON-path form (fields, [index]) or "(scenario)".
      expect(line.slice(file.length + 2), line).toMatch(/^(\(scenario\)|[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\[\d+\]|\["[^"]*"\])*): \S/);
    }
    expect(lines.map((l) => l.slice(file.length + 2).split(": ")[0])).toEqual([
      "population.cohorts[0].size",
      "outcomes[0].transitions[2].to",
      "contract.drawdown",
    ]);
  });

  it("reports a problem in a file that is not in the current directory by the path given", async () => {
    const dir = join(tmp, "nested dir");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ ...norrkoping(), name: "" }));
    expectBadInput(await utfall("validate", file), `${file}: name: `);
  });
});

// --- Exports: --out (per-trial results), --csv (the summary), --locale ----------------------

describe.concurrent("utfall run --out and --csv", { timeout: 60_000 }, () => {
  const outDir = join(tmp, "out");
  mkdirSync(outDir, { recursive: true });

  it("--out trials.csv writes one row per trial that Swedish Excel reads, and the same summary on stdout", async () => {
    const file = join(outDir, "trials.csv");
    const r = await utfall("run", NORRKOPING, "--trials", TRIALS, "--json", "--out", file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe((await runJson()).stdout);
    const { utf8, rows } = readAsExcel(readFileSync(file, "utf8"), "sv-SE");
    expect(utf8).toBe(true);
    const table = records(rows);
    expect(table).toHaveLength(Number(TRIALS));
    const summary = JSON.parse(r.stdout);
    const payments = table.map((row) => row.payments as number);
    // The file's own numbers give the printed summary (mean and largest payment, chance of loss).
    expect(payments.reduce((a, b) => a + b, 0) / payments.length).toBeCloseTo(summary.payer.payments.mean, 3);
    expect(Math.max(...payments)).toBeCloseTo(summary.payer.maxPayments, 3);
    expect(table.filter((row) => row.loss === 1).length / table.length).toBe(summary.investor.probLoss);
  });

  it("--out trials.json writes rows with the same numbers as the CSV", async () => {
    const csvFile = join(outDir, "same.csv"), jsonFile = join(outDir, "same.json");
    const [a, b] = await Promise.all([
      utfall("run", NORRKOPING, "--trials", "300", "--out", csvFile),
      utfall("run", NORRKOPING, "--trials", "300", "--out", jsonFile),
    ]);
    expect([a.status, b.status]).toEqual([0, 0]);
    const csv = records(readAsExcel(readFileSync(csvFile, "utf8"), "sv-SE").rows);
    const json = JSON.parse(readFileSync(jsonFile, "utf8"));
    expect(json).toMatchObject({ scenario: "Norrköping 2016", trials: 300, seed: 1, currency: "SEK" });
    expect(json.rows).toHaveLength(300);
    for (const [t, row] of json.rows.entries()) {
      for (const [k, v] of Object.entries(row)) {
        if (v === null) expect(csv[t]![k]).toBeNull();
        else expect(Math.abs((csv[t]![k] as number) - (v as number))).toBeLessThanOrEqual(5e-15 * Math.abs(v as number));
      }
    }
  });

  it("pounds go out in British Excel's dialect unless --locale says otherwise", async () => {
    const gb = join(outDir, "pb-gb.csv"), sv = join(outDir, "pb-sv.csv");
    const [a, b] = await Promise.all([
      utfall("run", "data/scenarios/peterborough-2010.json", "--trials", "200", "--out", gb),
      utfall("run", "data/scenarios/peterborough-2010.json", "--trials", "200", "--out", sv, "--locale", "sv-SE"),
    ]);
    expect([a.status, b.status]).toEqual([0, 0]);
    const gbRows = readAsExcel(readFileSync(gb, "utf8"), "en-GB").rows;
    const svRows = readAsExcel(readFileSync(sv, "utf8"), "sv-SE").rows;
    expect(gbRows[0]).toContain("irr");
    expect(svRows).toEqual(gbRows);
  });

  it("--csv prints the summary for a spreadsheet, one figure a row", async () => {
    const [r, j] = await Promise.all([utfall("run", NORRKOPING, "--trials", TRIALS, "--csv"), runJson()]);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(j.stdout);
    const byFigure = new Map(readAsExcel(r.stdout, "sv-SE").rows.map((row) => [row[0], row]));
    expect(byFigure.get("payer.maxPayments")!.slice(1, 3)).toEqual(["kr", summary.payer.maxPayments]);
    expect(byFigure.get("investor.probLoss")![2]).toBe(summary.investor.probLoss);
    expect(byFigure.get("payer.payments")![3]).toBeCloseTo(summary.payer.payments.mean, 3);
  });

  it("an unknown --out extension exits 2 before simulating", async () => {
    expectBadInput(await utfall("run", NORRKOPING, "--out", join(outDir, "x.xlsx")), /--out .*x\.xlsx: unknown file type "\.xlsx"; use a name ending in \.csv or \.json/);
  });

  it("an --out in a missing directory exits 2", async () => {
    expectBadInput(await utfall("run", NORRKOPING, "--trials", "10", "--out", join(outDir, "missing", "x.csv")), /cannot write: no directory/);
  });

  it("an --out that is a directory exits 2", async () => {
    mkdirSync(join(outDir, "d.csv"), { recursive: true });
    expectBadInput(await utfall("run", NORRKOPING, "--trials", "10", "--out", join(outDir, "d.csv")), /cannot write: is a directory/);
  });

  it("a malformed --locale exits 2", async () => {
    expectBadInput(await utfall("run", NORRKOPING, "--csv", "--locale", "sv_SE!"), /--locale: must be a language tag such as sv-SE/);
  });

  it("--json and --csv together exit 2", async () => {
    expectBadInput(await utfall("run", NORRKOPING, "--json", "--csv"), /choose --json or --csv/);
  });
});

describe.concurrent("utfall compare", { timeout: 60_000 }, () => {
  const PETERBOROUGH = "data/scenarios/peterborough-2010.json";
  it("prints each scenario's key figures side by side, the same numbers `run --json` gives", async () => {
    const [cmp, a, b] = await Promise.all([
      utfall("compare", NORRKOPING, PETERBOROUGH, "--trials", TRIALS, "--json"),
      runJson(),
      utfall("run", PETERBOROUGH, "--trials", TRIALS, "--json"),
    ]);
    expect(cmp.status).toBe(0);
    const c = JSON.parse(cmp.stdout);
    expect(c.scenarios.map((s: { name: string }) => s.name)).toEqual(["Norrköping 2016", "Peterborough 2010"]);
    const row = (id: string) => c.rows.find((r: { id: string }) => r.id === id).values;
    const sa = JSON.parse(a.stdout), sb = JSON.parse(b.stdout);
    expect(row("investor.probLoss")).toEqual([sa.investor.probLoss, sb.investor.probLoss]);
    expect(row("payer.payments.mean")).toEqual([sa.payer.payments.mean, sb.payer.payments.mean]);
    const table = await utfall("compare", NORRKOPING, PETERBOROUGH, "--trials", TRIALS);
    // Norrköping's total cap: 120 % of the 7.5 MSEK planned draw (data/scenarios/norrkoping-2016.json).
    expect(table.stdout).toMatch(/Payer: most it can pay\s+9\s000\s000\skr\s+£8,000,000/);
  });

  it("needs two files, and names a bad one with exit 2", async () => {
    const one = await utfall("compare", NORRKOPING);
    expect(one.status).toBe(2);
    expect(one.stderr).toMatch(/compare: give two or more <scenario.json>/);
    const bad = await utfall("compare", NORRKOPING, "no/such.json");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no\/such.json: cannot read: no such file/);
  });
});

describe.concurrent("utfall compare --self-fund", { timeout: 60_000 }, () => {
  it("prints the contract against self-funding, the numbers `run --json` gives in payer.selfFunding", async () => {
    const [cmp, run, table] = await Promise.all([
      utfall("compare", NORRKOPING, "--self-fund", "--trials", TRIALS, "--json"),
      runJson(),
      utfall("compare", NORRKOPING, "--self-fund", "--trials", TRIALS),
    ]);
    expect(cmp.status, cmp.stderr).toBe(0);
    const c = JSON.parse(cmp.stdout);
    const sf = JSON.parse(run.stdout).payer.selfFunding;
    expect(c.scenarios[0].selfFunding).toEqual(sf);
    // The premium is the difference of the two expected costs, as documented.
    expect(sf.premium).toBeCloseTo(sf.contract.costPV.mean - sf.selfFunded.costPV.mean, 6);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^Norrköping 2016: the contract against doing it ourselves, 1\s000 trials, seed 1; the payer's money discounted at 3,5\s% a year/);
    expect(table.stdout).toMatch(/net, mean of the worst 5\s%\s+−[\d\s]+kr\s+−[\d\s]+kr/);
    expect(table.stdout).toMatch(/Premium \(contract − self-funded expected cost\): /);
    expect(table.stdout).not.toMatch(/NaN|undefined/);
  });

  it("asks for a lending rate where there is no default, and belongs to compare", async () => {
    expectBadInput(await utfall("compare", "data/scenarios/peterborough-2010.json", "--self-fund"), /^data\/scenarios\/peterborough-2010\.json: valuation\.selfFunding\.lendingRate: needed for --self-fund/m);
    expectBadInput(await utfall("run", NORRKOPING, "--self-fund"), /--self-fund belongs to the compare command/);
  });
});

describe.concurrent("utfall on every reference scenario in data/scenarios", { timeout: 60_000 }, () => {
  const files = readdirSync(join(root, "data/scenarios")).filter((f) => f.endsWith(".json")).sort();

  it.each(files)("validate %s exits 0", async (f) => {
    const r = await utfall("validate", `data/scenarios/${f}`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`data/scenarios/${f}: valid\n`);
  });

  // The command's wiring for each file (its name, the trials and seed, finite figures), not a
  // figure with a tolerance: 200 trials check it as well as more (test/properties checks that no
  // summary holds NaN; test/figures and test/witness check the figures).
  it.each(files)("run %s prints its summary", async (f) => {
    const name = JSON.parse(readFileSync(join(root, "data/scenarios", f), "utf8")).name;
    const table = await utfall("run", `data/scenarios/${f}`, "--trials", "200", "--seed", "1");
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^${name}: 200 trials, seed 1`));
    expect(table.stdout).not.toMatch(/NaN/);
    const json = JSON.parse((await utfall("run", `data/scenarios/${f}`, "--trials", "200", "--seed", "1", "--json")).stdout);
    expect(json.scenario).toBe(name);
    expect([json.trials, json.seed]).toEqual([200, 1]);
    // A chance counted over the 200 trials run: a whole number of 200ths.
    const losses = json.investor.probLoss * 200;
    expect(Math.abs(losses - Math.round(losses))).toBeLessThan(1e-9);
    expect(Number.isFinite(json.payer.payments.mean)).toBe(true);
  });
});

describe.concurrent("utfall sweep over a figure taken from the tables", { timeout: 60_000 }, () => {
  it("varies a {ref} field like any number (Norrköping's discount rate refers to the ASEK row)", async () => {
    expect(norrkoping().valuation.discountRate).toHaveProperty("ref");
    const r = await utfall("sweep", NORRKOPING, "--vary", "valuation.discountRate=0.01:0.05:3", "--trials", "300", "--json");
    expect(r.status, r.stderr).toBe(0);
    const cells = JSON.parse(r.stdout).cells;
    expect(cells.map((c: { at: Record<string, number> }) => c.at["valuation.discountRate"])).toEqual([0.01, 0.03, 0.05]);
    // A higher discount rate lowers society's net present value of the same simulated children.
    expect(cells[0].society.meanNpv).toBeGreaterThan(cells[2].society.meanNpv);
  });
});

// --- The real command: a process, its exit code and its pipes (the rest call `main` in-process) ----

describe.concurrent("the real command, node bin/utfall.js", { timeout: 120_000 }, () => {
  it("run --json exits 0 and prints exactly one JSON object on stdout, nothing on stderr, byte for byte what main prints", async () => {
    const r = await utfallProcess(["run", NORRKOPING, "--trials", TRIALS, "--json", "--seed", "1"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe((await runJson("--seed", "1")).stdout);
  });

  it('a shell\'s --seed "1" is the seed 1', async () => {
    const quoted = await utfallProcess(["run", NORRKOPING, "--trials", TRIALS, "--json", "--seed", '"1"'], { shell: true });
    expect(quoted.status).toBe(0);
    expect(quoted.stdout).toBe((await runJson("--seed", "1")).stdout);
  });

  it("an unknown command exits 2 with the usage on stderr and nothing on stdout", async () => {
    expectBadInput(await utfallProcess(["simulate", NORRKOPING]), /^unknown command "simulate"$/m, /^usage:/m);
  });

  it("--help prints the usage on stdout and exits 0", async () => {
    const r = await utfallProcess(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage:/);
    expect(r.stderr).toBe("");
  });
});
