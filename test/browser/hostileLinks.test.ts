// Every page that reads the link's state, opened with each hostile fragment of issue 12 (items
// 4-7): it shows the built-in scenario with a notice saying the link could not be read, and no
// error cell, no console error, no stack overflow, no typed-array error. The fragments are made
// here in Node with the same deflate-raw and base64url as src/components/state.ts.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect as globalExpect, test, type ExpectStatic} from "vitest";
import {plainSpaces, ROOT, startSite, type OpenedPage, type Site} from "./harness.ts";

const norrkoping = JSON.parse(readFileSync(join(ROOT, "data/scenarios/norrkoping-2016.json"), "utf8"));

/** `levels` nested objects as JSON text (JSON.stringify itself overflows at 10,000). */
const nested = (levels: number): string => '{"a":'.repeat(levels - 1) + "{}" + "}".repeat(levels - 1);

async function fragmentOf(json: string): Promise<string> {
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return "#s=" + Buffer.from(await new Response(stream).arrayBuffer()).toString("base64url");
}

const good = await fragmentOf(JSON.stringify({scenario: norrkoping, trials: 2000, seed: 7}));
const scenarioText = JSON.stringify(norrkoping).slice(0, -1); // without its closing brace
const hostile: Record<string, string> = {
  // Item 6: garbage, and a real link cut in half (as a chat client or a mail wraps it).
  garbage: "#s=bm90LWEtbGluaw",
  truncated: good.slice(0, Math.floor(good.length / 2)),
  // Item 4: a 10,000-deep object in a note.
  deep: await fragmentOf(`{"scenario":${scenarioText},"note":${nested(10_000)}},"trials":2000,"seed":1}`),
  // Item 5: trials 2^53 - 1.
  trials: await fragmentOf(JSON.stringify({scenario: norrkoping, trials: 2 ** 53 - 1, seed: 1})),
  // Item 7: a fragment of about 50 kB that inflates to 50 MB.
  bomb: await fragmentOf(JSON.stringify({scenario: {...norrkoping, note: "a".repeat(50_000_000)}, trials: 2000, seed: 1}))
};

const NOTICE = {
  en: /^This link could not be read( \(.+\))?; showing the built-in scenario\.$/,
  sv: /^Länken kunde inte läsas( \(.+\))?; här visas det inbyggda scenariot\.$/
};
const REASON: Record<string, RegExp> = {garbage: /(read|läsas);/, truncated: /(read|läsas);/, deep: /64/, trials: /9007199254740991/, bomb: /2 MB/};

// What a fragment does is decided in one place, readState in src/components/state.ts, which
// every page below calls through stateFromUrl(location.hash); test/pages/linkState.test.ts checks
// each kind's reading in Node. What a page does with a refused link (show the notice, fall back
// to the built-in scenario, run it, render cleanly) does not depend on the kind. So the explorer
// gets every fragment (Chromium's own inflate, atob and JSON parse on each kind; the explorer is
// where a deep link once left the run at "Starting…"), and every other page gets one kind, the
// kinds taken in turn so that each is also seen on a second page: 5 + 6 = 11 loads instead of
// 7 × 5 = 35, each load one ordinary run of the fallback scenario. A page that lost its notice,
// its fallback or its clean render still fails, as does a kind Chromium reads differently.
const pages = ["/explorer", "/financier", "/payer", "/society", "/politiker", "/negotiation", "/methods"];
// Negotiation also reads a grid from the fragment (`&vary=…`, after the state, read whether or not
// the state is refused: gridFromFragment in src/components/negotiation.ts). Its loads here name a
// 3 × 3 grid, so that each is one ordinary load and not a 441-cell sweep; what they check (the
// notice, the fallback, a clean render) does not depend on the grid's size.
const SMALL_GRID = ["contract.rules[savings].share=0:1:3", "contract.rules[return].cap.ofCapital=0:0.4:3"].map((g) => "&vary=" + encodeURIComponent(g)).join("");
const link = (path: string, fragment: string) => path + fragment + (path === "/negotiation" ? SMALL_GRID : "");
const kinds = Object.keys(hostile);
const cases: [string, string][] = [
  ...kinds.map((kind): [string, string] => ["/explorer", kind]),
  ...pages.slice(1).map((path, i): [string, string] => [path, kinds[i % kinds.length]!]),
];

let site: Site;
beforeAll(async () => {
  site = await startSite({shared: true});
});
afterAll(async () => {
  await site?.close();
});

