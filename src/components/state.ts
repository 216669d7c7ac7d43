/**
 * The kit's whole state (scenario, trials, seed) in the URL, so a link reproduces the exact
 * scenario and seed. Stored in the fragment (`#s=…`), which browsers never send to a server:
 * scenario data stays on the user's machine. Compressed with the platform's CompressionStream.
 *
 * A link is input from anyone, so it is checked here, at the edge, before any page uses it:
 * it must decompress to at most MAX_SCENARIO_BYTES of JSON (inflation stops at the limit, so a
 * small fragment that would expand to megabytes costs nothing), nest at most MAX_DEPTH levels
 * (deeper objects overflow the stack of the browser's structured clone and of recursive code),
 * and carry trials the schema allows, no more than fit in memory for its scenario. A link that
 * fails any check is not used: the page shows its built-in scenario and says why
 * (`describeLinkProblem`).
 */
import { checkMemory, compile, contractShape, parseScenario, RunTooLarge, scenarioSchema } from "../models/index.js";

export interface KitState {
  /** The scenario as raw JSON (validated by the engine, not here). */
  scenario: unknown;
  trials: number;
  seed: string | number;
  /** Why the link's state was not used (the page shows the built-in scenario); absent when it was, or when there is no link. */
  linkProblem?: LinkProblem;
}

export { DEFAULT_SEED, DEFAULT_TRIALS } from "../models/constants.js";
import { DEFAULT_SEED, DEFAULT_TRIALS } from "../models/constants.js";

/** The largest scenario a link or a file may hold, in bytes of JSON (2 MB; the shipped scenarios are under 40 kB). */
export const MAX_SCENARIO_BYTES = 2_000_000;
/** The deepest nesting of objects and arrays a link or a file may hold (the shipped scenarios nest 7 deep). */
export const MAX_DEPTH = 64;

/** Why a link's state was refused. */
export type LinkProblem =
  | { kind: "unreadable" }
  | { kind: "too-large" }
  | { kind: "too-deep" }
  | { kind: "trials"; value: string; message: string }
  /** The run would not fit in memory (models/summary/limits.ts): its estimate, the limit and the most trials that fit. */
  | { kind: "memory"; trials: number; bytes: number; limit: number; most: number; message: string };

/** The page's notice for a refused link, in English or (for Politikerunderlag) Swedish. */
export function describeLinkProblem(problem: LinkProblem, lang: "en" | "sv" = "en"): string {
  const mb = MAX_SCENARIO_BYTES / 1e6;
  if (lang === "sv") {
    const why = {
      unreadable: "",
      "too-large": ` (scenariot är större än ${mb} MB)`,
      "too-deep": ` (scenariot är nästlat djupare än ${MAX_DEPTH} nivåer)`,
      trials: problem.kind === "trials" ? ` (antalet utfall, ${problem.value}, måste vara ett heltal från 1 till 10 000 000)` : "",
      memory:
        problem.kind === "memory"
          ? ` (${problem.trials.toLocaleString("sv-SE")} utfall skulle behöva ungefär ${gib(problem.bytes, "sv-SE")} minne, mer än gränsen ${gib(problem.limit, "sv-SE")}; högst ${problem.most.toLocaleString("sv-SE")} utfall)`
          : "",
    }[problem.kind];
    return `Länken kunde inte läsas${why}; här visas det inbyggda scenariot.`;
  }
  const why = {
    unreadable: "",
    "too-large": ` (its scenario is larger than ${mb} MB, the limit)`,
    "too-deep": ` (its scenario nests deeper than ${MAX_DEPTH} levels, the limit)`,
    trials: problem.kind === "trials" ? ` (trials ${problem.value}: ${problem.message})` : "",
    memory: problem.kind === "memory" ? ` (${problem.message})` : "",
  }[problem.kind];
  return `This link could not be read${why}; showing the built-in scenario.`;
}

const gib = (bytes: number, locale: string) => `${(bytes / 2 ** 30).toLocaleString(locale, { maximumFractionDigits: 2 })} GiB`;

/**
 * The run a page would make of a valid scenario with `trials`, refused when its columns (with
 * the cash flows by period the pages keep) would not fit in the engine's memory limit: the
 * same estimate and limit as the CLI's and the worker's (models/summary/limits.ts), checked
 * here so every page refuses it alike before any worker starts. An invalid scenario passes:
 * the pages report its problems themselves.
 */
function memoryProblem(scenario: unknown, trials: number): LinkProblem | null {
  const parsed = parseScenario(scenario);
  if (!parsed.ok) return null;
  try {
    const model = compile(parsed.scenario);
    checkMemory(model, contractShape(model, parsed.scenario.contract), trials, true);
    return null;
  } catch (e) {
    if (!(e instanceof RunTooLarge)) return null;
    return { kind: "memory", trials, bytes: e.bytes, limit: e.limit, most: Math.floor((e.limit / e.bytes) * trials), message: e.message };
  }
}

