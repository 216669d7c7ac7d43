// What the explorer's browser tests (explorer, explorerInputs, correlation) read off the page:
// its run counter, its phase, and waiting until a run has finished.
import type {Page} from "playwright-core";
import {expect} from "vitest";

/** How long a run of the page's trials may take on a loaded machine (only a hang trips it). */
export const RUN_TIMEOUT = 60_000;

/** The number input of the scenario number at a JSON path (`key` is the parameter: value, p5, …). */
export const field = (page: Page, path: string, key = "value") => page.locator(`[data-path="${path}"] input[name="${key}"]`);
/** The counter the figures carry: it moves when a new result is on screen. */
export const runId = async (page: Page) => Number(await page.locator(".explorer-figures").getAttribute("data-run"));
export const phase = (page: Page) => page.locator(".explorer-status").getAttribute("data-phase");
/** Waits until the explorer has no run going or queued. */
export const idle = (page: Page) => expect.poll(() => phase(page), {timeout: RUN_TIMEOUT}).toBe("idle");
