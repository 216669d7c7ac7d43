/**
 * Resolving a scenario's references to the parameter tables. A scenario number may be written
 * `{"ref": "placement-cost/sis-treatment-lockable-2020"}`: a fixed value (or, for a row with a
 * low–high range, the 90 % range between them), carrying the row's source. Two refs
 * `{"ref": [a, b]}` make the range between two rows' values. `"priceYear": 2023` brings a SEK
 * figure to that year's prices with the KPI table. Resolution is pure and happens at parse
 * time, so the engine only ever sees plain numbers and distributions.
 */
import { FIGURE_TABLES } from "./tables.js";
import { PRICE_INDEX_TABLE, type FigureRow, type FigureTable } from "./table.js";

/** A reference as written in a scenario. */
export interface FigureRef {
  ref: string | [string, string];
  /** How a range is read: a 90 % interval (`range`, the default) or a uniform distribution. */
  as?: "range" | "uniform";
  /** Bring a money figure to this year's prices (SEK figures, by the KPI table). */
  priceYear?: number;
  note?: string;
}

/** What a reference resolves to: the scenario's own number forms, with a source. */
export type ResolvedFigure =
  | { value: number; source: string; note?: string }
  | { p5: number; p95: number; source: string; note?: string }
  | { dist: "uniform"; min: number; max: number; source: string; note?: string };

export type Resolution = { ok: true; spec: ResolvedFigure } | { ok: false; message: string };

export interface FigureIndex {
  readonly rows: ReadonlyMap<string, { table: FigureTable; row: FigureRow }>;
}

/** All rows by `"<table>/<row>"`. */
export function figureIndex(tables: readonly FigureTable[] = FIGURE_TABLES): FigureIndex {
  const rows = new Map<string, { table: FigureTable; row: FigureRow }>();
  for (const table of tables) for (const row of table.rows) rows.set(`${table.table}/${row.id}`, { table, row });
  return { rows };
}

const DEFAULT_INDEX = figureIndex();

/** value × KPI(to) / KPI(from); an error message when either year is not in the index table. */
export function priceFactor(fromYear: number, toYear: number, index: FigureIndex = DEFAULT_INDEX): number | string {
  const kpi = (y: number) => index.rows.get(`${PRICE_INDEX_TABLE}/${y}`)?.row.value;
  const from = kpi(fromYear), to = kpi(toYear);
  const years = [...index.rows.keys()].filter((k) => k.startsWith(`${PRICE_INDEX_TABLE}/`)).map((k) => k.slice(PRICE_INDEX_TABLE.length + 1));
  const covered = years.length ? `${years[0]}–${years[years.length - 1]}` : "none";
  if (from === undefined) return `no KPI for ${fromYear} (the index table covers ${covered})`;
  if (to === undefined) return `no KPI for ${toYear} (the index table covers ${covered})`;
  return to / from;
}

const round = (x: number) => +x.toPrecision(10);

/** Resolves one reference against the tables. */
export function resolveFigureRef(r: FigureRef, index: FigureIndex = DEFAULT_INDEX): Resolution {
  const ids = typeof r.ref === "string" ? [r.ref] : r.ref;
  const found: { id: string; table: FigureTable; row: FigureRow }[] = [];
  for (const id of ids) {
    const hit = index.rows.get(id);
    if (!hit) {
      const table = id.split("/")[0]!;
      const known = [...index.rows.keys()].filter((k) => k.startsWith(table + "/"));
      const hint = known.length ? `; ${table} has ${known.map((k) => k.slice(table.length + 1)).join(", ")}` : `; tables are ${[...new Set([...index.rows.keys()].map((k) => k.split("/")[0]))].join(", ")}`;
      return { ok: false, message: `unknown figure ${JSON.stringify(id)}${hint}` };
    }
    found.push({ id, ...hit });
  }
  if (found.length === 2 && found.some((f) => f.row.value === undefined)) {
    return { ok: false, message: "a pair of refs needs two rows with a single value each" };
  }

  // Price adjustment, per row (each row has its own price year).
  let factors = found.map(() => 1);
  let priceNote = "";
  if (r.priceYear !== undefined) {
    const notes: string[] = [];
    for (let i = 0; i < found.length; i++) {
      const basis = found[i]!.row.priceBasis;
      if (!basis) return { ok: false, message: `${found[i]!.id} has no price basis, so it cannot be brought to ${r.priceYear} prices` };
      if (basis.currency !== "SEK") return { ok: false, message: `${found[i]!.id} is in ${basis.currency}; only SEK figures can be price-adjusted (KPI)` };
      const f = priceFactor(basis.year, r.priceYear, index);
      if (typeof f === "string") return { ok: false, message: f };
      factors[i] = f;
      notes.push(`${basis.year} → ${r.priceYear} ×${f.toFixed(4)}`);
    }
    priceNote = `; in ${r.priceYear} prices by SCB's KPI annual averages (${[...new Set(notes)].join(", ")})`;
  }

  // One citation per distinct source, naming the rows it covers.
  const bySource = new Map<string, string[]>();
  for (const f of found) bySource.set(f.row.source, [...(bySource.get(f.row.source) ?? []), `${f.id} (${f.row.unit}, ${f.row.year})`]);
  const source = [...bySource].map(([src, rows]) => `${src} [table ${rows.join("; ")}]`).join("; ") + priceNote;
  const note = r.note ?? ([...new Set(found.map((f) => f.row.note).filter(Boolean))].join(" ") || undefined);
  const withNote = <T extends object>(spec: T) => (note ? { ...spec, note } : spec);

  let lo: number, hi: number;
  if (found.length === 2) {
    lo = found[0]!.row.value! * factors[0]!;
    hi = found[1]!.row.value! * factors[1]!;
  } else {
    const row = found[0]!.row;
    if (row.value !== undefined) return { ok: true, spec: withNote({ value: round(row.value * factors[0]!), source }) };
    lo = row.low! * factors[0]!;
    hi = row.high! * factors[0]!;
  }
  if (!(lo < hi)) return { ok: false, message: `a range needs its low end below its high end, got ${round(lo)} and ${round(hi)}` };
  return {
    ok: true,
    spec: withNote(r.as === "uniform" ? { dist: "uniform" as const, min: round(lo), max: round(hi), source } : { p5: round(lo), p95: round(hi), source }),
  };
}

const isRef = (x: unknown): x is FigureRef =>
  x !== null && typeof x === "object" && !Array.isArray(x) && "ref" in x && (typeof (x as FigureRef).ref === "string" || Array.isArray((x as FigureRef).ref));

/**
 * A copy of raw scenario JSON with every reference replaced by what it resolves to, for pages
 * that show or edit the figures themselves. A reference that does not resolve is left as it is,
 * so that parsing reports it at its path.
 */
export function resolveFigureRefs(json: unknown, index: FigureIndex = DEFAULT_INDEX): unknown {
  if (Array.isArray(json)) return json.map((x) => resolveFigureRefs(x, index));
  if (json === null || typeof json !== "object") return json;
  if (isRef(json)) {
    const r = resolveFigureRef(json, index);
    return r.ok ? r.spec : json;
  }
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, resolveFigureRefs(v, index)]));
}
