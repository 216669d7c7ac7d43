/**
 * A parameter table: one row per sourced figure (a value or a low–high range, its unit, year,
 * price basis, source and note). The tables live in `data/figures/*.json`; scenarios refer to
 * their rows by `"<table>/<row>"` instead of copying the numbers.
 */
import { z } from "zod";

const rowId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { message: "must use only letters, digits, _, . or -" });

export const figureRowSchema = z
  .strictObject({
    id: rowId,
    label: z.string().min(1),
    value: z.number().optional(),
    low: z.number().optional(),
    high: z.number().optional(),
    unit: z.string().min(1),
    /** The year the figure describes. */
    year: z.number().int(),
    /** The prices a money figure is in; null for shares, rates, or when the price year is unknown. */
    priceBasis: z.strictObject({ currency: z.string().min(1), year: z.number().int() }).nullable(),
    source: z.string().min(1, { message: "every figure needs a source" }),
    url: z.string().optional(),
    note: z.string(),
  })
  .superRefine((r, ctx) => {
    const hasValue = r.value !== undefined, hasRange = r.low !== undefined || r.high !== undefined;
    if (hasValue === hasRange) ctx.addIssue({ code: "custom", message: "needs either value, or low and high" });
    if (hasRange && !(r.low !== undefined && r.high !== undefined && r.low <= r.high)) {
      ctx.addIssue({ code: "custom", message: "low and high must both be given, low ≤ high" });
    }
  });

export const figureTableSchema = z.strictObject({
  table: rowId,
  title: z.string().min(1),
  description: z.string(),
  rows: z.array(figureRowSchema).min(1),
});

export type FigureRow = z.output<typeof figureRowSchema>;
export type FigureTable = z.output<typeof figureTableSchema>;

/** The table of price-index rows (`kpi/<year>`) used to bring SEK figures to another year's prices. */
export const PRICE_INDEX_TABLE = "kpi";
