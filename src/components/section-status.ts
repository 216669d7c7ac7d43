/**
 * A line that says what a Negotiation section is doing while its result is not there yet:
 * "queued behind the zone grid, sensitivity", then "simulating 3,000 of 10,000 trials", and
 * nothing once the result is in. Its `status` goes to analyse() (src/components/analysis.ts).
 */
import type { AnalysisStatus } from "./analysis.js";
import { h, type PageFormat } from "./negotiation.js";

/** Each analysis channel in a reader's words, for "queued behind …". */
export const SECTION_NAMES: Record<string, string> = {
  zone: "the zone grid",
  oneWay: "one input at a time",
  ensemble: "the sensitivity",
  breakEven: "the break-even",
  design: "the measurement designs",
  information: "the value of knowing the effect",
  compare: "the comparison of scenarios",
  designer: "the suggested terms",
  acceptability: "the chart of who wins when",
  riskSplit: "the risk split",
};

export type StatusLine = HTMLElement & { status: AnalysisStatus; show(text: string): void; track<T>(run: Promise<T>, until?: string): Promise<T> };

/**
 * Hides the line once the element `until` names is on the page (the cell that shows the result
 * runs a frame or more after the run settles: hiding at once would leave only the heading).
 */
function hideWhen(line: HTMLElement, until?: string, tries = 0) {
  if (!until || document.querySelector(until)) line.hidden = true;
  // A line no longer on the page (its cell ran again) stops looking.
  else if (line.isConnected || tries < 50) setTimeout(() => hideWhen(line, until, tries + 1), 100);
}
/**
 * A status line; `doing(done, total)` words the progress ("simulating 3,000 of 10,000 trials").
 * `track(run, until)` hides the line when the run settles and the result (`until`, a selector) is shown.
 */
export function sectionStatus(f: PageFormat, id: string, doing: (done: string, total: string) => string, first = "waiting to start…"): StatusLine {
  const line = h("p", { class: "section-status muted", id, role: "status" }) as StatusLine;
  const show = (...children: (Node | string)[]) => {
    line.hidden = false;
    line.replaceChildren(...children);
  };
  line.show = (text) => show(text);
  show(first);
  line.status = {
    wait: (ahead) => show(ahead.length ? `queued behind ${ahead.map((c) => SECTION_NAMES[c] ?? c).join(", ")}…` : "computing…"),
    progress: (done, total) => show(h("progress", { value: done, max: total }), " ", doing(f.num(done), f.num(total)) + "…"),
  };
  line.track = (run, until) => {
    run.then(() => hideWhen(line, until), () => (line.hidden = true));
    return run;
  };
  return line;
}

/** A line for a section that waits for others' results (no request of its own); hidden once `run` settles and `until` is shown. */
export function waitingFor<T>(run: Promise<T>, text: string, until?: string): HTMLElement {
  const line = h("p", { class: "section-status muted", role: "status" }, text);
  run.then(() => hideWhen(line, until), () => (line.hidden = true));
  return line;
}
