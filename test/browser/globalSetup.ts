// Runs once per `vitest run` for the browser project: fail fast without Chromium, then build the site.
import {assertChromium, buildSite} from "./harness.ts";

export default function setup(): void {
  assertChromium();
  buildSite();
}