/** A concurrent test passes its own `expect` (vitest: expect.poll and failures belong to one test). */
async function checkClean(p: OpenedPage, expect: ExpectStatic = globalExpect): Promise<void> {
  expect(p.errors, "console/page errors").toEqual([]);
  expect(await p.page.locator(".observablehq--error").count(), "Framework error cells").toBe(0);
  const body = await p.page.locator("body").innerText();
  expect(body).not.toMatch(/Maximum call stack|Invalid typed array|\bNaN\b/);
}

// The loads are independent (each its own page in the file's browser context), so they run a few
// at a time (the browser project's maxConcurrency, vitest.config.ts): each page's run takes one
// core in its worker, and the machine has two. The limit is generous as several share the machine.
describe.concurrent("a refused link", {timeout: 300_000}, () => {
  test.for(cases)("%s with a %s fragment: the built-in scenario and a notice", async ([path, kind], {expect}) => {
    const p = await site.openPage(link(path, hostile[kind]!), {settleTimeoutMs: 90_000});
    try {
      const notice = p.page.locator(".link-problem");
      await expect.poll(() => notice.count(), {timeout: 60_000}).toBe(1);
      const text = (await notice.innerText()).trim();
      expect(text).toMatch(path === "/politiker" ? NOTICE.sv : NOTICE.en);
      expect(text).toMatch(REASON[kind]!);
      if (path !== "/methods") expect(await p.page.locator("main").innerText()).toMatch(/Norrköping/);
      if (path === "/explorer") {
        // The run starts and finishes (it used to stay at "Starting…" on a deep link).
        await expect.poll(() => p.page.locator(".explorer-status").innerText(), {timeout: 90_000}).toMatch(/simulated contracts/);
      }
      if (path === "/payer") await p.screenshot("hostile-link-payer");
      await checkClean(p, expect);
    } finally {
      await p.close();
    }
  });
});

