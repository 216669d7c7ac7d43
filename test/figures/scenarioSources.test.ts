/**
 * Every scenario in data/scenarios is valid and every figure in it says where it comes from
 * (the rule is in test/helpers/sources.ts). The rule itself is shown to fail on a figure
 * stripped of its source, so a passing run means something.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parseScenario } from "../../models/index.js";
import { sourcingProblems } from "../helpers/sources.js";

const DIR = "data/scenarios";
const files = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();
const load = (f: string) => JSON.parse(readFileSync(`${DIR}/${f}`, "utf8"));

describe("reference scenarios", () => {
  test("are the five reference cases", () => {
    expect(files).toEqual(["chicago-cpc-2014.json", "essex-2013.json", "massachusetts-jj-2014.json", "norrkoping-2016.json", "peterborough-2010.json", "rikers-2012.json"]);
  });

  test.each(files)("%s is valid and every figure in it is sourced", (f) => {
    const raw = load(f);
    const parsed = parseScenario(raw);
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    expect(sourcingProblems(raw)).toEqual([]);
    // Each says what was not public and how it was filled in.
    expect(raw.description, f).toMatch(/not public/i);
  });
});

describe("sourcingProblems(scenario)", () => {
  const base = () => load("norrkoping-2016.json");

  test("finds a drawn figure whose source was removed", () => {
    const s = base();
    delete s.outcomes[0].states[0].costPerDay.source;
    expect(sourcingProblems(s)).toEqual(["outcomes[0].states[0].costPerDay: a figure the model draws has no source"]);
  });

  test("finds a drawn figure given as a bare number", () => {
    const s = base();
    s.intervention.delivered = 0.9;
    expect(sourcingProblems(s)).toContain("intervention.delivered: a figure the model draws has no source");
  });

  test("finds a contract term outside any sourced or noted object", () => {
    const s = base();
    delete s.contract.source;
    expect(sourcingProblems(s)).toContain("contract.capital: the number 10000000 has no source or note around it");
  });

  test("finds a bare 'assumption' with no note saying what was assumed", () => {
    const s = base();
    delete s.outcomes[0].note;
    expect(sourcingProblems(s)).toContain('outcomes[0].transitions[1].perPeriod.source: "assumption" says what kind, not what: add a note');
  });

  test("finds a source naming a table row that does not exist", () => {
    const s = base();
    s.outcomes[1].baseline.source += " (school/compulsory-by-99)";
    expect(sourcingProblems(s)).toEqual(["outcomes[1].baseline: names school/compulsory-by-99, which is not a table row"]);
  });
});
