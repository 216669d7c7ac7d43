/** Process entry: runs the CLI and maps an unexpected failure to exit code 1. */
import { main } from "./main.js";
import { printable } from "./printable.js";

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(printable(`utfall: internal error: ${(e as Error).stack ?? e}`) + "\n");
  process.exitCode = 1;
}
