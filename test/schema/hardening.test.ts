/**
 * Issue 12: inputs the schema used to accept, or report with the wrong value, now refused with
 * a message naming the field. Each case changes one thing in a shipped scenario.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenario, type Problem } from "../../models/scenario/parse.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const text = (name: string) => readFileSync(join(root, "data/scenarios", name), "utf8");
const load = (name: string) => JSON.parse(text(name)) as Record<string, any>;

function problems(json: unknown): Problem[] {
  const r = parseScenario(json);
  return r.ok ? [] : r.problems;
}

function changed(mutate: (s: Record<string, any>) => void, name = "norrkoping-2016.json"): Problem[] {
  const s = load(name);
  mutate(s);
  return problems(s);
}

describe("currency: an ISO 4217 code Intl formats (issue 12, item 1)", () => {
  it.each(["kr", "£", "EURO", "US$", "SEK ", "sek", "XYZ", ""])("%j is refused at currency, with examples and the value given", (c) => {
    const ps = changed((s) => (s.currency = c));
    expect(ps).toHaveLength(1);
    expect(ps[0]!.path).toBe("currency");
    for (const code of ["SEK", "GBP", "USD", "EUR"]) expect(ps[0]!.message).toContain(code);
    expect(ps[0]!.message).toContain(JSON.stringify(c));
  });

  it.each(["SEK", "GBP", "USD", "EUR", "NOK", "JPY"])("%s is accepted, and Intl formats it", (c) => {
    expect(changed((s) => (s.currency = c))).toEqual([]);
    expect(() => new Intl.NumberFormat("en", { style: "currency", currency: c }).format(1)).not.toThrow();
  });
});

describe("a discriminated union quotes the bad discriminator (item 10)", () => {
  it("an unknown rule kind reports the kind given, not the rule's id", () => {
    const ps = changed((s) => (s.contract.rules[0].kind = "bogus"));
    expect(ps).toHaveLength(1);
    expect(ps[0]!.path).toBe("contract.rules[0].kind");
    expect(ps[0]!.message).toContain('got "bogus"');
    expect(ps[0]!.message).not.toContain('got "activity"');
  });

  it("an unknown outcome kind likewise", () => {
    const ps = changed((s) => (s.outcomes[0].kind = "nope"));
    expect(ps[0]!.path).toBe("outcomes[0].kind");
    expect(ps[0]!.message).toContain('got "nope"');
  });
});

describe("transition rows whose chances sum above 1 are refused (item 12)", () => {
  /** Norrköping's three ways out of HVB, set to fixed chances. */
  const hvbRow = (home: unknown, family: unknown, sis: unknown) =>
    changed((s) => {
      const t = s.outcomes[0].transitions as { from: string; to: string; perPeriod: unknown }[];
      const set = (to: string, p: unknown) => (t.find((x) => x.from === "hvb" && x.to === to)!.perPeriod = p);
      set("home", home);
      set("family", family);
      set("sis", sis);
    });

  it("0.6 + 0.3 + 0.2 = 1.1 out of hvb: refused at outcomes[0].transitions, naming the state and the sum", () => {
    const ps = hvbRow(0.6, 0.3, 0.2);
    expect(ps).toHaveLength(1);
    expect(ps[0]!.path).toBe("outcomes[0].transitions");
    expect(ps[0]!.message).toContain('"hvb"');
    expect(ps[0]!.message).toContain("1.1");
  });

  it("a range counts at its central value: {p5: 0.4, p95: 0.9} is centred on √(0.4 × 0.9) = 0.6, so 0.6 + 0.3 + 0.2 = 1.1 is refused", () => {
    const ps = hvbRow({ p5: 0.4, p95: 0.9 }, 0.3, 0.2);
    expect(ps.map((p) => p.path)).toEqual(["outcomes[0].transitions"]);
    expect(ps[0]!.message).toContain("1.1");
  });

  it("0.5 + 0.3 + 0.2 = 1 exactly is allowed (staying has chance 0)", () => {
    expect(hvbRow(0.5, 0.3, 0.2)).toEqual([]);
  });
});

