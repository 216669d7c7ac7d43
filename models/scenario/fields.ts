/**
 * The reader's metadata of the field at a path of a scenario (models/scenario/fieldMeta.ts), read
 * from the zod schema itself: the walk follows the scenario's JSON through objects, arrays,
 * records and unions (a discriminated union by its `kind`, a money union by whether the value is
 * an object), collecting each wrapper's `.meta()` on the way (optional, default, pipe), the
 * outermost winning. A path into a distribution (`…costPerDay.p5`) stops at the field.
 */
import { z } from "zod";
import type { FieldMeta } from "./fieldMeta.js";
import { scenarioSchema } from "./schema.js";

type Seg = string | number;
type Node = z.core.$ZodType;
interface Def {
  type: string;
  shape?: Record<string, Node>;
  element?: Node;
  innerType?: Node;
  in?: Node;
  options?: Node[];
  discriminator?: string;
  valueType?: Node;
  values?: unknown[];
}

const defOf = (s: Node): Def => s._zod.def as unknown as Def;
const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === "object" && !Array.isArray(x);

/** The option of a union the value is an instance of (by discriminator, else by JSON type). */
function pickOption(def: Def, value: unknown): Node | undefined {
  const options = def.options ?? [];
  if (def.discriminator && isObj(value)) {
    const d = value[def.discriminator];
    const hit = options.find((o) => {
      const field = defOf(o).shape?.[def.discriminator!];
      return field !== undefined && (defOf(field).values ?? []).includes(d);
    });
    if (hit) return hit;
  }
  const jsonType = Array.isArray(value) ? "array" : isObj(value) ? "object" : typeof value;
  return options.find((o) => baseType(o) === jsonType) ?? options[0];
}

function baseType(s: Node): string {
  const d = defOf(s);
  if (d.innerType) return baseType(d.innerType);
  if (d.type === "pipe" && d.in) return baseType(d.in);
  if (d.type === "literal" || d.type === "enum") return "string";
  return d.type;
}

/** Strips wrappers (optional, default, pipe, union) down to the node that holds the value, merging their metadata. */
function unwrap(s: Node, value: unknown, meta: FieldMeta): { node: Node; meta: FieldMeta } {
  for (let node = s; ; ) {
    const own = z.globalRegistry.get(node) as FieldMeta | undefined;
    // The outer wrapper's metadata wins over what it wraps.
    if (own) meta = { ...own, ...meta };
    if (meta.distribution) return { node, meta };
    const d = defOf(node);
    if (d.innerType) node = d.innerType;
    else if (d.type === "pipe" && d.in) node = d.in;
    else if (d.type === "union") {
      const next = pickOption(d, value);
      if (!next) return { node, meta };
      node = next;
    } else return { node, meta };
  }
}

/** The metadata of the field at `segs` in `scenario` (raw JSON); `{}` where the schema has no such field. */
export function fieldMetaAt(scenario: unknown, segs: readonly Seg[], root: Node = scenarioSchema): FieldMeta {
  let at = unwrap(root, scenario, {});
  let value: unknown = scenario;
  for (const seg of segs) {
    if (at.meta.distribution) return at.meta;
    const d = defOf(at.node);
    const next = isObj(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[seg] : undefined;
    let child: Node | undefined;
    if (d.type === "object") child = d.shape?.[String(seg)];
    else if (d.type === "array") child = d.element;
    else if (d.type === "record") child = d.valueType;
    if (!child) return {};
    at = unwrap(child, next, {});
    value = next;
  }
  return at.meta;
}
