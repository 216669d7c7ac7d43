/**
 * `utfall followup <scenario.json> <observations.json|.csv>`: the quarterly forecast during the
 * contract (models/analysis/followUp.ts), as a table per quarter and the clauses' values.
 */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { csvParse } from "d3-dsv";
import { followUp, FollowUpError, parseObservations, parseObservationsCsv, type FollowUpResult } from "../models/analysis/followUp.js";
import { describePath } from "../models/analysis/labels.js";
import { formatNumber, localeOf } from "../models/format.js";
import type { Scenario } from "../models/index.js";
import { align } from "./table.js";

/** What the command needs from cli/main.ts (passed in, so the two do not import each other). */
export interface FollowUpCli {
  readonly InputError: new (lines: string[]) => Error;
  readonly loadScenario: (file: string) => Scenario;
  readonly readJson: (file: string) => { json: unknown };
  readonly parseTrials: (value: string | undefined) => number | undefined;
  readonly parseSeed: (value: string | undefined) => string | number | undefined;
  readonly parseWhole: (name: string, value: string | undefined, lo: number, hi: number) => number | undefined;
  readonly writeOut: (path: string, text: string) => void;
  readonly writeText: (out: NodeJS.WritableStream, text: string) => void;
  readonly writeJson: (out: NodeJS.WritableStream, value: unknown) => void;
  readonly usage: string;
}

export interface FollowUpValues {
  trials?: string;
  seed?: string;
  out?: string;
  json?: boolean;
  csv?: boolean;
  threads?: string;
  locale?: string;
  vary?: string[];
  "ess-floor"?: string;
}

export function runFollowUp(files: string[], values: FollowUpValues, out: NodeJS.WritableStream, err: NodeJS.WriteStream, h: FollowUpCli): number {
  if (files.length !== 2) throw new h.InputError(["followup: give <scenario.json> <observations.json or .csv>", h.usage]);
  if (values.csv || values.threads !== undefined || values.locale !== undefined || values.vary) throw new h.InputError(["followup takes --trials, --seed, --ess-floor, --out and --json"]);
  const [file, obsFile] = files as [string, string];
  const trials = h.parseTrials(values.trials);
  const seed = h.parseSeed(values.seed);
  const essFloor = h.parseWhole("--ess-floor", values["ess-floor"], 1, 1_000_000);
  const scenario = h.loadScenario(file);
  let result: FollowUpResult;
  try {
    const raw = extname(obsFile).toLowerCase() === ".csv" ? parseObservationsCsv(csvParse(readText(obsFile, h))) : h.readJson(obsFile).json;
    err.isTTY && err.write("following up…");
    result = followUp(scenario, parseObservations(raw), { trials, seed, essFloor });
    err.isTTY && err.write("\r\x1b[K");
  } catch (e) {
    if (e instanceof FollowUpError) throw new h.InputError([`${obsFile}: ${e.message}`]);
    throw e;
  }
  if (!result.essMet) err.write(`${file}: warning: effective sample size ${Math.round(result.ess)} is below --ess-floor ${result.essFloor} even at ${result.trials} trials\n`);
  const json = { scenario: scenario.name, ...result };
  const text = renderFollowUp(result, scenario, (path) => describePath(scenario as unknown as Record<string, unknown>, path)) + "\n";
  if (values.out !== undefined) h.writeOut(values.out, extname(values.out).toLowerCase() === ".json" ? JSON.stringify(json, null, 1) + "\n" : text);
  if (values.json) h.writeJson(out, json);
  else h.writeText(out, text);
  return 0;
}

function readText(file: string, h: FollowUpCli): string {
  try {
    return readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new h.InputError([`${file}: cannot read: ${code === "ENOENT" ? "no such file" : (e as Error).message}`]);
  }
}

export function renderFollowUp(r: FollowUpResult, scenario: Scenario, describe: (path: string) => string): string {
  const locale = localeOf(scenario.currency);
  const n = (x: number, d = 2) => formatNumber(x, locale, d);
  const m = (x: number) => `${n(x / 1e6, 2)} M`;
  const pct = (x: number | null) => (x === null ? "none" : `${n(100 * x, 1)} %`);
  const effects = r.steps[0]!.effects;
  const header = ["quarters seen", "placed", "ESS", ...effects.map((e) => `${e.label}: mean [5–95 %]`), "financier NPV (mean)", "IRR of expected flows", "chance of loss", "still to come (mean)", "payer's net PV (mean)"];
  const rows = r.steps.map((s) => [
    s.quarters === 0 ? "prior" : String(s.quarters),
    s.placed === null ? "" : String(s.placed),
    n(s.ess, 0),
    ...s.effects.map((e) => `${n(e.dist.mean, 3)} [${n(e.dist.p5, 2)}–${n(e.dist.p95, 2)}]`),
    m(s.money.financierNpv.mean),
    pct(s.money.irrOfExpectedFlows),
    pct(s.money.lossChance),
    m(s.money.toCome.mean),
    m(s.money.payerNetPV.mean),
  ]);
  const rate = r.steps[0]!.money.financierRate;
  const lines = [
    `${scenario.name}: follow-up of ${r.cohortSize} children, ${r.steps.length - 1} quarter${r.steps.length === 2 ? "" : "s"} observed; importance sampling of ${formatNumber(r.trials, locale)} prior trials (seed ${r.seed}), effective sample size ${formatNumber(r.ess, locale, 0)}${r.essMet ? "" : ` — below the floor of ${formatNumber(r.essFloor, locale)}`}`,
    `Money: means over the weighted trials; NPV at the financier's ${n(100 * rate, 1)} % a year; "still to come" is what the financier receives after the last quarter seen, nominal.`,
    "",
    align([header, ...rows], 1, "  "),
  ];
  if (r.clauses.length) {
    lines.push("", "Clauses: expected money with the option used minus without (means), given every quarter seen", "");
    lines.push(
      align(
        [
          ["clause", "decided in quarter", "condition", "financier NPV", "payer's net PV", "payer's net (nominal)"],
          ...r.clauses.map((c) => [c.label, String(c.decisionQuarter), c.conditionMet === null ? "not yet known" : c.conditionMet ? "met" : "not met", m(c.financierNpv), m(c.payerNetPV), m(c.payerNet)]),
        ],
        1,
        "  ",
      ),
    );
  }
  if (r.clauses.length) {
    lines.push("", "The same differences given only the quarters seen by then (financier NPV / payer's net PV)", "");
    const Q = r.steps.length - 1;
    lines.push(align([["clause", ...Array.from({ length: Q }, (_, i) => `after ${i + 1}`)], ...r.clauses.map((c) => [c.label, ...c.byQuarter.map((b) => `${n(b.financierNpv / 1e6)} / ${n(b.payerNetPV / 1e6)}`)])], 1, "  "));
  }
  const moved = [...r.inputs].sort((a, b) => Math.abs(b.posterior.mean - b.prior.mean) / (b.prior.sd || 1) - Math.abs(a.posterior.mean - a.prior.mean) / (a.prior.sd || 1)).slice(0, 8);
  lines.push("", "Inputs the quarters moved most (prior → posterior mean, sd)", "");
  lines.push(align([["input", "prior mean", "prior sd", "posterior mean", "posterior sd"], ...moved.map((i) => [describe(i.path), n(i.prior.mean, 4), n(i.prior.sd, 4), n(i.posterior.mean, 4), n(i.posterior.sd, 4)])], 1, "  "));
  return lines.join("\n");
}