describe('"__proto__" keys are refused at their path, not dropped (item 12)', () => {
  it("in a placement outcome's initial shares", () => {
    const json = JSON.parse(text("norrkoping-2016.json").replace('"initial": { "hvb": 0.75', '"initial": { "__proto__": 0.5, "hvb": 0.75'));
    expect(Object.keys(json.outcomes[0].initial)).toContain("__proto__"); // JSON.parse keeps it as a key
    const ps = problems(json);
    expect(ps).toEqual([{ path: "outcomes[0].initial.__proto__", message: 'a key may not be "__proto__"' }]);
  });

  it("in a historical comparator's published baseline", () => {
    const raw = text("essex-2013.json");
    expect(raw).toContain('"baseline": { "care.careDays": 502.2 }');
    const ps = problems(JSON.parse(raw.replace('"baseline": { "care.careDays": 502.2 }', '"baseline": { "__proto__": 1, "care.careDays": 502.2 }')));
    expect(ps.map((p) => p.path)).toEqual(["measurement.comparator.baseline.__proto__"]);
  });

  it("at the top level: one problem at its path, not also an unknown field", () => {
    const json = JSON.parse(text("norrkoping-2016.json").replace(/^\{/, '{ "__proto__": { "x": 1 },'));
    expect(problems(json)).toEqual([{ path: "__proto__", message: 'a key may not be "__proto__"' }]);
  });
});

describe("offsetBy may not name its own rule or go round in a cycle (item 12)", () => {
  it("a rule offset by itself is refused at its offsetBy entry", () => {
    const ps = changed((s) => (s.contract.rules[1].offsetBy = ["savings"]));
    expect(ps).toHaveLength(1);
    expect(ps[0]!.path).toBe("contract.rules[1].offsetBy[0]");
    expect(ps[0]!.message).toContain("itself");
  });

  it("activity → savings → activity is refused, naming the cycle", () => {
    const ps = changed((s) => {
      s.contract.rules[0].offsetBy = ["savings"];
      s.contract.rules[1].offsetBy = ["activity"];
    });
    expect(ps).toHaveLength(1);
    expect(ps[0]!.path).toMatch(/^contract\.rules\[[01]\]\.offsetBy\[0\]$/);
    expect(ps[0]!.message).toMatch(/cycle.*(activity → savings → activity|savings → activity → savings)/);
  });

  it("a three-rule cycle too; a chain without a cycle is accepted", () => {
    const cyc = changed((s) => {
      s.contract.rules[0].offsetBy = ["savings"];
      s.contract.rules[1].offsetBy = ["return"];
      s.contract.rules[2].offsetBy = ["activity"];
    });
    expect(cyc).toHaveLength(1);
    expect(cyc[0]!.message).toContain("activity → savings → return → activity");
    expect(
      changed((s) => {
        s.contract.rules[1].offsetBy = ["activity"];
        s.contract.rules[2].offsetBy = ["activity", "savings"];
      }),
    ).toEqual([]);
  });
});

// Found by the fuzz test (test/properties/cliFuzz.test.ts), each through `utfall run`.
describe("messages the fuzz test found wanting", () => {
  const chicago = "chicago-cpc-2014.json"; // effects[0] is {dist: "normal", mean: 0.35, sd: 0.15}

  it("a known distribution with a field missing names that field, not 'unknown distribution \"normal\"'", () => {
    const ps = changed((s) => delete s.intervention.effects[0].standardizedMeanDifference.sd, chicago);
    expect(ps).toEqual([{ path: "intervention.effects[0].standardizedMeanDifference", message: "sd: is required (number)" }]);
    const pert = changed((s) => (s.intervention.effects[0].standardizedMeanDifference = { dist: "pert", min: 0, mode: 0.3 }), chicago);
    expect(pert[0]!.message).toBe("max: is required (number)");
    const typed = changed((s) => (s.intervention.effects[0].standardizedMeanDifference.mean = "x"), chicago);
    expect(typed[0]!.message).toBe('mean: expected number, got string "x"');
    // An unknown name is still called one.
    const gamma = changed((s) => (s.intervention.effects[0].standardizedMeanDifference.dist = "gamma"), chicago);
    expect(gamma[0]!.message).toMatch(/^unknown distribution "gamma"; use normal, /);
  });

  it("a standard deviation of −1 says 'must be greater than 0, got -1', not zod's 'Too small: expected number to be >0'", () => {
    const ps = changed((s) => (s.intervention.effects[0].standardizedMeanDifference.sd = -1), chicago);
    expect(ps).toEqual([{ path: "intervention.effects[0].standardizedMeanDifference.sd", message: "must be greater than 0, got -1" }]);
  });

  it("a number beyond a double (1e400 in the file, which JSON.parse reads as Infinity) is named as such, without the word Infinity", () => {
    const s = JSON.parse(text(chicago).replace(/"periodsPerYear": *\d+/, '"periodsPerYear": 1e400'));
    expect(s.periodsPerYear).toBe(Infinity);
    const ps = problems(s);
    expect(ps.map((p) => p.path)).toContain("periodsPerYear");
    const m = ps.find((p) => p.path === "periodsPerYear")!.message;
    expect(m).toMatch(/^must be a finite number, got a number beyond what a double holds \(about ±1\.8e308; 1e400 is read as infinite\)$/);
    const cost = JSON.parse(text(chicago).replace(/"capital": *[\d.]+/, '"capital": -1e400'));
    expect(problems(cost).find((p) => p.path === "contract.capital")!.message).not.toMatch(/Infinity/);
  });
});

describe("a {p5, p95} range whose ratio overflows (found by the fuzz test)", () => {
  it("p5 = 5e-324 (the smallest double) is refused naming both ends, not 'got Infinity'", () => {
    // 10000 ÷ 5e-324 is beyond the largest double (1.8e308), so the ratio itself is Infinity.
    const ps = changed((s) => (s.outcomes[0].states[2].costPerDay = { p5: 5e-324, p95: 10000 }));
    expect(ps).toEqual([{ path: "outcomes[0].states[2].costPerDay", message: "p95 ÷ p5 must be at most 1.94e+14 (a lognormal's sigma at most 10), got 10000 ÷ 5e-324, beyond 1e308" }]);
  });
});

describe("formatting never throws on a currency that is not a code (issue 12, item 1: the explorer shows such a scenario while it is fixed)", async () => {
  const { currencySymbol, formatMillions, formatMoney } = await import("../../models/format.js");
  it.each(["kr", "£", "EURO", "SEK ", ""])("%j: amounts as numbers followed by the text given", (c) => {
    expect(() => formatMoney(1234, c)).not.toThrow();
    // en-GB (the locale of a currency the kit does not know) groups with a comma.
    expect(formatMoney(1234, c)).toBe(`1,234 ${c}`.trimEnd());
    expect(currencySymbol(c)).toBe(c);
    expect(formatMillions(-2_500_000, c)).toBe(`−${c}2.5M`);
  });

  it("codes are formatted by Intl as before", () => {
    expect(formatMoney(1234, "GBP")).toBe("£1,234");
    expect(currencySymbol("SEK")).toBe("kr");
  });
});

describe("a seed of the wrong type (found trying issue 12's items by hand)", () => {
  it("says a string or a number, not a distribution's forms", () => {
    const ps = changed((s) => (s.simulation.seed = { a: 1 }));
    expect(ps).toEqual([{ path: "simulation.seed", message: "expected string or number, got an object" }]);
    expect(changed((s) => (s.simulation.seed = [1]))[0]!.message).toBe("expected string or number, got an array");
  });
});
