/** Loading a scenario file from disk and naming a saved one. */
import { resolveFigureRefs } from "../models/figures/resolve.js";
import { jsonSizeProblem, MAX_DEPTH, MAX_SCENARIO_BYTES } from "./state.js";

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === "object" && !Array.isArray(x);

/** "Norrköping 2016" → "norrkoping-2016": a file name without spaces or diacritics. */
export function fileStem(name: string): string {
  const slug = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "scenario";
}

/** "Norrköping 2016" → "norrkoping-2016.json". */
export function scenarioFileName(scenario: unknown): string {
  return `${fileStem(isObject(scenario) && typeof scenario.name === "string" ? scenario.name : "")}.json`;
}

/** The scenario as a file: indented JSON, as the reference scenarios are written. */
export function scenarioBlob(scenario: unknown): Blob {
  return new Blob([JSON.stringify(scenario, null, 2) + "\n"], { type: "application/json" });
}

const tooLarge = (name: string) => `${name} is larger than ${MAX_SCENARIO_BYTES / 1e6} MB, the limit for a scenario file (the shipped scenarios are under 40 kB). Nothing was changed.`;

export type LoadedFile = { ok: true; json: Record<string, unknown>; name: string } | { ok: false; message: string };

/** Reads a chosen file as text and parses it as JSON; a bad file gets a message saying why. */
export async function readScenarioFile(file: File): Promise<LoadedFile> {
  if (file.size > MAX_SCENARIO_BYTES) return { ok: false, message: tooLarge(file.name) };
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return { ok: false, message: `${file.name} could not be read: ${(e as Error).message}` };
  }
  // Checked before parsing: a deeper file overflows the stack of the form and of postMessage.
  const size = jsonSizeProblem(text);
  if (size === "too-large") return { ok: false, message: tooLarge(file.name) };
  if (size === "too-deep") return { ok: false, message: `${file.name} nests objects and arrays more than ${MAX_DEPTH} levels deep (the limit; a scenario needs fewer than 10). Nothing was changed.` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `${file.name} is not valid JSON: ${(e as Error).message}. Nothing was changed.` };
  }
  if (!isObject(json)) return { ok: false, message: `${file.name} is JSON, but not a scenario: a scenario file is one JSON object ({ "name": …, "population": …, … }). Nothing was changed.` };
  // References to the parameter tables become the figures they name (with their sources).
  return { ok: true, json: resolveFigureRefs(json) as Record<string, unknown>, name: file.name };
}
