/**
 * Issue 12: the command line refuses hostile or careless input with exit 2 and a message naming
 * what is wrong, never a stack trace, NaN or a raw control character. Runs `main` in-process
 * (cli/main.ts) with streams that collect what is written; one case runs bin/utfall.js to check
 * the process's own exit code.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cli, type CliResult } from "../helpers/cli.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const NORRKOPING = join(root, "data/scenarios/norrkoping-2016.json");
const TRIALS = "200";

const tmp = mkdtempSync(join(tmpdir(), "utfall-hardening-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Result = CliResult;


/** Writes `content` to a temporary file; returns its path. */
function file(name: string, content: string | Buffer): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

/** The Norrköping scenario changed by `mutate`, written to a temporary file. */
function mutated(name: string, mutate: (s: Record<string, any>) => void): string {
  const s = JSON.parse(readFileSync(NORRKOPING, "utf8"));
  mutate(s);
  return file(`${name}.json`, JSON.stringify(s, null, 2));
}

/** Control characters a terminal acts on: C0 except tab and newline, DEL, C1. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function expectRefused(r: Result, ...mentions: string[]): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  for (const m of mentions) expect(r.stderr).toContain(m);
  expect(r.stderr).not.toMatch(/NaN|Infinity|RangeError|\n\s+at /);
  expect(r.stderr).not.toMatch(CONTROL);
}

describe("a currency that is not an ISO 4217 code (issue 12, item 1)", () => {
  const bad = ["kr", "£", "EURO", "US$", "SEK "];

  it.each(bad)("%j: validate exits 2 naming currency with examples", async (c) => {
    expectRefused(await cli("validate", mutated(`currency-${bad.indexOf(c)}`, (s) => (s.currency = c))), "currency: must be an ISO 4217 currency code", "SEK, GBP, USD or EUR", JSON.stringify(c));
  });

  it("run (table and --csv), sweep and compare exit 2 before anything is simulated, instead of a RangeError", async () => {
    const f = mutated("currency-kr", (s) => (s.currency = "kr"));
    expectRefused(await cli("run", f, "--trials", TRIALS), "currency");
    expectRefused(await cli("run", f, "--trials", TRIALS, "--csv"), "currency");
    expectRefused(await cli("sweep", f, "--trials", TRIALS, "--vary", "contract.rules[savings].share=0.4:0.6:2"), "currency");
    expectRefused(await cli("compare", NORRKOPING, f, "--trials", TRIALS), "currency");
  });

  it("bin/utfall.js itself exits 2, not 1 with a stack trace", async () => {
    const f = mutated("currency-pound", (s) => (s.currency = "£"));
    const r = spawnSync(process.execPath, ["bin/utfall.js", "run", f, "--trials", TRIALS], { cwd: root, encoding: "utf8", timeout: 120_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("currency");
    expect(r.stderr).not.toContain("internal error");
  });
});

describe("sweep naming one field twice (item 8)", () => {
  it("contract.rules[1].share and contract.rules[savings].share are the same number: exit 2 naming both", async () => {
    expectRefused(
      await cli("sweep", NORRKOPING, "--trials", TRIALS, "--vary", "contract.rules[1].share=0.4:0.6:2", "--vary", "contract.rules[savings].share=0.5:0.7:2"),
      "contract.rules[1].share and contract.rules[savings].share",
      "same field",
    );
  });

  it("the same path written twice, and a {value} field with its number", async () => {
    expectRefused(await cli("sweep", NORRKOPING, "--trials", TRIALS, "--vary", "contract.capital=1:2:2", "--vary", "contract.capital=3:4:2"), "same field");
    const g = mutated("delivered-value", (s) => (s.intervention.delivered = { value: 0.9, source: "assumption" }));
    expectRefused(await cli("sweep", g, "--trials", TRIALS, "--vary", "intervention.delivered=0.8:0.9:2", "--vary", "intervention.delivered.value=0.8:0.9:2"), "same field");
  });

  it("two different fields still sweep", async () => {
    const r = await cli("sweep", NORRKOPING, "--trials", TRIALS, "--json", "--vary", "contract.rules[savings].share=0.5:0.6:2", "--vary", "contract.rules[return].share=0.5:0.6:2");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).cells).toHaveLength(4);
  });
});

describe("--vary and --trials are parsed strictly (item 9)", () => {
  it.each([
    ["contract.capital=0x10:20:2", 'from must be a decimal number such as 0.4, -2 or 1e6, got "0x10"'],
    ["contract.capital= :1:2", 'from must be a decimal number such as 0.4, -2 or 1e6, got " "'],
    ["contract.capital=:1:2", 'from must be a decimal number such as 0.4, -2 or 1e6, got ""'],
    ["contract.capital=1:0b11:2", 'to must be a decimal number'],
    ["contract.capital=1:2:0x3", 'steps must be a whole number from 1 to 201, got "0x3"'],
    ["contract.capital=1:2: 3", 'steps must be a whole number from 1 to 201, got " 3"'],
    ["contract.capital=1e400:1:2", "from and to must be finite numbers"],
    // The distance 2e308 overflows to Infinity; the steps between would be NaN.
    ["contract.capital=-1e308:1e308:3", "from and to are too far apart"],
  ])("%s is refused: %s", async (spec, message) => {
    const r = await cli("sweep", NORRKOPING, "--trials", TRIALS, "--vary", spec);
    expectRefused(r, `--vary ${JSON.stringify(spec)}`, message);
    expect(r.stderr).not.toContain(NORRKOPING); // not blamed on the scenario file
  });

  it("decimal forms a person writes are still read: -0.5, .5, +1, 1e1", async () => {
    const r = await cli("sweep", NORRKOPING, "--trials", TRIALS, "--json", "--vary", "valuation.financierDiscountRate=-0.05:.05:3");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).cells.map((c: { at: Record<string, number> }) => c.at["valuation.financierDiscountRate"])).toEqual([-0.05, 0, 0.05]);
  });

  it("--trials -1 says what is allowed, not parseArgs' 'ambiguous'", async () => {
    const r = await cli("run", NORRKOPING, "--trials", "-1");
    expectRefused(r, '--trials: must be a whole number from 1 to 10000000, got "-1"');
    expect(r.stderr).not.toContain("ambiguous");
  });

  it("--trials with no value, or followed by another option, says what it needs", async () => {
    expectRefused(await cli("run", NORRKOPING, "--trials", "--json"), "--trials: needs a value: a whole number from 1 to 10000000");
    expectRefused(await cli("run", NORRKOPING, "--trials"), "--trials: needs a value");
    expect((await cli("run", NORRKOPING, "--trials", "--json")).stderr).not.toContain("ambiguous");
  });

  it("a negative seed is a seed: --seed -5 and --seed=-5 give the same run", async () => {
    const a = await cli("run", NORRKOPING, "--trials", TRIALS, "--json", "--seed", "-5");
    const b = await cli("run", NORRKOPING, "--trials", TRIALS, "--json", "--seed=-5");
    expect(a.status, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).seed).toBe(-5);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe("text encodings (item 11)", () => {
  const json = readFileSync(NORRKOPING, "utf8");

  it("a UTF-8 byte-order mark is accepted: the same summary as without it", async () => {
    const withBom = file("bom.json", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json, "utf8")]));
    const a = await cli("run", withBom, "--trials", TRIALS, "--json");
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toBe((await cli("run", NORRKOPING, "--trials", TRIALS, "--json")).stdout);
    expect((await cli("validate", withBom)).status).toBe(0);
  });

  const utf16le = Buffer.from(json, "utf16le");
  const utf16be = Buffer.from(utf16le).swap16();
  it.each([
    ["UTF-16 LE with its byte-order mark FF FE", Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le])],
    ["UTF-16 BE with its byte-order mark FE FF", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be])],
    ["UTF-16 LE without a byte-order mark (NUL bytes)", utf16le],
  ])("%s is refused with 'save the file as UTF-8', and no NUL byte on stderr", async (name, bytes) => {
    const f = file(`utf16-${name.length}.json`, bytes);
    for (const command of ["validate", "run"]) {
      const r = await cli(command, f);
      expectRefused(r, `${f}: (file):`, "save the file as UTF-8");
      expect(r.stderr).not.toContain("\u0000");
    }
  });
});

describe("control characters from the input are shown escaped (item 13)", () => {
  const hostile = "Evil\u001b]0;pwned\u0007\u001b[2J\u009b31m\r";
  const f = mutated("escapes", (s) => {
    s.name = hostile;
    s.simulation.seed = "seed\u001b[1A";
  });

  it("the table shows the name and seed with \\xNN escapes and no control character", async () => {
    const r = await cli("run", f, "--trials", TRIALS);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).toContain("Evil\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\x0d");
    expect(r.stdout).toContain("seed\\x1b[1A");
  });

  it("--csv, sweep and compare likewise", async () => {
    for (const r of [
      await cli("run", f, "--trials", TRIALS, "--csv"),
      await cli("sweep", f, "--trials", TRIALS, "--vary", "contract.rules[savings].share=0.5:0.6:2"),
      await cli("compare", f, NORRKOPING, "--trials", TRIALS),
    ]) {
      expect(r.status, r.stderr).toBe(0);
      // The CSV's CRLF row ends are its own, not the input's (see the next test).
      expect(r.stdout.replace(/\r\n/g, "\n")).not.toMatch(CONTROL);
      expect(r.stdout).toContain("Evil\\x1b");
    }
  });

  // Found by the fuzz test (test/properties/cliFuzz.test.ts): the CSV writer's CRLF row ends
  // were escaped too, so every row of `run --csv` ended in the four characters \x0d.
  it("--csv keeps its CRLF row ends while the name's CR is escaped", async () => {
    const r = await cli("run", f, "--trials", TRIALS, "--csv");
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.split("\r\n");
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((row) => !row.includes("\n") && !row.includes("\r"))).toBe(true);
    expect(r.stdout).not.toMatch(/\\x0d\r\n/);
    expect(rows.find((row) => row.startsWith("scenario"))).toContain("\\x9b31m\\x0d");
    expect((await cli("run", NORRKOPING, "--trials", TRIALS, "--csv")).stdout).not.toContain("\\x0d");
  });

  it("--json escapes them and still parses to the same name", async () => {
    const r = await cli("run", f, "--trials", TRIALS, "--json");
    expect(r.stdout).not.toMatch(CONTROL);
    expect(JSON.parse(r.stdout).scenario).toBe(hostile);
  });

  it("error messages quoting the input, and unknown flags, are escaped too", async () => {
    expectRefused(await cli("validate", mutated("escape-kind", (s) => (s.contract.rules[0].kind = "\u001b[2J"))), "contract.rules[0].kind", String.raw`got "\u001b[2J"`);
    expectRefused(await cli("validate", file("escape-json.json", "{\u001b[31m")), "invalid JSON");
    expectRefused(await cli("run", NORRKOPING, "--\u001b[2J"));
  });
});
