/**
 * Reading what a reader types into the explorer's number fields, and wording the schema's
 * messages in the field's terms (src/components/param-input.ts).
 */
import { describe, expect, test } from "vitest";
import { parseTyped, readerMessage } from "../../src/components/param-input.js";

describe("parseTyped", () => {
  test("numbers as people write them", () => {
    expect(parseTyped("1 450")).toBe(1450);
    expect(parseTyped("1\u00a0450")).toBe(1450);
    expect(parseTyped("1,450")).toBe(1450);
    expect(parseTyped("1,450.5")).toBe(1450.5);
    expect(parseTyped("0,6")).toBe(0.6);
    expect(parseTyped("−3")).toBe(-3);
    expect(parseTyped("60 %")).toBe(60);
    expect(parseTyped("1e6")).toBe(1e6);
  });
  test("an empty field is NaN; letters are not a number", () => {
    expect(parseTyped("")).toBeNaN();
    expect(parseTyped("sixty")).toBeNull();
    expect(parseTyped("12abc")).toBeNull();
    expect(parseTyped("1.2.3")).toBeNull();
  });
});

describe("readerMessage", () => {
  test("the field's own words", () => {
    expect(readerMessage("Invalid input: expected number, received NaN", "money")).toBe("Enter a number, e.g. 1 450");
    expect(readerMessage("p5 must be less than p95", "ratio")).toBe("The low end must be below the high end");
    expect(readerMessage("min must be less than max", "percent")).toBe("The low end must be below the high end");
  });
  test("a field shown in % gets its bounds in %", () => {
    expect(readerMessage("must be a fraction from 0 to 1", "percent")).toBe("must be a percentage from 0% to 100%");
    expect(readerMessage("must be a number from 0 to 1, got 1.5", "percent")).toBe("must be a percentage from 0% to 100%, got 150%");
    // Other fields keep the schema's numbers.
    expect(readerMessage("must be a whole number from 1 to 100000", "count")).toBe("must be a whole number from 1 to 100000");
  });
});
