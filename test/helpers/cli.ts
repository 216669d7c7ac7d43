/**
 * The command line in a test: `cli(...argv)` calls the CLI's `main(argv, out, err)` (cli/main.ts)
 * in this process with streams that collect what is written, as cli/bin.ts does for the real
 * command (an exception is exit code 1 with "utfall: internal error"); `utfallProcess(...argv)`
 * starts the real command, `node bin/utfall.js`, for the few end-to-end tests that must see a
 * process's exit code and its own stdout and stderr.
 *
 * In-process runs skip Node's start and the bundle's load (about a second each on a loaded
 * machine), so a test pays only for the simulation it asks for. Relative paths are read from
 * the repository root, as a user typing `utfall run data/scenarios/…` there would.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { main } from "../../cli/main.js";
import { printable } from "../../cli/printable.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

export interface CliResult {
  /** The exit code: 0 success, 2 bad input, 1 an internal error. */
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it as text; `isTTY` false, as a pipe's. */
class Collector extends Writable {
  readonly isTTY = false;
  text = "";
  constructor() {
    super({ decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += typeof chunk === "string" ? chunk : chunk.toString("utf8");
    done();
  }
}

/** Runs `main(argv)` in this process and collects its exit code, stdout and stderr. */
export async function cli(...argv: string[]): Promise<CliResult> {
  if (process.cwd() !== ROOT) process.chdir(ROOT);
  const out = new Collector(), err = new Collector();
  let status: number;
  try {
    // `await` takes main's number today and its Promise<number> once it runs threads.
    status = await main(argv, out, err as unknown as NodeJS.WriteStream);
  } catch (e) {
    err.text += printable(`utfall: internal error: ${(e as Error).stack ?? e}`) + "\n";
    status = 1;
  }
  return { status, stdout: out.text, stderr: err.text };
}

/**
 * Starts `node bin/utfall.js …argv` in the repository root with pipes for stdout and stderr
 * (or, with `shell`, one command line for the shell) and collects what it prints.
 */
export function utfallProcess(argv: string[], { shell = false } = {}): Promise<CliResult> {
  const [command, args] = shell ? [`"${process.execPath}" bin/utfall.js ${argv.join(" ")}`, []] : [process.execPath, ["bin/utfall.js", ...argv]];
  return new Promise((resolve, reject) => {
    // A generous limit: the first call may build the CLI's bundle (bin/utfall.js) on a loaded machine.
    const child = spawn(command, args, { cwd: ROOT, shell, timeout: 110_000, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
