/**
 * `utfall annex <scenario.json> --out annex.xlsx [--lang sv|en]`: the payment annex of the
 * scenario's contract: the workbook (models/export/annex.ts) written to --out, and the same
 * formula in words (models/export/annexText.ts) next to it as <out>.sv.md / <out>.en.md and on
 * stdout in --lang (default: Swedish for SEK, else English).
 */
import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import { compile, type Scenario } from "../models/index.js";
import { annexLayout, annexXlsx, AnnexUnsupported } from "../models/export/annex.js";
import { annexText, type AnnexLanguage } from "../models/export/annexText.js";

export interface AnnexFiles {
  readonly xlsx: string;
  readonly text: Record<AnnexLanguage, string>;
}

/** Writes the annex; throws AnnexUnsupported for a contract it cannot lay out. Returns the text in `language`. */
export async function writeAnnex(scenario: Scenario, out: string, language: AnnexLanguage | undefined, write: (path: string, data: string | Uint8Array) => void = writeFileSync): Promise<{ files: AnnexFiles; text: string }> {
  const model = compile(scenario);
  const layout = annexLayout(model);
  const bytes = await annexXlsx(layout, `${scenario.name}: payment annex`);
  const stem = out.slice(0, out.length - extname(out).length);
  const files: AnnexFiles = { xlsx: out, text: { sv: `${stem}.sv.md`, en: `${stem}.en.md` } };
  write(out, bytes);
  const texts = { sv: annexText(model, undefined, "sv"), en: annexText(model, undefined, "en") };
  write(files.text.sv, texts.sv);
  write(files.text.en, texts.en);
  const lang = language ?? (scenario.currency === "SEK" ? "sv" : "en");
  return { files, text: texts[lang] };
}

export { AnnexUnsupported };
