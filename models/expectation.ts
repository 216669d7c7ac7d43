/**
 * Expected measures per participant at the parameters' central values, without the
 * intervention: what a historical baseline would be if the past looked like the model's centre.
 * Used to derive the Norrköping scenario's cost baseline, which the municipality did not publish.
 */
import type { Model } from "./compile.js";
import { centralValue } from "./scenario/param.js";

export function expectedBaseline(model: Model): Record<string, number> {
  const v = model.params.map((p) => centralValue(p.spec));
  const out: Record<string, number> = {};
  for (const o of model.outcomes) {
    if (o.kind === "placement") {
      const S = o.states.length;
      let occ = Float64Array.from(o.initialShares);
      let cost = 0, days = 0, replacements = 0;
      for (let t = 0; t < model.followUp; t++) {
        for (let s = 0; s < S; s++) {
          cost += occ[s]! * model.daysPerPeriod * v[o.costSlot[s]!]!;
          if (o.isPlacement[s]) days += occ[s]! * model.daysPerPeriod;
        }
        // Exits scaled as in the simulation when a state's chances sum above 1.
        const total = new Float64Array(S);
        for (let i = 0; i < o.from.length; i++) total[o.from[i]!]! += v[o.slot[i]!]!;
        const next = Float64Array.from(occ);
        for (let i = 0; i < o.from.length; i++) {
          const from = o.from[i]!, to = o.to[i]!;
          const flow = (occ[from]! * v[o.slot[i]!]!) / Math.max(1, total[from]!);
          next[from]! -= flow;
          next[to]! += flow;
          if (!o.isPlacement[from] && o.isPlacement[to]) replacements += flow;
        }
        occ = next;
      }
      const [mc, md, mr] = o.measureIndex;
      out[model.measures[mc]!.id] = cost;
      out[model.measures[md]!.id] = days;
      out[model.measures[mr]!.id] = replacements;
    } else if (o.kind === "binary") {
      out[model.measures[o.measureIndex]!.id] = v[o.baselineSlot]!;
    } else {
      out[model.measures[o.measureIndex]!.id] = v[o.rateSlot]!;
    }
  }
  return out;
}
