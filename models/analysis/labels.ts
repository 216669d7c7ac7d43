/**
 * Readable names for scenario fields: `outcomes[0].states[1].costPerDay` becomes
 * "Placement › State institution (SiS) › cost per day", using the labels (or ids, or names)
 * of the objects the path goes through.
 */
import { parsePath } from "./path.js";

const words = (key: string) => key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

const FIELD_NAMES: Record<string, string> = {
  perPeriod: "chance per period",
  rateRatio: "effect (rate ratio)",
  oddsRatio: "effect (odds ratio)",
  smd: "effect (standardized difference)",
  delivered: "chance of delivery",
};

export function describePath(scenario: unknown, path: string): string {
  let keys;
  try {
    keys = parsePath(path, scenario);
  } catch {
    return path;
  }
  const parts: string[] = [];
  let node: unknown = scenario;
  for (const [i, key] of keys.entries()) {
    node = (node as Record<string | number, unknown> | undefined)?.[key];
    const last = i === keys.length - 1;
    if (typeof key === "number") {
      const o = node as Record<string, unknown> | undefined;
      const name = o?.label ?? o?.name ?? o?.id;
      if (typeof name === "string") parts.push(name);
      else if (o && typeof o.from === "string" && typeof o.to === "string") parts.push(`${o.from} → ${o.to}`);
      else if (o && typeof o.outcome === "string") parts.push(`effect on ${o.outcome}${o.from ? ` (from ${[o.from].flat().join(", ")})` : ""}`);
      else parts.push(`#${key + 1}`);
    } else if (last) {
      parts.push(FIELD_NAMES[key] ?? words(key));
    } else if (!["outcomes", "states", "transitions", "effects", "intervention", "cohorts", "rules"].includes(key)) {
      parts.push(words(key));
    }
  }
  return parts.join(" › ");
}