class Refused extends Error {
  constructor(readonly problem: LinkProblem) {
    super(problem.kind);
  }
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** Inflates, stopping (and throwing Refused too-large) as soon as the output passes `limit` bytes. */
async function inflateAtMost(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new Refused({ kind: "too-large" });
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) (out.set(c, at), (at += c.byteLength));
  return out;
}

/**
 * How deeply the objects and arrays of a JSON text nest (0 for a bare number or string), read
 * without recursion and without parsing, stopping once it passes `stopAt`.
 */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max && (max = depth) > stopAt) return max;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return max;
}

/** Why a JSON text is too big or too deep for the kit (a link or a file), or null when it is not. */
export function jsonSizeProblem(text: string): "too-large" | "too-deep" | null {
  if (text.length > MAX_SCENARIO_BYTES) return "too-large";
  if (jsonDepth(text, MAX_DEPTH) > MAX_DEPTH) return "too-deep";
  return null;
}

/** The schema's own check of `simulation.trials` (one rule for the explorer and every page). */
function trialsProblem(trials: unknown): string | null {
  const check = (scenarioSchema.shape.simulation.unwrap().shape.trials as { safeParse(x: unknown): { success: boolean; error?: { issues: { message: string }[] } } }).safeParse(trials);
  return check.success ? null : (check.error?.issues[0]?.message ?? "is not allowed");
}

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** `s=<deflated JSON, base64url>`: the fragment for a state. */
export async function encodeState(state: KitState): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify({ scenario: state.scenario, trials: state.trials, seed: state.seed }));
  return "s=" + toBase64Url(await pipe(json, new CompressionStream("deflate-raw")));
}

/** What a fragment holds: nothing (no `s=`), a state, or a problem saying why it was refused. */
export type Reading = null | { ok: true; state: KitState } | { ok: false; problem: LinkProblem };

/** Reads and checks the state in a fragment. */
export async function readState(hash: string): Promise<Reading> {
  if (!/(?:^#?|&)s=/.test(hash)) return null;
  const match = /(?:^#?|&)s=([A-Za-z0-9_-]+)(?:&|$)/.exec(hash);
  try {
    if (!match) throw new Refused({ kind: "unreadable" });
    // The base64 text of a fragment is at least as long as the deflated bytes; a fragment longer
    // than the whole limit is refused before it is decoded.
    if (match[1]!.length > MAX_SCENARIO_BYTES * 2) throw new Refused({ kind: "too-large" });
    const json = new TextDecoder("utf-8", { fatal: true }).decode(await inflateAtMost(fromBase64Url(match[1]!), MAX_SCENARIO_BYTES));
    const size = jsonSizeProblem(json);
    if (size) throw new Refused({ kind: size });
    const state = JSON.parse(json);
    if (typeof state !== "object" || state === null || Array.isArray(state) || typeof state.scenario !== "object" || state.scenario === null) throw new Refused({ kind: "unreadable" });
    const trials = state.trials ?? DEFAULT_TRIALS;
    const problem = trialsProblem(trials);
    if (problem) throw new Refused({ kind: "trials", value: JSON.stringify(trials).slice(0, 40), message: problem });
    const memory = memoryProblem(state.scenario, trials);
    if (memory) throw new Refused(memory);
    return {
      ok: true,
      state: {
        scenario: state.scenario,
        trials,
        seed: typeof state.seed === "string" || typeof state.seed === "number" ? state.seed : DEFAULT_SEED,
      },
    };
  } catch (error) {
    return { ok: false, problem: error instanceof Refused ? error.problem : { kind: "unreadable" } };
  }
}

/** The state in a fragment, or null if there is none or it cannot be read. */
export async function decodeState(hash: string): Promise<KitState | null> {
  const reading = await readState(hash);
  return reading?.ok ? reading.state : null;
}

/**
 * The state in this page's URL, or the given default scenario with default trials and seed;
 * when the link was there but refused, `linkProblem` says why (the page shows it).
 */
export async function stateFromUrl(defaultScenario: unknown): Promise<KitState> {
  const reading = await readState(location.hash);
  if (reading?.ok) return reading.state;
  const fallback: KitState = { scenario: defaultScenario, trials: DEFAULT_TRIALS, seed: DEFAULT_SEED };
  return reading ? { ...fallback, linkProblem: reading.problem } : fallback;
}

/** Puts the state in this page's URL without adding a history entry. */
export async function writeStateToUrl(state: KitState): Promise<void> {
  history.replaceState(null, "", "#" + (await encodeState(state)));
}

/** A link to another page of the kit carrying the same state (same fragment). */
export function linkWithState(path: string): string {
  return path + location.hash;
}
