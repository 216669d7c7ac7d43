/**
 * The `utfall` command line: `run` prints a scenario's summary, `validate` checks a scenario.
 * Exit codes: 0 success; 2 bad input (unreadable file, invalid JSON, schema violation, bad
 * flag); 1 an internal error.
 */
import { capitalShareWarnings } from "../models/contract/rules.js";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname } from "node:path";
import { parseArgs } from "node:util";
import { checkRiskSplitMemory, formatPath, compareSummaries, compile, csvDialect, riskSplit, riskSplitFigures, parseScenario, PathError, RunRefused, runScenarioWith, summaryCsv, sweep, SweepError, trialColumns, trialsCsv, trialsJson, type CsvDialect, type Problem, type RiskSplitOptions, type Scenario, type Vary } from "../models/index.js";
import { localeOf } from "../models/format.js";
import { MAX_TRIALS } from "../models/constants.js";
import { deterministicCases } from "../models/analysis/cases.js";
import { renderSweep, sweepCsv, sweepThreaded } from "./sweep.js";
import { renderCases, renderComparison, renderRiskSplit, renderSummary } from "./table.js";
import { renderSelfFund, selfFundComparison } from "./selfFund.js";
import { printable, printableCsv, printableJson } from "./printable.js";
import { parseFree, parseNeeds, renderDesign } from "./design.js";
import { DECIMAL } from "./numbers.js";
import { designContract, DEFAULT_DESIGN_NEEDS } from "../models/analysis/designer.js";
import { writeAnnex, AnnexUnsupported } from "./annex.js";
import { renderFit } from "./fit.js";
import { runFollowUp } from "./followup.js"; // follow-up (issue 15 §3)
import { fitDataSchema, FitError, fitScenario, withFit } from "../models/analysis/fit.js";
import { describePath } from "../models/analysis/labels.js";
import { resolveFigureRefs } from "../models/figures/resolve.js";
import { MAX_THREADS, parseThreads, simulateThreaded, ThreadsError, WorkerFailed } from "./threads.js";

/** Cohort realisations per parameter draw in `run --risk-split`. */
const RISK_SPLIT_PER_GROUP = 20;

