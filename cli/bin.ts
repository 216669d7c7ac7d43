/**
 * Process entry: runs the CLI and maps an unexpected failure to exit code 1. In a worker thread
 * of `--threads` (cli/threads.ts) the same bundle runs the worker instead (cli/worker.ts).
 */
import { isMainThread } from "node:worker_threads";
import { main } from "./main.js";
import { printable } from "./printable.js";
import "./worker.js";

if (isMainThread) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(printable(`utfall: internal error: ${(e as Error).stack ?? e}`) + "\n");
    process.exitCode = 1;
  }
}
