// Runs once per `vitest run` for the browser project: fail fast without Chromium, build the site,
// and start the Chromium that test files share (harness.ts, startSite({shared: true})).
import type {TestProject} from "vitest/node";
import {assertChromium, buildSite, launchBrowserServer} from "./harness.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  assertChromium();
  buildSite();
  const server = await launchBrowserServer();
  project.provide("chromiumEndpoint", server.wsEndpoint());
  return async () => {
    await server.close();
  };
}
