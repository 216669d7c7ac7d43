/**
 * data/scenario.schema.json: generated from the zod schema, committed for editors. It must not go
 * stale, and every shipped scenario must satisfy it (cross-field checks aside, which JSON Schema
 * cannot express).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { JSON_SCHEMA_PATH, jsonSchemaText } from "../../models/scenario/writeJsonSchema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const scenarioDir = join(root, "data/scenarios");
const scenarioFiles = readdirSync(scenarioDir).filter((f) => f.endsWith(".json"));
const committed = readFileSync(join(root, JSON_SCHEMA_PATH), "utf8");
const schema = JSON.parse(committed) as JsonSchema;

type JsonSchema = { [keyword: string]: unknown };

/** Keywords that only annotate; they never make an instance invalid. */
const ANNOTATIONS = new Set(["$schema", "$id", "title", "description", "default"]);

function isType(t: unknown, x: unknown): boolean {
  switch (t) {
    case "object": return x !== null && typeof x === "object" && !Array.isArray(x);
    case "array": return Array.isArray(x);
    case "integer": return Number.isInteger(x);
    case "number": return typeof x === "number";
    case "string": return typeof x === "string";
    case "boolean": return typeof x === "boolean";
    case "null": return x === null;
    default: throw new Error(`type ${String(t)} not supported`);
  }
}

/**
 * A minimal JSON Schema (2020-12) checker for the keywords zod emits for this schema. It throws on
 * any other keyword, so a new construct in the generated schema fails loudly here instead of
 * being ignored. Returns the paths that fail.
 */
function check(s: JsonSchema, x: unknown, path = "$"): string[] {
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${path}: ${why}`);
  for (const [keyword, v] of Object.entries(s)) {
    if (ANNOTATIONS.has(keyword)) continue;
    switch (keyword) {
      case "type": {
        const types = ([] as unknown[]).concat(v);
        if (!types.some((t) => isType(t, x))) fail(`expected ${types.join(" or ")}`);
        break;
      }
      case "properties":
        if (x && typeof x === "object" && !Array.isArray(x)) {
          for (const [k, sub] of Object.entries(v as Record<string, JsonSchema>)) {
            if (k in x) errors.push(...check(sub, (x as Record<string, unknown>)[k], `${path}.${k}`));
          }
        }
        break;
      case "required":
        if (x && typeof x === "object") for (const k of v as string[]) if (!(k in x)) fail(`missing ${k}`);
        break;
      case "additionalProperties":
        if (x && typeof x === "object" && !Array.isArray(x)) {
          const known = new Set(Object.keys((s.properties ?? {}) as object));
          for (const [k, val] of Object.entries(x)) {
            if (known.has(k)) continue;
            if (v === false) fail(`unknown field ${k}`);
            else if (v !== true) errors.push(...check(v as JsonSchema, val, `${path}.${k}`));
          }
        }
        break;
      case "propertyNames":
        if (x && typeof x === "object" && !Array.isArray(x)) for (const k of Object.keys(x)) errors.push(...check(v as JsonSchema, k, `${path}[${k}]`));
        break;
      case "items":
        if (Array.isArray(x)) x.forEach((item, i) => errors.push(...check(v as JsonSchema, item, `${path}[${i}]`)));
        break;
      case "minItems":
        if (Array.isArray(x) && x.length < (v as number)) fail(`fewer than ${v} items`);
        break;
      case "maxItems":
        if (Array.isArray(x) && x.length > (v as number)) fail(`more than ${v} items`);
        break;
      case "minLength":
        if (typeof x === "string" && [...x].length < (v as number)) fail(`shorter than ${v}`);
        break;
      case "pattern":
        if (typeof x === "string" && !new RegExp(v as string, "u").test(x)) fail(`does not match ${v}`);
        break;
      case "const":
        if (x !== v) fail(`expected ${JSON.stringify(v)}`);
        break;
      case "enum":
        if (!(v as unknown[]).includes(x)) fail(`expected one of ${JSON.stringify(v)}`);
        break;
      case "minimum":
        if (typeof x === "number" && x < (v as number)) fail(`below ${v}`);
        break;
      case "maximum":
        if (typeof x === "number" && x > (v as number)) fail(`above ${v}`);
        break;
      case "exclusiveMinimum":
        if (typeof x === "number" && x <= (v as number)) fail(`not above ${v}`);
        break;
      case "exclusiveMaximum":
        if (typeof x === "number" && x >= (v as number)) fail(`not below ${v}`);
        break;
      case "anyOf":
        if (!(v as JsonSchema[]).some((sub) => check(sub, x, path).length === 0)) fail("matches no alternative (anyOf)");
        break;
      case "oneOf": {
        const matches = (v as JsonSchema[]).filter((sub) => check(sub, x, path).length === 0).length;
        if (matches !== 1) fail(`matches ${matches} alternatives, expected exactly one (oneOf)`);
        break;
      }
      default:
        throw new Error(`JSON Schema keyword "${keyword}" at ${path} is not supported by this test's checker`);
    }
  }
  return errors;
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
    expect(check(schema, scenario)).toEqual([]);
  });

  // The checker above must be able to say no, or the test before proves nothing.
  it.each([
    ["an unknown top-level field", (s: any) => (s.colour = "red"), "$: unknown field colour"],
    ["cohort size 0", (s: any) => (s.population.cohorts[0].size = 0), "$.population.cohorts[0].size: below 1"],
    ["a string for capital", (s: any) => (s.contract.capital = "10"), "$.contract.capital: expected number"],
    ["an unknown rule kind", (s: any) => (s.contract.rules[0].kind = "bonus"), "$.contract.rules[0]: matches 0 alternatives, expected exactly one (oneOf)"],
    ["a missing name", (s: any) => delete s.name, "$: missing name"],
  ])("rejects a scenario with %s", (_, mutate, expected) => {
    const s = norrkoping();
    mutate(s);
    expect(check(schema, s)).toContain(expected);
  });
});
