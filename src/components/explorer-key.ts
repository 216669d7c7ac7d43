/**
 * What the explorer's simulation depends on, as a string: two states with the same key have the
 * same simulated outcome table (models/simulate.ts), so a change between them only needs the
 * contract evaluated again on the stored table (src/components/explorer-worker.ts).
 *
 * The simulation reads the compiled model (models/compile.ts), which takes from the scenario
 * everything except `contract`, and from `contract` only the fields listed, once for the whole
 * kit, in models/contract/simulatedFields.ts (the start date, the delivery volume, the
 * termination's chance per period and whether there is one). test/pages/explorerEngine.test.ts
 * checks that a table is the same whatever the rest of the contract is.
 *
 * No engine import (simulatedFields.ts imports nothing): the page's main thread uses it to
 * choose the debounce.
 */
import { simulatedPart } from "../models/contract/simulatedFields.js";

export function simulationKey(scenario: unknown, trials: number, seed: string | number): string {
  const s = (scenario && typeof scenario === "object" ? scenario : {}) as Record<string, unknown>;
  return JSON.stringify({ scenario: { ...s, contract: simulatedPart(s.contract) }, trials, seed });
}