const USAGE = `usage:
  utfall run <scenario.json> [--trials N] [--seed S] [--threads N] [--json|--csv] [--out FILE] [--locale L] [--risk-split] [--cases]
  utfall validate <scenario.json>
  utfall sweep <scenario.json> --vary <path>=<from>:<to>:<steps> [--vary …] [--trials N] [--seed S] [--threads N] [--json|--csv] [--locale L]
  utfall compare <a.json> <b.json> [more.json …] [--trials N] [--seed S] [--threads N] [--json]
  utfall compare <scenario.json> [more.json …] --self-fund [--trials N] [--seed S] [--threads N] [--json]
  utfall annex <scenario.json> --out annex.xlsx [--lang sv|en]
  utfall fit <scenario.json> <data.json> [--trials N] [--seed S] [--ess-floor N] [--out fitted.json] [--json]
  utfall followup <scenario.json> <observations.json|.csv> [--trials N] [--seed S] [--ess-floor N] [--out FILE] [--json]
  utfall design <scenario.json> --free <path>=<min>:<max>[:<steps>] [--free …] [--needs needs.json]
                [--population N] [--generations N] [--search-seed N] [--trials N] [--seed S] [--json]

  run        simulate the scenario and print a summary (a table, or one JSON object with --json)
  validate   exit 0 if the scenario is valid; else exit 2 with one line per problem on stderr
  sweep      evaluate one or two terms over a grid of values; contract terms re-use the same
             simulated outcomes (common random numbers)
  compare    run several scenarios with the same trials and seed and print their key figures
             side by side; with --self-fund, each scenario's contract against the
             payer funding the same delivery itself with a loan at its lending rate
  annex      write the contract's payment formula as a workbook an assessor fills in
             (annex.xlsx) and as one page of plain language (annex.sv.md, annex.en.md)
  fit        weight the scenario's uncertain inputs by the likelihood of observed data
             (importance sampling) and print prior against posterior; --out writes the
             fitted scenario, which run, sweep and the pages take as any scenario
  followup   condition the scenario on a running contract's quarterly observations (children
             per care state, costs, delivery) and print, per quarter, the posterior of the
             effect and the forecast money; and the value of the contract's clauses
  design     search the free contract terms for the contracts that meet every party's needs
             and print their Pareto front (payer's expected net, financier's expected NPV,
             chance of paying for nothing), all evaluated on one simulation; if none meets
             every need, the smallest change to each need that would make one acceptable

  --trials N   number of Monte Carlo trials, 1 to 10000000 (default: the scenario's)
  --seed S     seed for the random numbers, a number or a word (default: the scenario's)
  --threads N  (run, compare, sweep) simulate on N threads, 1 to ${MAX_THREADS} (default: the number of
               cores; --risk-split's second run too; a sweep's cells too); the results are the same for any N
  --json       print exactly one JSON object on stdout
  --csv        (run) print the summary as CSV for a spreadsheet, one figure per row;
               (sweep) print the grid as CSV, one row per cell
  --out FILE   (run) also write every trial's results to FILE: .csv or .json
  --locale L   (run, sweep) the spreadsheet locale of --csv and --out CSV, e.g. sv-SE (semicolons,
               decimal comma) or en-GB (commas, decimal point); default: the scenario's
               currency's (SEK → sv-SE, GBP → en-GB)
  --risk-split (run) also split each party's risk into the cohort's chance and ignorance of
               the parameters, from a second run of the same size and seed (trials/20
               parameter draws × 20 cohorts each); not with --csv
  --cases      (run) also give deterministic base, upside and downside cases: every uncertain
               input at its central value, its favourable or its unfavourable end (P90/P10 by
               the sign of its effect on the financier's NPV); with --json a "cases" object;
               not with --csv
  --vary P=A:B:K  (sweep) vary the field at JSON path P from A to B in K steps, e.g.
               --vary contract.rules[savings].share=0.4:0.8:5
  --free P=A:B[:K]  (design) let contract term P move from A to B (any value, or K evenly
               spaced values)
  --needs FILE (design) the parties' needs as JSON (README "The contract designer"); by
               default a 5 % hurdle, a chance of loss of 25 % or less, no expected net cost to
               the payer and a chance of paying for nothing of 10 % or less
  --ess-floor N (fit) the least effective sample size to accept (default 1000): below it the
               prior trials are doubled, up to 160,000
  --lang L     (annex) the language of the text printed: sv or en (default: sv for SEK)
  --population N, --generations N, --search-seed N  (design) the search's settings
               (default 32, 20, 1)`;

/** riskSplit (models/analysis/riskSplit.ts) with its K × J trials simulated over `threads` threads. */
async function riskSplitThreaded(scenario: Scenario, options: RiskSplitOptions & { groups: number; perGroup: number }, threads: number) {
  const simulation = { trials: options.groups * options.perGroup, seed: options.seed };
  const outcomes = await simulateThreaded(scenario, compile(scenario), simulation, { threads, perGroup: options.perGroup });
  return riskSplit(scenario, { ...options, outcomes });
}

/** Bad input: reported on stderr, exit code 2. */
export class InputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}


/** Table or CSV text on stdout, with control characters from the input escaped. */
function writeText(out: NodeJS.WritableStream, text: string): void {
  out.write(printable(text));
}

/** CSV on stdout: its CRLF row ends kept, other control characters escaped. */
function writeCsv(out: NodeJS.WritableStream, text: string): void {
  out.write(printableCsv(text));
}

/** One JSON object on stdout. */
function writeJson(out: NodeJS.WritableStream, value: unknown): void {
  out.write(printableJson(JSON.stringify(value)) + "\n");
}

function readJson(file: string): { json: unknown } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message;
    throw new InputError([`${file}: cannot read: ${why}`]);
  }
  // UTF-16 (Notepad's "Unicode") starts with the byte-order mark FF FE or FE FF, and has a NUL
  // byte beside every ASCII character; UTF-8 text never has a NUL byte.
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16 || bytes.includes(0)) {
    throw new InputError([`${file}: (file): ${utf16 ? "is UTF-16 text" : "has NUL bytes (UTF-16 text or not a text file)"}; save the file as UTF-8`]);
  }
  // A UTF-8 byte-order mark (EF BB BF), as some Windows editors write, is not part of the JSON.
  let text = bytes.toString("utf8");
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  try {
    return { json: JSON.parse(text) };
  } catch (e) {
    throw new InputError([`${file}: (file): invalid JSON: ${(e as Error).message}`]);
  }
}


