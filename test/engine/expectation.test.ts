import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { compile, expectedBaseline } from "../../models/index.js";
import { scenario } from "../helpers/scenarios.js";

describe("expectedBaseline(model)", () => {
  test("the Norrköping file's historical cost baseline is the model's central expectation, rounded", () => {
    const s = scenario(JSON.parse(readFileSync("data/scenarios/norrkoping-2016.json", "utf8")));
    const comparator = s.measurement.comparator;
    if (comparator.kind !== "historical") throw new Error("expected a historical comparator");
    const expected = expectedBaseline(compile(s));
    // The file rounds to the nearest 1,000 kr; if transition or cost defaults change, re-derive it.
    expect(Math.abs(comparator.baseline["placement.cost"]! - expected["placement.cost"]!)).toBeLessThan(1000);
  });
});
