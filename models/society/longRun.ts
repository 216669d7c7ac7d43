/**
 * The long-run value of a success, by perspective (WSIPP's participants, taxpayers, others):
 * resource gains, which add to society's total, and transfers between perspectives (taxes on
 * earnings), which cancel in it. `compileLongRun` turns the scenario's entries into parameter
 * slots; the simulation adds only the resource gains to society's benefits
 * (`resourceValuePerSuccess`), so nothing is counted twice.
 */
import { BOUNDS, type Bounds, type ParamSpec } from "../scenario/param.js";
import type { PERSPECTIVES, Scenario } from "../scenario/schema.js";

export type Perspective = (typeof PERSPECTIVES)[number];

export interface LongRunComponentModel {
  readonly id: string;
  readonly label: string;
  readonly perspective: Perspective;
  /** The perspective that loses what `perspective` gains; null for a resource gain. */
  readonly transferFrom: Perspective | null;
  /** Slot of the value per success, or of the share of component `of`. */
  readonly slot: number;
  /** For a share: the index of the component it is a share of; −1 for a value. */
  readonly of: number;
}

export interface LongRunModel {
  readonly measureIndex: number;
  readonly share: number;
  readonly delayPeriods: number;
  readonly components: readonly LongRunComponentModel[];
  /** Slots of the resource gains (values that are not transfers): their sum is society's value per success. */
  readonly resourceSlots: Int32Array;
}

type Slot = (path: string, spec: ParamSpec, bounds?: Bounds) => number;

/**
 * Today's form, a single `valuePerSuccess`, reads as one resource gain under `others` (its
 * incidence is not given), so society's total is what it always was.
 */
export function compileLongRun(valuation: Scenario["valuation"], slot: Slot, measureIndex: ReadonlyMap<string, number>, periodsPerYear: number): LongRunModel[] {
  return valuation.longRun.map((v, i) => {
    const base = `valuation.longRun[${i}]`;
    const components: LongRunComponentModel[] =
      v.components === undefined
        ? [{ id: "value", label: "value per success", perspective: "others", transferFrom: null, slot: slot(`${base}.valuePerSuccess`, v.valuePerSuccess!, BOUNDS.perUnitMoney), of: -1 }]
        : v.components.map((c, k) => {
            const at = `${base}.components[${k}]`;
            const isShare = c.value === undefined;
            return {
              id: c.id,
              label: c.label ?? c.id,
              perspective: c.perspective,
              transferFrom: c.transferFrom ?? null,
              slot: isShare ? slot(`${at}.share`, c.share!, { min: 0, max: 1 }) : slot(`${at}.value`, c.value!, BOUNDS.perUnitMoney),
              of: isShare ? v.components!.findIndex((x) => x.id === c.of) : -1,
            };
          });
    return {
      measureIndex: measureIndex.get(v.outcome)!,
      share: v.countedShare,
      delayPeriods: v.delayYears * periodsPerYear,
      components,
      resourceSlots: Int32Array.from(components.filter((c) => c.transferFrom === null && c.of < 0), (c) => c.slot),
    };
  });
}

/** Society's value of one more success in a trial: the sum of the resource gains, transfers left out. */
export function resourceValuePerSuccess(lr: LongRunModel, values: Float64Array): number {
  let v = 0;
  for (let k = 0; k < lr.resourceSlots.length; k++) v += values[lr.resourceSlots[k]!]!;
  return v;
}
