/**
 * The Negotiation page's inputs (src/negotiation.md): the two terms of the grid, the parties'
 * needs, the designer's terms and the one-way input. Observable Inputs is passed in (the page
 * imports it from node_modules), so this module builds the forms and the page only shows them.
 */
import { defaultRange, labelledOptions, numericFields, termValues, type Field, type PageFormat, type TermSpec } from "./negotiation.js";
import { openingTerm } from "./zone-grid.js";

type Input = HTMLElement & { value: unknown };
/** The part of Observable Inputs these forms use. */
export interface InputsLike {
  form(inputs: Record<string, Input>): Input;
  select(options: Map<string, string>, o: { label: string; value?: string }): Input;
  number(o: { label: string; value?: number | null; step?: number; placeholder?: string }): Input;
  toggle(o: { label: string; value: boolean }): Input;
}

/**
 * The grid's two terms (down the side, across), each a select of the scenario's contract terms
 * under their readers' labels with from, to and steps; opened on `linked` (a link's grid) or on
 * a pair of terms where a zone exists (openingTerm).
 */
export function termInputs(Inputs: InputsLike, terms: readonly Field[], f: PageFormat, linked: readonly TermSpec[]): [Input, Input] {
  const options = labelledOptions(terms.map((t) => t.path), f);
  const one = (k: 0 | 1, name: string) => {
    const t = openingTerm(terms, k, linked[k]);
    return Inputs.form({
      path: Inputs.select(options, { label: name, value: t.path }),
      from: Inputs.number({ label: "from", value: t.from }),
      to: Inputs.number({ label: "to", value: t.to }),
      steps: Inputs.number({ label: "steps", value: t.steps, step: 1 }),
    });
  };
  return [one(0, "Term down the side"), one(1, "Term across")];
}

/** What each party needs before it signs, as percentages and millions (zone-grid.ts needsFrom reads it). */
export function needsInputs(Inputs: InputsLike, f: PageFormat): Input {
  return Inputs.form({
    irr: Inputs.number({ label: "Financier: IRR of the expected cash flows at least (%)", value: 5, step: 0.5 }),
    loss: Inputs.number({ label: "Financier: chance of loss at most (%)", value: 25, step: 1 }),
    net: Inputs.number({ label: `Payer: expected net saving at least (${f.unit})`, value: 0, step: 0.5 }),
    nothing: Inputs.number({ label: "Payer: chance of paying for nothing at most (%)", value: 10, step: 1 }),
  });
}

/** The designer's terms: for each, whether it moves and between which bounds (designer.ts designerFree reads it). */
export function designerInputs(Inputs: InputsLike, free: readonly (readonly [string, number, number])[], f: PageFormat): Input {
  return Inputs.form(Object.fromEntries(free.flatMap(([path, lo, hi], k) => [
    [`use${k}`, Inputs.toggle({ label: f.label(path), value: true })],
    [`from${k}`, Inputs.number({ label: "from", value: lo })],
    [`to${k}`, Inputs.number({ label: "to", value: hi })],
  ])));
}

/** A driver of the sensitivity run: an input and the mean of its lowest and highest tenths. */
export interface Driver {
  readonly input: string;
  readonly inputLow: number;
  readonly inputHigh: number;
}

export interface OneWayField extends Field {
  readonly uncertain?: boolean;
}

/** The inputs one may fix one at a time: the contract's terms and the uncertain inputs the sensitivity run found (not delivery, a yes or no). */
export function oneWayFields(scenario: unknown, drivers: readonly Driver[]): OneWayField[] {
  return [
    ...numericFields(scenario, "contract"),
    ...drivers.filter((d) => d.input !== "intervention.delivered").map((d) => ({ path: d.input, value: d.inputLow, uncertain: true })),
  ].filter((x, i, all) => all.findIndex((g) => g.path === x.path) === i);
}

/** The one-way form: an input, and from, to and steps (empty bounds: the sensitivity run's tenths). */
export function oneWayInputs(Inputs: InputsLike, fields: readonly OneWayField[], f: PageFormat): Input {
  return Inputs.form({
    path: Inputs.select(labelledOptions(fields.map((x) => x.path), f), { label: "Input", value: fields.find((x) => x.uncertain)?.path }),
    from: Inputs.number({ label: "from", placeholder: "the 10th-percentile mean" }),
    to: Inputs.number({ label: "to", placeholder: "the 90th-percentile mean" }),
    steps: Inputs.number({ label: "steps", value: 9, step: 1 }),
  });
}

/** The values the one-way form asks for: its bounds, else the driver's tenths, else the term's default range; or a message. */
export function oneWayValues(form: TermSpec, fields: readonly OneWayField[], drivers: readonly Driver[]): { values: number[] } | { error: string } {
  const driver = drivers.find((d) => d.input === form.path);
  const field = fields.find((x) => x.path === form.path);
  const range = driver ? [driver.inputLow, driver.inputHigh] : field ? defaultRange(field) : [null, null];
  return termValues({ path: form.path, from: form.from ?? range[0] ?? null, to: form.to ?? range[1] ?? null, steps: form.steps }, "One input");
}
