/**
 * JSON paths into a scenario: `contract.rules[1].share`, or with a rule's id in the brackets,
 * `contract.rules[savings].share`. Resolved against the raw JSON so errors can name the path.
 */
import type { Problem } from "../scenario/parse.js";

export type PathKey = string | number;

export class PathError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.path}: ${problem.message}`);
  }
}

/** Splits a path into keys; `[id]` inside an array of objects with ids becomes that index. */
export function parsePath(path: string, root: unknown): PathKey[] {
  const tokens = path.match(/[^.[\]]+|\[[^\]]*\]/g);
  if (!tokens || tokens.join("").replace(/[[\]]/g, "").length === 0) {
    throw new PathError({ path, message: "is not a JSON path such as contract.rules[1].share" });
  }
  const keys: PathKey[] = [];
  let node: unknown = root;
  for (const token of tokens) {
    const bracket = token.startsWith("[");
    const raw = bracket ? token.slice(1, -1) : token;
    let key: PathKey = raw;
    if (Array.isArray(node)) {
      if (/^\d+$/.test(raw)) key = Number(raw);
      else {
        const at = node.findIndex((x) => x && typeof x === "object" && (x as { id?: unknown }).id === raw);
        if (at < 0) throw new PathError({ path, message: `no element with id "${raw}" in ${keys.join(".") || "the scenario"}` });
        key = at;
      }
      if ((key as number) >= node.length) throw new PathError({ path, message: `index ${key} is past the end (${node.length} elements)` });
    } else if (node === null || typeof node !== "object") {
      throw new PathError({ path, message: `cannot go into ${JSON.stringify(node)} at "${raw}"` });
    }
    keys.push(key);
    node = (node as Record<PathKey, unknown>)[key];
  }
  return keys;
}

/** Sets a number at `keys`; the field must exist and hold a number (or {value}) already. */
export function setPath(root: Record<string, unknown>, keys: readonly PathKey[], value: number, path: string): void {
  let node = root as Record<PathKey, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<PathKey, unknown>;
  const last = keys[keys.length - 1]!;
  const current = node[last];
  if (typeof current === "number") node[last] = value;
  else if (current && typeof current === "object" && "value" in current) (current as { value: number }).value = value;
  else if (current && typeof current === "object") {
    throw new PathError({ path, message: `holds a distribution or an object; vary one of its numbers, e.g. ${path}.${Object.keys(current)[0]}` });
  } else {
    throw new PathError({ path, message: current === undefined ? "does not exist in the scenario" : `holds ${JSON.stringify(current)}, not a number` });
  }
}

/** Replaces whatever is at `keys` (a number, a distribution, an object) with `value`; the field's parent must exist. */
export function replacePath(root: Record<string, unknown>, keys: readonly PathKey[], value: unknown, path: string): void {
  let node = root as Record<PathKey, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<PathKey, unknown>;
  if (node === null || typeof node !== "object") throw new PathError({ path, message: "does not exist in the scenario" });
  node[keys[keys.length - 1]!] = structuredClone(value);
}
