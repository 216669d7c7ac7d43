#!/usr/bin/env node
// The `utfall` command. It runs the CLI from one JavaScript bundle, made by esbuild from
// cli/ and models/ the first time and again whenever a source file is newer, so no
// transpiler runs at each call (tsx's loader took about 2 s per start). The bundle lives in
// node_modules/.cache/utfall/; packages stay in node_modules and are imported as they are.
import { mkdirSync, readdirSync, renameSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(root, "node_modules", ".cache", "utfall", "cli.mjs");

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

function bundleTime() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return -1;
  }
}

if (bundleTime() < newestSource(["cli", "models"])) {
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
    packages: "external",
    logLevel: "error",
  });
  renameSync(part, bundle);
}
await import(pathToFileURL(bundle).href);