/** `contract.rules[1].share=0.4:0.8:5` → five values from 0.4 to 0.8. */
export function parseVary(spec: string): Vary {
  const m = /^(.+)=([^:]*):([^:]*):([^:]*)$/.exec(spec);
  const bad = (why: string) => new InputError([`--vary ${JSON.stringify(spec)}: ${why}; expected <path>=<from>:<to>:<steps>, e.g. contract.rules[1].share=0.4:0.8:5`]);
  if (!m) throw bad("not in the form path=from:to:steps");
  const [, path, a, b, k] = m as unknown as [string, string, string, string, string];
  for (const [name, text] of [["from", a], ["to", b]] as const) {
    if (!DECIMAL.test(text)) throw bad(`${name} must be a decimal number such as 0.4, -2 or 1e6, got ${JSON.stringify(text)}`);
  }
  const from = Number(a), to = Number(b);
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw bad("from and to must be finite numbers (at most about 1.8e308 in size)");
  if (!Number.isFinite(to - from)) throw bad("from and to are too far apart: the distance between them is not a finite number");
  if (!/^\d+$/.test(k)) throw bad(`steps must be a whole number from 1 to 201, got ${JSON.stringify(k)}`);
  const steps = Number(k);
  if (steps < 1 || steps > 201) throw bad("steps must be a whole number from 1 to 201");
  if (steps === 1 && from !== to) throw bad("one step needs from = to");
  const values = Array.from({ length: steps }, (_, i) => (steps === 1 ? from : from + ((to - from) * i) / (steps - 1)));
  return { path: path!, values: values.map((v) => +v.toPrecision(12)) };
}

async function runSweep(file: string, values: { vary?: string[]; trials?: string; seed?: string; threads?: string; json?: boolean; csv?: boolean; locale?: string }, out: NodeJS.WritableStream, err: NodeJS.WriteStream): Promise<number> {
  if (!values.vary?.length) throw new InputError(["sweep: give one or two --vary <path>=<from>:<to>:<steps>"]);
  if (values.vary.length > 2) throw new InputError(["sweep: at most two --vary at a time"]);
  if (values.json && values.csv) throw new InputError(["sweep: choose --json or --csv, not both"]);
  const vary = values.vary.map(parseVary);
  const trials = parseTrials(values.trials);
  const seed = parseSeed(values.seed);
  const threads = parseThreads(values.threads);
  // A bad --locale is refused before anything is simulated; by default, the scenario's currency's.
  const locale = values.locale === undefined ? null : parseLocale(values.locale, "");
  const { json } = readJson(file);
  let result;
  try {
    result = await sweepThreaded(json, vary, { trials, seed, threads, onProgress: progressReporter(err) });
  } catch (e) {
    if (e instanceof SweepError) throw new InputError(e.problems.map((p) => `${file}: ${p.path}: ${p.message}`));
    if (e instanceof PathError) throw new InputError([`--vary ${e.problem.path}: ${e.problem.message}`]);
    throw e;
  }
  if (values.json) writeJson(out, result);
  else if (values.csv) writeCsv(out, sweepCsv(result, locale ?? parseLocale(undefined, result.currency)));
  else writeText(out, renderSweep(result) + "\n");
  return 0;
}

function loadScenario(file: string): Scenario {
  const parsed = parseScenario(readJson(file).json);
  if (!parsed.ok) throw new InputError(parsed.problems.map((p: Problem) => `${file}: ${p.path}: ${p.message}`));
  return parsed.scenario;
}

function parseTrials(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Digits may be grouped with underscores, as in a JavaScript literal: 100_000.
  const digits = value.replace(/_/g, "");
  const n = Number(digits);
  if (!/^\d+$/.test(digits) || !Number.isSafeInteger(n) || n < 1 || n > MAX_TRIALS) {
    throw new InputError([`--trials: must be a whole number from 1 to ${MAX_TRIALS}, got ${JSON.stringify(value)}`]);
  }
  return n;
}

function parseSeed(value: string | undefined): string | number | undefined {
  if (value === undefined) return undefined;
  if (value === "") throw new InputError(["--seed: must not be empty"]);
  return /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
}

