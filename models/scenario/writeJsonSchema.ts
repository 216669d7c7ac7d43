/**
 * Writes `data/scenario.schema.json`, the JSON Schema editors use to check and complete scenario
 * files, from the zod schema (the single source). Run with `npm run schema`; a unit test fails
 * when the committed file differs from what this produces.
 *
 * Cross-field checks (`superRefine`: ids that must exist, shares that must sum to 1, bounds of
 * a distribution's centre) have no JSON Schema form and are left out: the schema is the shape of
 * a scenario, `utfall validate` is the whole truth.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import { OWN_META_KEYS } from "./fieldMeta.js";
import { scenarioSchema } from "./schema.js";

/** Where the schema is written, relative to the repository root (scenario files point here). */
export const JSON_SCHEMA_PATH = "data/scenario.schema.json";

/** The schema's text: 2-space indentation and a trailing newline, so it diffs cleanly. */
export function jsonSchemaText(): string {
  // Titles and descriptions go to editors; the reader metadata only the pages use (unit, hint, …) does not.
  const generated = z.toJSONSchema(scenarioSchema, {
    io: "input",
    unrepresentable: "any",
    override: ({ jsonSchema }) => {
      const js = jsonSchema as Record<string, unknown>;
      for (const key of OWN_META_KEYS) delete js[key];
      // "chance each {period}": the scenario's period is not known here.
      if (typeof js.title === "string") js.title = js.title.replace("{period}", "period");
    },
  }) as Record<string, unknown>;
  // Key order: $schema, $id, title first, so a reader sees what the file is.
  const { $schema, ...rest } = generated;
  const schema = {
    $schema,
    $id: "https://utfall.invalid/scenario.schema.json",
    title: "utfall scenario",
    description:
      "A social outcomes contract scenario for utfall: population, outcomes, intervention, measurement, contract, valuation and simulation. Generated from models/scenario/schema.ts by `npm run schema`; do not edit. Cross-field checks (ids that must exist, shares that sum to 1) are made by `utfall validate` only.",
    ...rest,
  };
  return JSON.stringify(schema, null, 2) + "\n";
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = fileURLToPath(new URL(`../../${JSON_SCHEMA_PATH}`, import.meta.url));
  writeFileSync(target, jsonSchemaText());
  process.stdout.write(`wrote ${JSON_SCHEMA_PATH}\n`);
}
