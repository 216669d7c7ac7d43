// Browser test harness: builds the Framework site once, serves dist/ on 127.0.0.1,
// and opens pages in Debian's Chromium through playwright-core, recording console
// errors, page errors and any request that leaves the local server.
//
// Usage (see pages.test.ts):
//   const site = await startSite();            // in beforeAll
//   const p = await site.openPage("/");         // waits until Framework cells settle
//   expect(p.errors).toEqual([]); expect(p.externalRequests).toEqual([]);
//   await p.screenshot();                       // test/screenshots/index.png
//   await site.close();                         // in afterAll
//
// startSite({shared: true}) connects to the one Chromium that globalSetup starts for the run
// (launchBrowserServer) and gets a fresh browser context of its own (no cookies, storage or cache
// from another file), which saves a Chromium start and stop per file; a file run without that
// globalSetup, or startSite() without the option, launches its own Chromium. A connected
// browser's downloads can only be saved with saveAs(), not read at download.path().
//
// The build is skipped when dist/ was built from the sources as they are now (buildSite).
// Env: UTFALL_REUSE_DIST=1 skips `npm run build` when dist/index.html exists.
//      UTFALL_CHROMIUM overrides the browser path (default /usr/bin/chromium).
import {execFileSync} from "node:child_process";
import {createHash} from "node:crypto";
import {createReadStream, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {mkdir, mkdtemp, rm} from "node:fs/promises";
import {createServer, type Server} from "node:http";
import type {AddressInfo} from "node:net";
import {tmpdir} from "node:os";
import {dirname, extname, join, normalize, resolve, sep} from "node:path";
import {fileURLToPath} from "node:url";
import {chromium, type Browser, type BrowserContext, type BrowserServer, type Page} from "playwright-core";
import {expect, inject} from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The websocket address of the Chromium that globalSetup started, or "" when it did not. */
    chromiumEndpoint: string;
  }
}

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const DIST = join(ROOT, "dist");
export const SCREENSHOTS = join(ROOT, "test", "screenshots");
export const CHROMIUM = process.env.UTFALL_CHROMIUM ?? "/usr/bin/chromium";

/** What the built site is made of: the pages, the engine they import, the data, the config and the locked packages. */
const SITE_SOURCES = ["src", "models", "data", "observablehq.config.ts", "package-lock.json"];
const BUILD_STAMP = join(ROOT, "node_modules/.cache/utfall/site-build.json");

/** Every source file's path, size and modification time (Framework's own cache under src/.observablehq left out). */
function sourceFiles(): {path: string; size: number; mtimeMs: number}[] {
  const out: {path: string; size: number; mtimeMs: number}[] = [];
  const walk = (path: string) => {
    if (!existsSync(path) || path === join(ROOT, "src/.observablehq")) return;
    // src/models and src/scenarios link to ../models and ../data/scenarios, walked on their own.
    if (lstatSync(path).isSymbolicLink() && path !== ROOT) return;
    const st = statSync(path);
    if (st.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
    else out.push({path: path.slice(ROOT.length + 1), size: st.size, mtimeMs: st.mtimeMs});
  };
  for (const s of SITE_SOURCES) walk(join(ROOT, s));
  return out;
}

/**
 * Runs `npm run build`, once per test run (from globalSetup), unless dist/ was built by this
 * function from exactly the sources there are now (same files, sizes and times: a stamp in
 * node_modules/.cache/utfall), or UTFALL_REUSE_DIST=1 and dist/ exists. A clean clone always builds.
 *
 * Framework caches a data loader's output until the loader file itself changes, not the engine
 * it imports; so a loader output older than any file under models/ or data/ is removed first,
 * and the build runs the loader again.
 */
export function buildSite(): void {
  const index = join(DIST, "index.html");
  if (process.env.UTFALL_REUSE_DIST === "1" && existsSync(index)) return;
  const files = sourceFiles();
  const fingerprint = createHash("sha256").update(JSON.stringify(files)).digest("hex");
  try {
    const stamp = JSON.parse(readFileSync(BUILD_STAMP, "utf8")) as {fingerprint: string; indexMtimeMs: number};
    if (stamp.fingerprint === fingerprint && existsSync(index) && statSync(index).mtimeMs === stamp.indexMtimeMs) {
      console.log("dist/ was built from these sources; not building again");
      return;
    }
  } catch {
    // no stamp yet
  }
  const engineTime = Math.max(0, ...files.filter((f) => /^(models|data)\//.test(f.path)).map((f) => f.mtimeMs));
  const loaderCache = join(ROOT, "src/.observablehq/cache/data");
  if (existsSync(loaderCache)) {
    for (const name of readdirSync(loaderCache)) {
      const cached = join(loaderCache, name);
      if (statSync(cached).isFile() && statSync(cached).mtimeMs < engineTime) rmSync(cached);
    }
  }
  // stdio inherit so build errors show up in the test output.
  execFileSync("npm", ["run", "build"], {cwd: ROOT, stdio: ["ignore", "inherit", "inherit"]});
  mkdirSync(dirname(BUILD_STAMP), {recursive: true});
  writeFileSync(BUILD_STAMP, JSON.stringify({fingerprint, indexMtimeMs: statSync(index).mtimeMs}));
}

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
];

/** Starts one headless Chromium that test files connect to (from globalSetup). */
export function launchBrowserServer(): Promise<BrowserServer> {
  return chromium.launchServer({executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS});
}

/** Throws (so tests fail, not skip) when Chromium is missing. */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Browser tests need it: run \`apt-get install -y chromium\` ` +
        `(or set UTFALL_CHROMIUM to another Chromium binary).`
    );
  }
}