/** Progress on stderr, only when a person is watching it. */
function progressReporter(stream: NodeJS.WriteStream): ((done: number, total: number, doing?: string, things?: string) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let last = -1;
  return (done, total, doing = "simulating", things = "trials") => {
    const pct = Math.floor((100 * done) / total);
    if (pct === last && done < total) return;
    last = pct;
    stream.write(`\r${doing}… ${pct} % (${done.toLocaleString("en")} of ${total.toLocaleString("en")} ${things})`);
    if (done === total) stream.write("\r\x1b[K");
  };
}

/** `--out FILE`: its format from the extension; a missing directory is reported before simulating. */
function checkOut(path: string | undefined): { path: string; format: "csv" | "json" } | null {
  if (path === undefined) return null;
  const ext = extname(path).toLowerCase();
  if (ext !== ".csv" && ext !== ".json") {
    throw new InputError([`--out ${path}: unknown file type ${JSON.stringify(ext || "(none)")}; use a name ending in .csv or .json`]);
  }
  const dir = dirname(path);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new InputError([`--out ${path}: cannot write: no directory ${dir}`]);
  return { path, format: ext === ".csv" ? "csv" : "json" };
}

function writeOut(path: string, text: string): void {
  try {
    writeFileSync(path, text, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "is a directory" : code === "ENOENT" ? "no such file or directory" : code === "EROFS" ? "read-only file system" : (e as Error).message;
    throw new InputError([`--out ${path}: cannot write: ${why}`]);
  }
}

/** The CSV dialect: --locale if given, else the scenario's currency's locale. */
function parseLocale(value: string | undefined, currency: string): CsvDialect {
  return csvDialect(csvLocale(value, currency));
}

/**
 * The CSV dialect's locale, checked (a bad --locale is refused before anything runs) but its
 * dialect not yet made: csvDialect builds the process's first Intl.NumberFormat (about 11 ms of
 * CPU, measured), which a run that writes no CSV does not need.
 */
function csvLocale(value: string | undefined, currency: string): string {
  if (value === undefined) return localeOf(currency);
  try {
    const tags = value === "" ? [] : Intl.getCanonicalLocales(value);
    if (tags.length !== 1) throw new RangeError();
    return tags[0]!;
  } catch {
    throw new InputError([`--locale: must be a language tag such as sv-SE or en-GB, got ${JSON.stringify(value)}`]);
  }
}

async function runCompare(files: string[], values: { trials?: string; seed?: string; threads?: string; json?: boolean; csv?: boolean; vary?: string[]; out?: string; locale?: string; "self-fund"?: boolean }, out: NodeJS.WritableStream, err: NodeJS.WriteStream): Promise<number> {
  if (values["self-fund"]) return runSelfFund(files, values, out, err);
  if (files.length < 2) throw new InputError(["compare: give two or more <scenario.json>", USAGE]);
  if (values.csv || values.vary || values.out !== undefined || values.locale !== undefined) throw new InputError(["compare takes only --trials, --seed, --threads and --json"]);
  const trials = parseTrials(values.trials);
  const seed = parseSeed(values.seed);
  const threads = parseThreads(values.threads);
  const scenarios = files.map(loadScenario); // every file checked before anything runs
  const summaries = await summariesOf(scenarios, files, trials, seed, threads, err);
  const comparison = compareSummaries(summaries);
  if (values.json) writeJson(out, comparison);
  else writeText(out, renderComparison(comparison) + "\n");
  return 0;
}

/** Runs each scenario with the same trials and seed, showing which one on a terminal. */
async function summariesOf(scenarios: Scenario[], files: string[], trials: number | undefined, seed: string | number | undefined, threads: number, err: NodeJS.WriteStream) {
  const summaries = [];
  for (const [i, s] of scenarios.entries()) {
    err.isTTY && err.write(`\r${printable(files[i]!)} (${i + 1} of ${files.length})…`);
    summaries.push((await runScenarioWith(s, { trials, seed }, (model, simulation) => simulateThreaded(s, model, simulation, { threads }))).summary);
  }
  if (err.isTTY) err.write("\r\x1b[K");
  return summaries;
}

/** `compare --self-fund`: each scenario's contract against the payer funding the delivery itself. */
async function runSelfFund(files: string[], values: { trials?: string; seed?: string; threads?: string; json?: boolean; csv?: boolean; vary?: string[]; out?: string; locale?: string }, out: NodeJS.WritableStream, err: NodeJS.WriteStream): Promise<number> {
  if (files.length < 1) throw new InputError(["compare --self-fund: give one or more <scenario.json>", USAGE]);
  if (values.csv || values.vary || values.out !== undefined || values.locale !== undefined) throw new InputError(["compare takes only --trials, --seed, --threads, --json and --self-fund"]);
  const trials = parseTrials(values.trials);
  const seed = parseSeed(values.seed);
  const threads = parseThreads(values.threads);
  const scenarios = files.map(loadScenario);
  scenarios.forEach((s, i) => {
    if (s.valuation.selfFunding === undefined && s.currency !== "SEK") {
      throw new InputError([`${files[i]}: valuation.selfFunding.lendingRate: needed for --self-fund (there is a default only for SEK: Kommuninvest's rates)`]);
    }
  });
  const summaries = await summariesOf(scenarios, files, trials, seed, threads, err);
  const comparison = selfFundComparison(summaries);
  if (values.json) writeJson(out, comparison);
  else writeText(out, renderSelfFund(comparison, scenarios) + "\n");
  return 0;
}

/** What each option that takes a value allows, for the message when the value is missing. */
const OPTION_VALUES: Record<string, string> = {
  "--trials": `a whole number from 1 to ${MAX_TRIALS}`,
  "--seed": "a number or a word",
  "--threads": `a whole number from 1 to ${MAX_THREADS}`,
  "--out": "a file name ending in .csv or .json",
  "--locale": "a language tag such as sv-SE or en-GB",
  "--vary": "<path>=<from>:<to>:<steps>",
  "--free": "<path>=<min>:<max> or <path>=<min>:<max>:<steps>",
  "--needs": "a JSON file of the parties' needs",
  "--lang": "sv or en",
  "--ess-floor": "a whole number from 1 to 1000000",
  "--population": "an even whole number from 4 to 1000",
  "--generations": "a whole number from 0 to 1000",
  "--search-seed": "a whole number from 0 to 4294967295",
};

/** A whole number option in [lo, hi], or undefined when not given. */
function parseWhole(name: string, value: string | undefined, lo: number, hi: number, what = `a whole number from ${lo} to ${hi}`): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < lo || n > hi) throw new InputError([`${name}: must be ${what}, got ${JSON.stringify(value)}`]);
  return n;
}

