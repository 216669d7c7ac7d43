/**
 * What a scenario field is, for a reader: declared once on the schema (models/scenario/schema.ts)
 * with zod's `.meta({...})`, read by the explorer's form, the sources table, the analyses' labels
 * (models/analysis/labels.ts) and the JSON Schema (`title`, `description`).
 */

/** How a field's numbers read: money, a share shown as a percentage, periods, years, a count, a ratio. */
export type FieldUnit = "money" | "share" | "periods" | "years" | "count" | "ratio" | "number";

export interface FieldMeta {
  /** The reader's label in English ("cost per day (payer)"); `{period}` stands for the scenario's period ("quarter"). */
  title?: string;
  /** The label in Swedish, where the Swedish page shows the field. */
  titleSv?: string;
  description?: string;
  unit?: FieldUnit;
  /** What a money amount or a chance is per: " a day", " per event", … */
  per?: "day" | "period" | "year" | "event" | "success" | "unit" | "outcome" | "participant";
  /** The field takes a distribution (`param()` in models/scenario/param.ts), not only a fixed number. */
  distribution?: boolean;
  /** A short hint after the label ("1 = no effect"). */
  hint?: string;
}

/** Keys of FieldMeta that are ours, not JSON Schema's: writeJsonSchema.ts leaves them out. */
export const OWN_META_KEYS = ["titleSv", "unit", "per", "distribution", "hint"] as const;

declare module "zod" {
  interface GlobalMeta {
    titleSv?: string;
    unit?: FieldUnit;
    per?: FieldMeta["per"];
    distribution?: boolean;
    hint?: string;
  }
}