test("the explorer's file input refuses a 10,000-deep file and a 3 MB one with a message, and keeps running", async () => {
  const p = await site.openPage("/explorer", {settleTimeoutMs: 90_000});
  try {
    await globalExpect.poll(() => p.page.locator(".explorer-status").innerText(), {timeout: 90_000}).toMatch(/simulated contracts/);
    const input = p.page.locator('input[type="file"][name="scenario-file"]');
    const message = p.page.locator(".explorer-file-message");
    await input.setInputFiles({name: "deep.json", mimeType: "application/json", buffer: Buffer.from(`{"name":"x","note":${nested(10_000)}}`)});
    await globalExpect.poll(() => message.innerText(), {timeout: 60_000}).toMatch(/^deep\.json nests objects and arrays more than 64 levels deep .*Nothing was changed\.$/);
    await input.setInputFiles({name: "big.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({...norrkoping, note: "a".repeat(3_000_000)}))});
    await globalExpect.poll(() => message.innerText(), {timeout: 60_000}).toMatch(/^big\.json is larger than 2 MB/);
    globalExpect(await p.page.locator(".explorer-origin").innerText()).toMatch(/Norrköping 2016/);
    globalExpect(await p.page.locator(".explorer-status").innerText()).toMatch(/simulated contracts/);
    await checkClean(p);
  } finally {
    await p.close();
  }
});

// --- Issue 12's "what it must show": every page with a hostile fragment, and a refused run -------

/** Appended to every text field (name, description, label, note, source) and to the seed: shown as text, never run. */
const HTML = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>`;
const TEXT_KEYS = new Set(["name", "description", "label", "note", "source"]);
const withHtml = (x: unknown, key = ""): unknown => {
  if (typeof x === "string") return TEXT_KEYS.has(key) ? `${x} ${HTML}` : x;
  if (Array.isArray(x)) return x.map((v) => withHtml(v, key));
  if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, withHtml(v, k)]));
  return x;
};
const htmlScenario = withHtml(norrkoping) as Record<string, unknown>;

const hostileRuns: Record<string, string> = {
  // HTML in every text field and the seed: a valid scenario, so the page runs it.
  html: await fragmentOf(JSON.stringify({scenario: htmlScenario, trials: 500, seed: `seed ${HTML}`})),
  // The same with a currency that is not an ISO 4217 code: the scenario is refused, with a message.
  htmlCurrency: await fragmentOf(JSON.stringify({scenario: {...htmlScenario, currency: "kr"}, trials: 500, seed: 1})),
  // Everything at once: HTML, an invalid currency, a 10,000-deep note and trials 2^53 - 1; the
  // link itself is refused (at the first limit it breaks).
  combined: await fragmentOf(`{"scenario":${JSON.stringify({...htmlScenario, currency: "kr"}).slice(0, -1)},"note":${nested(10_000)}},"trials":${2 ** 53 - 1},"seed":${JSON.stringify(HTML)}}`),
  // A run the engine refuses: 7,000,000 trials (the schema allows up to 10,000,000) would need
  // more than the 4 GiB limit (models/summary/limits.ts; Norrköping needs about 1 kB a trial on
  // the pages, which keep the cash flows by period).
  tooLarge: await fragmentOf(JSON.stringify({scenario: norrkoping, trials: 7_000_000, seed: 1}))
};

/** What the page must say: `null` for a fragment that runs. */
const MESSAGE: Record<string, RegExp | null> = {
  html: null,
  htmlCurrency: /currency: must be an ISO 4217 currency code such as SEK, GBP, USD or EUR, got "kr"/i,
  combined: /(This link could not be read|Länken kunde inte läsas) \(.*(64|9007199254740991).*\)/,
  // Refused at the link (src/components/state.ts), before any worker starts, with the engine's estimate.
  tooLarge: /This link could not be read \(7000000 trials would need about \d+(\.\d+)? GiB of memory \(\d+ bytes a trial\), more than the limit of 4\.00 GiB; use at most \d+ trials\); showing the built-in scenario\./
};
const MESSAGE_SV: Record<string, RegExp | null> = {
  ...MESSAGE,
  tooLarge: /Länken kunde inte läsas \(7 000 000 utfall skulle behöva ungefär [\d,]+ GiB minne, mer än gränsen 4 GiB; högst [\d ]+ utfall\); här visas det inbyggda scenariot\./
};

async function notRun(p: OpenedPage, expect: ExpectStatic): Promise<void> {
  expect(await p.page.evaluate(() => (window as unknown as {__pwned?: number}).__pwned), "a script from the scenario ran").toBeUndefined();
  expect(await p.page.locator('img[src="x"]').count(), "an <img> from the scenario").toBe(0);
}

// Which page gets which hostile run. A scenario that runs (html) or that the engine refuses
// (htmlCurrency) is rendered by each page in its own way, so every page that reads the link gets
// both. The two that are refused at the link (combined, tooLarge) take the same path on every
// page as the refused links above (readState in src/components/state.ts, then the built-in
// scenario), so they go to the explorer, the Financier's page and Politikerunderlag (its Swedish
// notice) only; "/" and /reference-cases ignore the fragment and get the most hostile one. 22 loads
// instead of 9 × 4 = 36, none of them a second full Negotiation sweep of the built-in scenario.
const refusedAtLink = new Set(["combined", "tooLarge"]);
const hostileCases: [string, string][] = [...pages, "/", "/reference-cases"].flatMap((path) =>
  Object.keys(hostileRuns)
    .filter((kind) => (pages.includes(path) ? !refusedAtLink.has(kind) || ["/explorer", "/financier", "/politiker"].includes(path) : kind === "combined"))
    .map((kind): [string, string] => [path, kind]),
);

describe.concurrent("a hostile scenario", {timeout: 300_000}, () => {
  test.for(hostileCases)("%s with %s: a message where one is due, and no error cell", async ([path, kind], {expect}) => {
    const reads = pages.includes(path); // "/" and /reference-cases ignore the fragment
    // The explorer with an invalid scenario shows its problems at the inputs and runs nothing, so
    // its result cells stay pending: do not wait for them.
    const invalidInExplorer = path === "/explorer" && kind === "htmlCurrency";
    const p = await site.openPage(link(path, hostileRuns[kind]!), {settleTimeoutMs: 120_000, waitForCells: !invalidInExplorer});
    try {
      if (path === "/explorer") await expect.poll(() => p.page.locator(".explorer-status").innerText(), {timeout: 120_000}).toMatch(invalidInExplorer ? /One problem in the scenario/ : /simulated contracts/);
      const message = (path === "/politiker" ? MESSAGE_SV : MESSAGE)[kind];
      if (reads && message) await expect.poll(async () => plainSpaces(await p.page.locator("main").innerText()), {timeout: 60_000}).toMatch(message);
      if (reads && kind === "html" && path !== "/methods") expect(await p.page.locator("main").innerText()).toContain(`Norrköping 2016 ${HTML}`);
      if (path === "/financier" || path === "/explorer") await p.screenshot(`hostile-${kind}-${path.slice(1)}`);
      await notRun(p, expect);
      await checkClean(p, expect);
    } finally {
      await p.close();
    }
  });
});