/** `utfall fit`: the prior ensemble weighted by the data (models/analysis/fit.ts). */
function runFit(files: string[], values: { trials?: string; seed?: string; out?: string; json?: boolean; csv?: boolean; threads?: string; locale?: string; vary?: string[]; "ess-floor"?: string }, out: NodeJS.WritableStream, err: NodeJS.WriteStream): number {
  if (files.length !== 2) throw new InputError(["fit: give <scenario.json> <data.json>", USAGE]);
  if (values.csv || values.threads !== undefined || values.locale !== undefined || values.vary) throw new InputError(["fit takes --trials, --seed, --ess-floor, --out and --json"]);
  const [file, dataFile] = files as [string, string];
  const trials = parseTrials(values.trials);
  const seed = parseSeed(values.seed);
  const essFloor = parseWhole("--ess-floor", values["ess-floor"], 1, 1_000_000);
  const outFile = values.out === undefined ? null : checkOut(values.out);
  if (outFile && outFile.format !== "json") throw new InputError([`--out ${values.out}: the fitted scenario is JSON; use a name ending in .json`]);
  const raw = readJson(file).json;
  const scenario = loadScenario(file);
  if (scenario.fitted) throw new InputError([`${file}: fitted: the scenario is fitted already; fit the scenario it came from, with all the data`]);
  const parsedData = fitDataSchema.safeParse(readJson(dataFile).json);
  if (!parsedData.success) throw new InputError(parsedData.error.issues.map((i) => `${dataFile}: ${formatPath(i.path as (string | number)[])}: ${i.message}`));
  let result;
  try {
    err.isTTY && err.write("fitting…");
    result = fitScenario(scenario, parsedData.data, { trials, seed, essFloor });
    err.isTTY && err.write("\r\x1b[K");
  } catch (e) {
    if (e instanceof FitError) throw new InputError([`${dataFile}: ${e.message}`]);
    throw e;
  }
  if (!result.essMet) err.write(printable(`${file}: warning: effective sample size ${Math.round(result.ess)} is below --ess-floor ${result.essFloor} even at ${result.trials} trials\n`));
  if (outFile) {
    // Indented as a scenario file, with one posterior row a line.
    const fitted = withFit(resolveFigureRefs(raw) as Record<string, unknown>, result, parsedData.data);
    const rows = (fitted.fitted as { rows: number[][] }).rows;
    const text = JSON.stringify({ ...fitted, fitted: { ...(fitted.fitted as object), rows: "\u0000rows" } }, null, 1).replace('"\\u0000rows"', `[\n${rows.map((r) => "  " + JSON.stringify(r)).join(",\n")}\n ]`);
    writeOut(outFile.path, text + "\n");
  }
  if (values.json) writeJson(out, { scenario: scenario.name, trials: result.trials, seed: result.seed, ess: result.ess, essFloor: result.essFloor, essMet: result.essMet, inputs: result.inputs });
  else writeText(out, renderFit(result, scenario, (path) => describePath(raw, path)) + "\n");
  return 0;
}

