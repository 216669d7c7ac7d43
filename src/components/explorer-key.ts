/**
 * What the explorer's simulation depends on, as a string: two states with the same key have the
 * same simulated outcome table (models/simulate.ts), so a change between them only needs the
 * contract evaluated again on the stored table (src/components/explorer-worker.ts).
 *
 * The simulation reads the compiled model (models/compile.ts), which takes from the scenario
 * everything except `contract`, and from `contract` only:
 * - `startDate`: the budget years (`model.years`, `model.startMonth`) and the price basis
 *   (`model.priceBasis`), which lay out and price the avoided costs;
 * - `delivery.volume` and `termination.chancePerPeriod` (and whether there is a termination):
 *   uncertain parameters whose draws the table stores (`table.params`), with the termination's
 *   own uniform draw.
 * The payment rules, capital, caps, guarantees, fees and delivery spending only enter
 * `evaluateContract`. test/pages/explorerEngine.test.ts checks that a table is the same whatever
 * the rest of the contract is.
 *
 * No engine import: the page's main thread uses it to choose the debounce.
 */
export function simulationKey(scenario: unknown, trials: number, seed: string | number): string {
  const s = (scenario && typeof scenario === "object" ? scenario : {}) as Record<string, unknown>;
  const c = (s.contract && typeof s.contract === "object" ? s.contract : {}) as Record<string, unknown>;
  const delivery = (c.delivery && typeof c.delivery === "object" ? c.delivery : {}) as Record<string, unknown>;
  const termination = c.termination && typeof c.termination === "object" ? (c.termination as Record<string, unknown>) : null;
  const simulated = {
    startDate: c.startDate ?? null,
    volume: delivery.volume ?? null,
    termination: termination ? { chancePerPeriod: termination.chancePerPeriod ?? null } : null,
  };
  return JSON.stringify({ scenario: { ...s, contract: simulated }, trials, seed });
}
