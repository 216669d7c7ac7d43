#!/usr/bin/env node
// Builds the CLI's bundle, node_modules/.cache/utfall/cli.mjs, from cli/bin.ts and the
// packages it imports (zod, d3-*, simple-statistics) when it is missing, a TypeScript source
// under cli/ or models/ or this file is newer, or npm has installed packages since (npm rewrites
// node_modules/.package-lock.json at each install). One file loads faster than the packages'
// hundreds of modules (about 0.07 s of the 0.3 s start here). bin/utfall.js calls it at each
// start; `npm install` runs it once (the `prepare` script) so the first call does not wait for
// esbuild. The same bundle is the worker of `--threads` (cli/threads.ts).
import { mkdirSync, readdirSync, renameSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const bundle = join(root, "node_modules", ".cache", "utfall", "cli.mjs");

/** The newest modification time of the TypeScript sources under these folders. */
function newestSource(dirs) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return newest;
}

/** When npm last installed packages, or 0. */
function installTime() {
  try {
    return statSync(join(root, "node_modules", ".package-lock.json")).mtimeMs;
  } catch {
    return 0;
  }
}

function bundleTime() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return -1;
  }
}

/** Rebuilds the bundle if a source is newer; returns its path. */
export async function buildIfStale() {
  const self = statSync(fileURLToPath(import.meta.url)).mtimeMs; // this file's build options
  if (bundleTime() < Math.max(self, installTime(), newestSource(["cli", "models"]))) {
    const { build } = await import("esbuild");
    mkdirSync(dirname(bundle), { recursive: true });
    // Written aside and renamed: several commands started at once never read half a file.
    const part = `${bundle}.${process.pid}.tmp`;
    await build({
      entryPoints: [join(root, "cli", "bin.ts")],
      outfile: part,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // ExcelJS (only `annex` loads it, on demand) is CommonJS that requires Node's built-ins,
      // which an ESM bundle cannot: it stays a package, imported as it is.
      external: ["exceljs"],
      logLevel: "error",
    });
    renameSync(part, bundle);
  }
  return bundle;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await buildIfStale();