/** `utfall annex`: the payment annex (cli/annex.ts), the workbook to --out and the text beside it. */
async function runAnnex(file: string, values: { out?: string; lang?: string; trials?: string; seed?: string; threads?: string; json?: boolean; csv?: boolean; locale?: string; vary?: string[] }, out: NodeJS.WritableStream): Promise<number> {
  if (values.trials !== undefined || values.seed !== undefined || values.threads !== undefined || values.json || values.csv || values.locale !== undefined || values.vary) {
    throw new InputError(["annex takes only --out and --lang: it simulates nothing"]);
  }
  if (values.out === undefined) throw new InputError(["annex: give --out annex.xlsx"]);
  if (extname(values.out).toLowerCase() !== ".xlsx") throw new InputError([`--out ${values.out}: the annex is a workbook; use a name ending in .xlsx`]);
  checkOut(values.out.replace(/\.xlsx$/i, ".csv")); // the directory exists
  if (values.lang !== undefined && values.lang !== "sv" && values.lang !== "en") throw new InputError([`--lang: must be sv or en, got ${JSON.stringify(values.lang)}`]);
  const scenario = loadScenario(file);
  try {
    const { text } = await writeAnnex(scenario, values.out, values.lang as "sv" | "en" | undefined, (path, data) => {
      if (typeof data === "string") writeOut(path, data);
      else {
        try {
          writeFileSync(path, data);
        } catch (e) {
          throw new InputError([`--out ${path}: cannot write: ${(e as Error).message}`]);
        }
      }
    });
    writeText(out, text);
  } catch (e) {
    if (e instanceof AnnexUnsupported) throw new InputError([`${file}: ${e.message}`]);
    throw e;
  }
  return 0;
}

/** `utfall design`: the designer's front (models/analysis/designer.ts). */
function runDesign(file: string, values: { free?: string[]; needs?: string; population?: string; generations?: string; "search-seed"?: string; trials?: string; seed?: string; json?: boolean; csv?: boolean; out?: string; locale?: string; vary?: string[] }, out: NodeJS.WritableStream, err: NodeJS.WriteStream): number {
  if (values.csv || values.out !== undefined || values.locale !== undefined || values.vary) throw new InputError(["design takes --free, --needs, --population, --generations, --search-seed, --trials, --seed and --json"]);
  if (!values.free?.length) throw new InputError(["design: give one or more --free <path>=<min>:<max>[:<steps>]"]);
  const free = values.free.map((spec) => {
    const f = parseFree(spec);
    if (typeof f === "string") throw new InputError([f]);
    return f;
  });
  let needs = DEFAULT_DESIGN_NEEDS;
  if (values.needs !== undefined) {
    const parsed = parseNeeds(readJson(values.needs).json);
    if (Array.isArray(parsed)) throw new InputError(parsed.map((line) => `${values.needs}: ${line}`));
    needs = parsed;
  }
  const population = parseWhole("--population", values.population, 4, 1000, "an even whole number from 4 to 1000");
  if (population !== undefined && population % 2) throw new InputError([`--population: must be an even whole number from 4 to 1000, got ${JSON.stringify(values.population)}`]);
  const generations = parseWhole("--generations", values.generations, 0, 1000);
  const searchSeed = parseWhole("--search-seed", values["search-seed"], 0, 4294967295);
  const trials = parseTrials(values.trials);
  const seed = parseSeed(values.seed);
  const { json } = readJson(file);
  const settings = Object.fromEntries(Object.entries({ population, generations, searchSeed }).filter(([, v]) => v !== undefined));
  let result;
  try {
    const report = progressReporter(err);
    result = designContract(json, free, needs, { trials, seed, settings, onProgress: report && ((done, total) => report(done, total, "evaluating contracts", "contracts")) });
  } catch (e) {
    if (e instanceof SweepError) throw new InputError(e.problems.map((p) => `${p.path === "population" || p.path === "generations" ? "--" : `${file}: `}${p.path}: ${p.message}`));
    if (e instanceof PathError) throw new InputError([`--free ${e.problem.path}: ${e.problem.message}`]);
    throw e;
  }
  if (values.json) writeJson(out, result);
  else writeText(out, renderDesign(result) + "\n");
  return 0;
}