/** Page paths from observablehq.config.ts (sections flattened), always including "/". */
export async function configuredPages(): Promise<string[]> {
  type Entry = {path?: string; pages?: Entry[]};
  const config = (await import("../../observablehq.config.ts")).default as {pages?: Entry[]};
  const flat = (entries: Entry[]): string[] => entries.flatMap((e) => [...(e.path ? [e.path] : []), ...flat(e.pages ?? [])]);
  return [...new Set(["/", ...flat(config.pages ?? [])])];
}

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8"
};

/** Minimal static server for dist/. Framework emits clean URLs: /foo -> foo.html, /dir/ -> dir/index.html. */
export async function serveDist(dir: string = DIST): Promise<{server: Server; baseUrl: string}> {
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const base = normalize(join(dir, pathname));
    if (base !== dir && !base.startsWith(dir + sep)) return void res.writeHead(403).end();
    const candidates = pathname.endsWith("/") ? [join(base, "index.html")] : [base, `${base}.html`];
    const file = candidates.find((f) => existsSync(f) && statSync(f).isFile());
    if (!file) return void res.writeHead(404, {"content-type": "text/plain"}).end("not found");
    // Framework names every asset by its content's hash (foo.1a2b3c4d.js), so a browser context
    // may keep it for the run: a file's page loads after its first compile the modules once
    // (Chromium's code cache) instead of fetching and compiling d3, Plot and zod on each load.
    // The pages themselves (.html) are never cached.
    const hashed = /\.[0-9a-f]{8}\.[a-z0-9]+$/.test(file);
    res.writeHead(200, {"content-type": MIME[extname(file)] ?? "application/octet-stream", "cache-control": hashed ? "max-age=3600, immutable" : "no-store"});
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok)); // port 0 = random free port
  const {port} = server.address() as AddressInfo;
  return {server, baseUrl: `http://127.0.0.1:${port}`};
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught page errors, live (keeps filling while the page is open). */
  errors: string[];
  /** URLs of requests to any host other than 127.0.0.1/localhost, live. */
  externalRequests: string[];
  /** Saves a full-page PNG to test/screenshots/<name>.png (name derived from the path by default). */
  screenshot(name?: string): Promise<string>;
  close(): Promise<void>;
}

