/**
 * The top of a page that shows one run of the link's scenario (the parties' pages,
 * Politikerunderlag; Negotiation can use it the same way). Three blocks of the page:
 *
 * ```js
 * const state = stateFromUrl(defaultScenario);  // a promise: its own block
 * ```
 * ```js
 * const page = startPage(import.meta.resolve("./components/run-worker.js"), state, defaultScenario);
 * display(page.progress);              // a progress bar while the worker simulates, then nothing
 * ```
 * ```js
 * const pageRun = page.run;          // a promise of a PageRun (components/scenario-run.ts): blocks that use it wait
 * display(pageHeader(pageRun, {builtins}));
 * ```
 *
 * `pageHeader` gives, in this order: the scenario line ("Scenario edited from Norrköping 2016 ·
 * 10,000 trials · seed 1 · capital … · change the terms in the explorer"), what was edited
 * (components/provenance.ts), why the link's scenario was not used, if it was not, why the link
 * could not be read, if it could not, and the download buttons (components/exports.ts). In
 * Swedish (`lang: "sv"`) the same in Swedish; `facts` replaces the items after the name.
 */
import { html } from "htl";
import { formatsFor, type Lang } from "../models/format.js";
import { exportBar } from "./exports.js";
import { editedNotice, provenance, scenarioTitle, type Provenance } from "./provenance.js";
import { runPageState, type PageRun } from "./scenario-run.js";
import { describeLinkProblem, linkWithState, type KitState, type LinkProblem } from "./state.js";

export interface PageStart {
  /** A progress bar that fills as the worker simulates and empties when it is done. */
  progress: HTMLElement;
  /** The run, and why the link could not be read (if it could not). */
  run: Promise<PageRun & { linkProblem?: LinkProblem }>;
}

/** Starts the page's run of the link's state (or the default scenario), with its progress bar. */
export function startPage(workerUrl: string, state: KitState, defaultScenario: unknown, lang: Lang = "en"): PageStart {
  const f = formatsFor(lang, "SEK");
  const bar = document.createElement("progress");
  const label = document.createElement("label");
  const name = typeof (state.scenario as { name?: unknown } | null)?.name === "string" ? (state.scenario as { name: string }).name : lang === "sv" ? "scenariot" : "the scenario";
  label.append(lang === "sv" ? `Räknar igenom ${f.number(state.trials)} möjliga utfall… ` : `Simulating ${f.number(state.trials)} trials of ${name}… `, bar);
  const progress = document.createElement("div");
  progress.className = "progress no-print";
  progress.append(label);
  const onProgress = (done: number, total: number) => {
    bar.max = total;
    bar.value = done;
  };
  const run = runPageState(workerUrl, state, defaultScenario, onProgress).then(
    (r) => {
      progress.replaceChildren();
      return { ...r, linkProblem: state.linkProblem };
    },
    (e: unknown) => {
      progress.replaceChildren();
      throw e;
    },
  );
  return { progress, run };
}

export interface HeaderOptions {
  /** The built-in scenarios, to say "edited from …" and what changed. */
  builtins: readonly unknown[];
  lang?: Lang;
  /** The items after the scenario's name; by default trials, seed, capital and a link to the explorer. */
  facts?: (string | Node)[];
  /** Leave out the download buttons (the page places them itself). */
  noExports?: boolean;
}

/** Where the page's scenario comes from, for pages that word it further (Politikerunderlag). */
export function originOf(run: PageRun, builtins: readonly unknown[], lang: Lang = "en"): Provenance {
  return provenance(run.raw, builtins, lang);
}

/** The header of a page's run: see the module's comment. */
export function pageHeader(run: PageRun & { linkProblem?: LinkProblem }, options: HeaderOptions): HTMLElement {
  const lang = options.lang ?? "en";
  const f = formatsFor(lang, run.scenario.currency);
  const origin = originOf(run, options.builtins, lang);
  const facts = options.facts ?? [
    `${f.number(run.trials)} trials`,
    `seed ${run.seed}`,
    `capital ${f.money(run.result.meta.capital)}`,
    html`<a href=${linkWithState("./explorer")}>change the terms in the explorer</a>`,
  ];
  const line = html`<p class="scenario-line">${lang === "sv" ? "Beräknat för " : "Scenario "}<b>${scenarioTitle(run.scenario.name, origin, lang)}</b>${facts.map((x) => html` · ${x}`)}</p>`;
  const rejected = run.rejected
    ? html`<div class="warning">${lang === "sv"
        ? `Scenariot i länken är inte giltigt eller kunde inte köras, så sidan visar ${run.scenario.name} i stället:`
        : `The scenario in this link is not valid or could not be run, so this page shows ${run.scenario.name} (${f.number(run.trials)} trials) instead:`}<ul>${run.rejected.map((p) => html`<li><code>${p.path}</code>: ${p.message}</li>`)}</ul></div>`
    : null;
  const linkProblem = run.linkProblem ? html`<div class="warning link-problem" role="alert">${describeLinkProblem(run.linkProblem, lang)}</div>` : null;
  return html`<div class="page-header">${line}${editedNotice(origin, lang)}${rejected}${linkProblem}${options.noExports ? null : exportBar(run, lang)}</div>`;
}