/**
 * `--trials -1` becomes `--trials=-1`, so a negative number reaches the option's own check
 * (parseArgs would call it "ambiguous"); an option followed by another option, or by nothing,
 * is refused with what the value should be.
 */
function joinOptionValues(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const allowed = OPTION_VALUES[arg];
    if (arg === "--") return [...args, ...argv.slice(i)];
    if (allowed === undefined) {
      args.push(arg);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || /^--?[A-Za-z]/.test(next) || next === "--") throw new InputError([`${arg}: needs a value: ${allowed}`]);
    if (next.startsWith("-")) {
      args.push(`${arg}=${next}`);
      i++;
    } else args.push(arg);
  }
  return args;
}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinOptionValues(argv),
      allowPositionals: true,
      options: {
        trials: { type: "string" },
        seed: { type: "string" },
        threads: { type: "string" },
        json: { type: "boolean", default: false },
        csv: { type: "boolean", default: false },
        vary: { type: "string", multiple: true },
        out: { type: "string" },
        locale: { type: "string" },
        "self-fund": { type: "boolean", default: false },
        "risk-split": { type: "boolean", default: false },
        cases: { type: "boolean", default: false },
        free: { type: "string", multiple: true },
        needs: { type: "string" },
        lang: { type: "string" },
        "ess-floor": { type: "string" },
        population: { type: "string" },
        generations: { type: "string" },
        "search-seed": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    err.write(printable(e instanceof InputError ? e.lines.join("\n") : (e as Error).message) + `\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.write(USAGE + "\n");
    return 0;
  }
  const [command, file, ...rest] = positionals;
  try {
    if (values["risk-split"] && command !== "run") throw new InputError(["--risk-split belongs to the run command"]);
    if (values.cases && command !== "run") throw new InputError(["--cases belongs to the run command"]);
    if (command === "compare") return await runCompare(positionals.slice(1), values, out, err);
    if (values["self-fund"]) throw new InputError(["--self-fund belongs to the compare command"]);
    if (command !== "design" && (values.free || values.needs !== undefined || values.population !== undefined || values.generations !== undefined || values["search-seed"] !== undefined)) {
      throw new InputError(["--free, --needs, --population, --generations and --search-seed belong to the design command"]);
    }
    if (command === "fit") return runFit(positionals.slice(1), values, out, err);
    if (command === "followup") return runFollowUp(positionals.slice(1), values, out, err, { InputError, loadScenario, readJson, parseTrials, parseSeed, parseWhole, writeOut, writeText, writeJson, usage: USAGE }); // follow-up (issue 15 §3)
    if (values["ess-floor"] !== undefined) throw new InputError(["--ess-floor belongs to the fit command"]);
    if (command !== "annex" && values.lang !== undefined) throw new InputError(["--lang belongs to the annex command"]);
    if (command !== "run" && command !== "validate" && command !== "sweep" && command !== "design" && command !== "annex") {
      throw new InputError([command === undefined ? "missing command" : `unknown command "${command}"`, USAGE]);
    }
    if (file === undefined) throw new InputError([`${command}: missing <scenario.json>`, USAGE]);
    if (rest.length) throw new InputError([`unexpected argument "${rest[0]}"`, USAGE]);
    if (command === "validate") {
      if (values.trials !== undefined || values.seed !== undefined || values.threads !== undefined || values.json || values.csv || values.out !== undefined || values.locale !== undefined) {
        throw new InputError(["validate takes no --trials, --seed or --json, and no --csv, --out, --locale or --threads"]);
      }
      const scenario = loadScenario(file);
      // Valid, but worth a second look: printed on stderr, exit code 0.
      for (const w of capitalShareWarnings(scenario)) err.write(printable(`${file}: warning: ${w.path}: ${w.message}\n`));
      writeText(out, `${file}: valid\n`);
      return 0;
    }
    if (command === "design") {
      if (values.threads !== undefined) throw new InputError(["--threads belongs to the run and compare commands"]);
      return runDesign(file, values, out, err);
    }
    if (command === "annex") return await runAnnex(file, values, out);
    if (command === "sweep") {
      if (values.out !== undefined) throw new InputError(["--out belongs to the run command"]);
      if (values.locale !== undefined && !values.csv) throw new InputError(["sweep: --locale goes with --csv"]);
      return await runSweep(file, values, out, err);
    }
    if (values.vary) throw new InputError(["--vary belongs to the sweep command"]);
    if (values.json && values.csv) throw new InputError(["run: choose --json or --csv, not both"]);
    if (values["risk-split"] && values.csv) throw new InputError(["--risk-split: goes with --json or the table, not --csv"]);
    if (values.cases && values.csv) throw new InputError(["--cases: goes with --json or the table, not --csv"]);
    const trials = parseTrials(values.trials);
    const seed = parseSeed(values.seed);
    const threads = parseThreads(values.threads);
    const outFile = checkOut(values.out);
    const scenario = loadScenario(file);
    const locale = csvLocale(values.locale, scenario.currency); // its dialect only for CSV output
    // --risk-split: both runs' memory is checked before the first starts (its non-finite trials: in riskSplit).
    if (values["risk-split"]) checkRiskSplitMemory(scenario, trials ?? scenario.simulation.trials, RISK_SPLIT_PER_GROUP);
    // Only the inputs' columns the contract and summary read (neither the summary nor --out shows the others).
    const run = await runScenarioWith(scenario, { trials, seed, onProgress: progressReporter(err), params: "used" }, (model, simulation) => simulateThreaded(scenario, model, simulation, { threads }));
    const { summary } = run;
    if (outFile) {
      const columns = trialColumns(run);
      writeOut(outFile.path, outFile.format === "csv" ? trialsCsv(columns, csvDialect(locale)) : trialsJson(columns, summary) + "\n");
    }
    // --risk-split: a separate run from the same seed, K = trials/20 parameter draws × 20 cohorts each.
    const split = values["risk-split"]
      ? riskSplitFigures(await riskSplitThreaded(scenario, { groups: Math.max(2, Math.round(summary.trials / RISK_SPLIT_PER_GROUP)), perGroup: RISK_SPLIT_PER_GROUP, seed: summary.seed }, threads))
      : null;
    // --cases: deterministic base, upside and downside (models/analysis/cases.ts), three more runs at the same trials and seed.
    const cases = values.cases ? deterministicCases(scenario, { trials: summary.trials, seed: summary.seed }) : null;
    const shown = { ...summary, ...(split ? { riskSplit: split } : {}), ...(cases ? { cases } : {}) };
    if (values.json) writeJson(out, shown);
    else if (values.csv) writeCsv(out, summaryCsv(summary, csvDialect(locale)));
    else writeText(out, renderSummary(summary) + (split ? "\n\n" + renderRiskSplit(split, summary.currency) : "") + (cases ? "\n\n" + renderCases(cases, summary.currency) : "") + "\n");
    return 0;
  } catch (e) {
    if (e instanceof InputError) {
      err.write(printable(e.lines.join("\n")) + "\n");
      return 2;
    }
    if (e instanceof ThreadsError) {
      err.write(printable(e.message) + "\n");
      return 2;
    }
    // An exception in a worker thread of --threads (cli/threads.ts): its message, exit code 1.
    if (e instanceof WorkerFailed) {
      err.write(printable(`utfall: ${e.message}`) + "\n");
      return 1;
    }
    // Too large to run, or a trial whose money is not finite (models/summary/limits.ts).
    if (e instanceof RunRefused) {
      err.write(printable(`${command === "compare" ? "" : `${file}: `}${e.path}: ${e.message}`) + "\n");
      return 2;
    }
    throw e;
  }
}