export interface Site {
  baseUrl: string;
  /** `waitForCells: false` returns once the page has loaded, for a page whose cells wait for a result that may never come (the explorer with an invalid scenario). */
  openPage(path: string, options?: {settleTimeoutMs?: number; waitForCells?: boolean}): Promise<OpenedPage>;
  close(): Promise<void>;
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** "/" -> "index", "/models/sib" -> "models-sib". */
export function screenshotName(path: string): string {
  return path.replace(/^\/+|\/+$/g, "").replace(/[^\w.-]+/g, "-") || "index";
}

/** Serves dist/ and launches a headless Chromium with a fresh profile. Requires a prior build. */
export async function startSite({shared = false}: {shared?: boolean} = {}): Promise<Site> {
  assertChromium();
  if (!existsSync(join(DIST, "index.html"))) throw new Error(`${DIST}/index.html missing: run \`npm run build\` first`);
  const {server, baseUrl} = await serveDist();
  // The run's shared Chromium when globalSetup started one, else one of this file's own.
  let endpoint = "";
  try {
    if (shared) endpoint = inject("chromiumEndpoint") ?? "";
  } catch {
    // not under vitest's globalSetup
  }
  let browser: Browser | null = null;
  let context: BrowserContext;
  let userDataDir: string | null = null;
  if (endpoint) {
    browser = await chromium.connect(endpoint);
    context = await browser.newContext({viewport: {width: 1200, height: 800}, acceptDownloads: true});
  } else {
    userDataDir = await mkdtemp(join(tmpdir(), "utfall-chromium-"));
    // launchPersistentContext is how playwright takes a user data dir (--user-data-dir is not allowed in args).
    context = await chromium.launchPersistentContext(userDataDir, {executablePath: CHROMIUM, headless: true, viewport: {width: 1200, height: 800}, args: CHROMIUM_ARGS});
    browser = context.browser();
  }

  // The wait ends as soon as the page has settled; the limit is generous because a page's cells
  // may wait for a 10,000-trial run in a worker, which a loaded machine makes many times slower.
  async function openPage(path: string, {settleTimeoutMs = 90_000, waitForCells = true} = {}): Promise<OpenedPage> {
    const page = await context.newPage();
    const errors: string[] = [];
    const externalRequests: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
    // Context-level requests also include those made by workers.
    const onRequest = (req: {url(): string}) => {
      const url = new URL(req.url());
      if ((url.protocol === "http:" || url.protocol === "https:" || url.protocol === "ws:" || url.protocol === "wss:") && !LOCAL_HOSTS.has(url.hostname)) {
        externalRequests.push(req.url());
      }
    };
    context.on("request", onRequest);
    await page.goto(baseUrl + path, {waitUntil: "load"});
    // Framework replaces each pending cell's <observablehq-loading> placeholder when it resolves.
    if (waitForCells) await page.waitForFunction(() => !document.querySelector("observablehq-loading"), null, {timeout: settleTimeoutMs});
    await page.waitForLoadState("networkidle");
    return {
      page,
      errors,
      externalRequests,
      async screenshot(name = screenshotName(path)) {
        await mkdir(SCREENSHOTS, {recursive: true});
        const file = join(SCREENSHOTS, `${name}.png`);
        await page.screenshot({path: file, fullPage: true});
        return file;
      },
      async close() {
        context.off("request", onRequest);
        await page.close();
      }
    };
  }

  return {
    baseUrl,
    openPage,
    async close() {
      await context.close();
      await browser?.close(); // for a connected browser: disconnects, the shared Chromium stays
      await new Promise<void>((ok) => server.close(() => ok()));
      if (userDataDir) await rm(userDataDir, {recursive: true, force: true});
    }
  };
}

/** Text with Intl's no-break spaces ("1 234 kr", "64 %") as plain spaces. */
export const plainSpaces = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

/** A page's text (or an element's), with plain spaces. */
export const textOf = async (p: {page: import("playwright-core").Page}, selector = "main") => plainSpaces(await p.page.locator(selector).innerText());

/**
 * A link to the Negotiation page with this state and grid (`&vary=` entries, as `utfall sweep
 * --vary`), encoded by the built page's own state module so the test and the page agree.
 */
export async function negotiationLink(site: Site, state: {scenario: unknown; trials: number; seed: number}, grid: string[] = []): Promise<string> {
  const stateModule = readdirSync(join(DIST, "_import/components")).find((f) => /^state\.[0-9a-f]+\.js$/.test(f));
  const start = await site.openPage("/methods");
  try {
    const fragment = await start.page.evaluate(`import("/_import/components/${stateModule}").then((m) => m.encodeState(${JSON.stringify(state)}))`);
    return `/negotiation#${fragment}${grid.map((g) => "&vary=" + encodeURIComponent(g)).join("")}`;
  } finally {
    await start.close();
  }
}

/**
 * What every finished page must show: no page error, no request to another host, no Framework
 * cell in error, and no NaN, undefined or Infinity in its text.
 */
export async function expectCleanPage(p: OpenedPage): Promise<void> {
  expect(p.errors).toEqual([]);
  expect(p.externalRequests).toEqual([]);
  expect(await p.page.locator(".observablehq--error").count()).toBe(0);
  expect(await p.page.locator("body").innerText()).not.toMatch(/\bNaN\b|undefined|Infinity/);
}
