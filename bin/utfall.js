#!/usr/bin/env node
// The `utfall` command. It runs the CLI from one JavaScript bundle, made by esbuild from
// cli/ and models/ at `npm install` and again whenever a source file is newer (bin/build.js),
// so no transpiler runs at each call (tsx's loader took about 2 s per start). The bundle lives
// in node_modules/.cache/utfall/; packages stay in node_modules and are imported as they are.
import { pathToFileURL } from "node:url";
import { buildIfStale } from "./build.js";

await import(pathToFileURL(await buildIfStale()).href);
