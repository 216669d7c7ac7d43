/**
 * The contract fields the simulation reads: one list for everything that must know whether an
 * edit of the contract changes the simulated outcome table (models/simulate.ts) or only its
 * evaluation (models/contract/evaluate.ts). The compiled model (models/compile.ts) takes from the
 * scenario everything except `contract`, and from `contract` only:
 * - `startDate`: the budget years (`model.years`, `model.startMonth`) and the price basis
 *   (`model.priceBasis`), which lay out and price the avoided costs;
 * - `delivery.volume` and `termination.chancePerPeriod` (and whether there is a termination):
 *   uncertain parameters whose draws the table stores (`table.params`), with the termination's
 *   own uniform draw.
 * The payment rules, capital, caps, guarantees, fees and delivery spending only enter
 * `evaluateContract`. Used by sweeps and the designer (models/analysis/sweep.ts, designer.ts) and
 * the explorer's cache key (src/components/explorer-key.ts); no engine import, so a page's main
 * thread can use it.
 */

/** Paths under `contract` the simulation reads; the first key of each is also read for presence (a termination or none). */
export const SIMULATED_CONTRACT_FIELDS: readonly (readonly string[])[] = [["startDate"], ["delivery", "volume"], ["termination", "chancePerPeriod"]];

/** Whether those present only decide something: `termination` present or not changes the draws. */
const PRESENCE = new Set(["termination"]);

/**
 * Whether setting the scenario field at `keys` (a parsed JSON path starting with "contract")
 * can change what is simulated: the path leads to, or lies within, one of the fields above.
 * A path outside `contract` always can.
 */
export function touchesSimulation(keys: readonly (string | number)[]): boolean {
  if (keys[0] !== "contract") return true;
  const rest = keys.slice(1);
  return SIMULATED_CONTRACT_FIELDS.some((field) => {
    const n = Math.min(field.length, rest.length);
    for (let i = 0; i < n; i++) if (rest[i] !== field[i]) return false;
    return true;
  });
}

/**
 * The part of a contract (JSON, checked or not) the simulation reads: `contract` with every other
 * field left out, missing ones as null. Two contracts with the same part give the same table.
 */
export function simulatedPart(contract: unknown): Record<string, unknown> {
  const c = isObject(contract) ? contract : {};
  const out: Record<string, unknown> = {};
  for (const field of SIMULATED_CONTRACT_FIELDS) {
    const [head, ...tail] = field as [string, ...string[]];
    if (!tail.length) {
      out[head] = c[head] ?? null;
      continue;
    }
    const parent = c[head];
    if (PRESENCE.has(head) && !isObject(parent)) {
      out[head] = null;
      continue;
    }
    let value: unknown = parent;
    for (const k of tail) value = isObject(value) ? value[k] : undefined;
    out[field.join(".")] = value ?? null;
  }
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object";
}
