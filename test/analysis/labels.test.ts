/**
 * Readers' labels for paths (models/analysis/labels.ts): the words come from the scenario file
 * (its state, rule and cohort labels, quoted here from data/scenarios/norrkoping-2016.json) and
 * the schema's titles; no id or path of the file shows.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { labelOf, measureLabel } from "../../models/analysis/labels.js";
import { fieldMetaAt } from "../../models/scenario/fields.js";

const norrkoping = JSON.parse(readFileSync(new URL("../../data/scenarios/norrkoping-2016.json", import.meta.url), "utf8"));

describe("labelOf", () => {
  test("names the items a path goes through by their labels, and the field by its title", () => {
    // The file: transitions[1] is {from: "hvb", to: "family"}; states hvb "Residential care (HVB)", family "Family home".
    expect(norrkoping.outcomes[0].transitions[1]).toMatchObject({ from: "hvb", to: "family" });
    expect(labelOf(norrkoping, "outcomes[0].transitions[1].perPeriod")).toBe("Placement › Residential care (HVB) → Family home: chance each quarter");
    expect(labelOf(norrkoping, "contract.rules[savings].share")).toBe("Share of savings to break-even: share of measured savings");
    expect(labelOf(norrkoping, "contract.capital")).toBe("Capital");
    expect(labelOf(norrkoping, "contract.drawdown[0].share")).toBe("Tranche 1: share of capital");
    expect(labelOf(norrkoping, "outcomes[0].initial.home")).toBe("Placement: At home, share at intake");
  });

  test("contract terms in a reader's words (issue 13 item 8): a rule's amount is the rule, of capital in brackets", () => {
    // The file: rules[0] is {id: "activity", label: "Activity compensation", amount: {ofCapital: 0.4}}.
    expect(norrkoping.contract.rules[0]).toMatchObject({ id: "activity", label: "Activity compensation", amount: { ofCapital: 0.4 } });
    expect(labelOf(norrkoping, "contract.rules[activity].amount.ofCapital")).toBe("Activity compensation (share of capital)");
    expect(labelOf(norrkoping, "contract.rules[savings].cap.ofCapital")).toBe("Share of savings to break-even: cap (share of capital)");
    expect(labelOf(norrkoping, "contract.totalCap.ofCapital")).toBe("Total cap on payments (share of capital)");
  });

  test("the period word follows periodsPerYear; Swedish titles where the schema has them", () => {
    const monthly = { ...norrkoping, periodsPerYear: 12 };
    expect(labelOf(monthly, "outcomes[0].transitions[1].perPeriod")).toMatch(/chance each month$/);
    expect(labelOf(norrkoping, "valuation.discountRate", { lang: "sv" })).toBe("Diskonteringsränta per år");
  });

  test("no label shows a path or a camel-cased key", () => {
    const paths = ["outcomes[0].states[1].costPerDay", "intervention.effects[0].rateRatio", "intervention.delivered", "measurement.comparator.cohort.drift", "valuation.discountRate", "population.cohorts[0].size"];
    for (const p of paths) {
      const label = labelOf(norrkoping, p);
      expect(label, p).not.toMatch(/\b[a-z]+[A-Z]|\[|\.\w/);
    }
  });

  test("a path it cannot follow is returned as it is", () => {
    expect(labelOf(norrkoping, "no.such.path")).toBe("no.such.path");
  });

  test("measures by their outcome's label", () => {
    expect(measureLabel(norrkoping, "placement.cost")).toBe("Placement: cost");
    expect(measureLabel(norrkoping, "placement.careDays")).toBe("Placement: care days");
  });
});

describe("fieldMetaAt: the vocabulary on the schema", () => {
  test("unit and 'takes a distribution' follow the schema", () => {
    expect(fieldMetaAt(norrkoping, ["outcomes", 0, "states", 1, "costPerDay"])).toMatchObject({ unit: "money", per: "day", distribution: true });
    // A contract share is a fixed fraction (schema: `fraction`), not a param().
    expect(fieldMetaAt(norrkoping, ["contract", "rules", 1, "share"]).distribution).toBeUndefined();
    expect(fieldMetaAt(norrkoping, ["contract", "rules", 1, "share"]).unit).toBe("share");
    expect(fieldMetaAt(norrkoping, ["population", "cohorts", 0, "size"])).toMatchObject({ unit: "count" });
    expect(fieldMetaAt(norrkoping, ["no", "such"])).toEqual({});
  });
});
