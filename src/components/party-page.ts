/**
 * The set-up every party's page shares: read the link's state (#s=…, or the default scenario with
 * the default trials and seed) and start its run with a progress bar (components/page-header.ts).
 */
import type { Lang } from "../models/format.js";
import { startPage, type PageStart } from "./page-header.js";
import { stateFromUrl } from "./state.js";

export async function openPartyPage(workerUrl: string, defaultScenario: unknown, lang: Lang = "en"): Promise<PageStart> {
  return startPage(workerUrl, await stateFromUrl(defaultScenario), defaultScenario, lang);
}
