/**
 * Writes `models/figures/tables.ts` from `data/figures/*.json`, so the engine (in Node, the
 * browser and workers alike) has the parameter tables without reading files. Run with
 * `npm run figures`; a unit test fails when the committed module differs from what this writes.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { figureTableSchema, type FigureTable } from "./table.js";
import { formatPath } from "../scenario/parse.js";

export const FIGURES_DIR = "data/figures";
export const TABLES_MODULE = "models/figures/tables.ts";

const root = new URL("../../", import.meta.url);

/** Reads and validates every table; throws with the file and field of the first problem. */
export function readFigureTables(dir = fileURLToPath(new URL(FIGURES_DIR, root))): FigureTable[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const parsed = figureTableSchema.safeParse(JSON.parse(readFileSync(`${dir}/${f}`, "utf8")));
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        throw new Error(`${FIGURES_DIR}/${f}: ${formatPath(i.path)}: ${i.message}`);
      }
      if (parsed.data.table !== f.replace(/\.json$/, "")) throw new Error(`${FIGURES_DIR}/${f}: table must be named like its file`);
      return parsed.data;
    });
}

export function tablesModuleText(tables: FigureTable[] = readFigureTables()): string {
  return `// Generated from ${FIGURES_DIR}/*.json by \`npm run figures\`; do not edit.
import type { FigureTable } from "./table.js";

export const FIGURE_TABLES: readonly FigureTable[] = ${JSON.stringify(tables, null, 2)};
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(fileURLToPath(new URL(TABLES_MODULE, root)), tablesModuleText());
  process.stdout.write(`wrote ${TABLES_MODULE}\n`);
}
