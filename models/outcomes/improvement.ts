/**
 * Improvement of a measure over its reference, in its own units and as a fraction of the
 * reference: the arithmetic that the contract's payment rules (models/contract/rules.ts) pay on
 * and the simulation's effect columns (models/simulate.ts relativeEffects) report, in one place,
 * so the simulation does not import the contract's rules.
 */

/** Improvement of `treated` over `reference` in the measure's own units (positive = better). */
export function improvement(treated: number, reference: number, higherIsBetter: boolean): number {
  return higherIsBetter ? treated - reference : reference - treated;
}

/** Improvement as a fraction of the reference (a 10 % fall in reconvictions is 0.1). */
export function relativeImprovement(treated: number, reference: number, higherIsBetter: boolean): number {
  const imp = improvement(treated, reference, higherIsBetter);
  if (reference !== 0) return imp / Math.abs(reference);
  return imp > 0 ? Infinity : imp < 0 ? -Infinity : 0; // against nothing, any change is unbounded
}
