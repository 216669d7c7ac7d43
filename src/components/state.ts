/**
 * The kit's whole state (scenario, trials, seed) in the URL, so a link reproduces the exact
 * scenario and seed. Stored in the fragment (`#s=…`), which browsers never send to a server:
 * scenario data stays on the user's machine. Compressed with the platform's CompressionStream.
 */

export interface KitState {
  /** The scenario as raw JSON (validated by the engine, not here). */
  scenario: unknown;
  trials: number;
  seed: string | number;
}

export const DEFAULT_TRIALS = 10_000;
export const DEFAULT_SEED = 1;

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
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
  const json = new TextEncoder().encode(JSON.stringify(state));
  return "s=" + toBase64Url(await pipe(json, new CompressionStream("deflate-raw")));
}

/** The state in a fragment, or null if there is none or it cannot be read. */
export async function decodeState(hash: string): Promise<KitState | null> {
  const match = /(?:^#?|&)s=([A-Za-z0-9_-]+)/.exec(hash);
  if (!match) return null;
  try {
    const json = new TextDecoder().decode(await pipe(fromBase64Url(match[1]!), new DecompressionStream("deflate-raw")));
    const state = JSON.parse(json);
    if (typeof state !== "object" || state === null || !("scenario" in state)) return null;
    return {
      scenario: state.scenario,
      trials: Number.isSafeInteger(state.trials) && state.trials > 0 ? state.trials : DEFAULT_TRIALS,
      seed: typeof state.seed === "string" || typeof state.seed === "number" ? state.seed : DEFAULT_SEED,
    };
  } catch {
    return null;
  }
}

/** The state in this page's URL, or the given default scenario with default trials and seed. */
export async function stateFromUrl(defaultScenario: unknown): Promise<KitState> {
  return (await decodeState(location.hash)) ?? { scenario: defaultScenario, trials: DEFAULT_TRIALS, seed: DEFAULT_SEED };
}

/** Puts the state in this page's URL without adding a history entry. */
export async function writeStateToUrl(state: KitState): Promise<void> {
  history.replaceState(null, "", "#" + (await encodeState(state)));
}

/** A link to another page of the kit carrying the same state (same fragment). */
export function linkWithState(path: string): string {
  return path + location.hash;
}
