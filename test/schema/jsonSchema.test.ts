/**
 * data/scenario.schema.json: generated from the zod schema, committed for editors. It must not go
 * stale, and every shipped scenario must satisfy it (cross-field checks aside, which JSON Schema
 * cannot express).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import { JSON_SCHEMA_PATH, jsonSchemaText } from "../../models/scenario/writeJsonSchema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const scenarioDir = join(root, "data/scenarios");
const scenarioFiles = readdirSync(scenarioDir).filter((f) => f.endsWith(".json"));
const committed = readFileSync(join(root, JSON_SCHEMA_PATH), "utf8");
const schema = JSON.parse(committed) as JsonSchema;

type JsonSchema = { [keyword: string]: unknown };

// Ajv (the JSON Schema validator most editors' tooling uses) in strict mode: a keyword it does not
// know throws at compile, so a new construct in the generated schema fails loudly here instead of
// being ignored; allErrors so every failing path is listed.
const validate = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true }).compile(schema);

/** The failures of `x` as "path keyword" strings (JSON Pointer paths, "" for the top level). */
function check(x: unknown): string[] {
  if (validate(x)) return [];
  return (validate.errors ?? []).map((e) => {
    const p = e.params as { additionalProperty?: string; missingProperty?: string };
    return `${e.instancePath} ${e.keyword}${p.additionalProperty ? ` ${p.additionalProperty}` : ""}${p.missingProperty ? ` ${p.missingProperty}` : ""}`;
  });
}

const norrkoping = () => JSON.parse(readFileSync(join(scenarioDir, "norrkoping-2016.json"), "utf8")) as Record<string, any>;

describe("data/scenario.schema.json", () => {
  it("equals what models/scenario/writeJsonSchema.ts generates now (run `npm run schema` to refresh)", () => {
    expect(committed).toBe(jsonSchemaText());
  });

  it("is a 2020-12 schema with an $id and a title, pretty-printed with a trailing newline", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(typeof schema.$id).toBe("string");
    expect(typeof schema.title).toBe("string");
    expect(committed.endsWith("}\n")).toBe(true);
    expect(committed.split("\n")[1]).toMatch(/^ {2}"/);
  });

  it("allows the $schema property that scenario files use to point editors at it", () => {
    const properties = schema.properties as Record<string, JsonSchema>;
    expect(properties.$schema).toEqual({ type: "string" });
    expect(schema.additionalProperties).toBe(false);
  });

  it("describes the input form: fields with defaults are optional", () => {
    const required = schema.required as string[];
    expect(required).toEqual(expect.arrayContaining(["name", "population", "outcomes", "intervention", "measurement", "contract", "valuation"]));
    for (const optional of ["$schema", "currency", "periodsPerYear", "simulation"]) expect(required).not.toContain(optional);
  });

  it.each(scenarioFiles)("data/scenarios/%s validates against it", (file) => {
    const scenario = JSON.parse(readFileSync(join(scenarioDir, file), "utf8"));
    expect(scenario.$schema).toBe("../scenario.schema.json");
    expect(check(scenario)).toEqual([]);
  });

  // The validator must be able to say no, or the test before proves nothing.
  it.each([
    ["an unknown top-level field", (s: any) => (s.colour = "red"), " additionalProperties colour"],
    ["cohort size 0", (s: any) => (s.population.cohorts[0].size = 0), "/population/cohorts/0/size minimum"],
    ["a string for capital", (s: any) => (s.contract.capital = "10"), "/contract/capital type"],
    ["an unknown rule kind", (s: any) => (s.contract.rules[0].kind = "bonus"), "/contract/rules/0 oneOf"],
    ["a missing name", (s: any) => delete s.name, " required name"],
  ])("rejects a scenario with %s", (_, mutate, expected) => {
    const s = norrkoping();
    mutate(s);
    expect(check(s)).toContain(expected);
  });
});
