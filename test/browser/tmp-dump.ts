import {startSite} from "./harness.ts";
const site = await startSite();
const p = await site.openPage("/explorer", {settleTimeoutMs: 120_000});
await p.page.setViewportSize({width: 1280, height: 900});
await p.page.waitForTimeout(1500);
await p.page.locator('[data-path="intervention"]').first().screenshot({path: "/tmp/vocab/interv.png"});
await p.page.locator('.explorer-results').screenshot({path: "/tmp/vocab/results.png"});
await p.page.locator('[data-path="contract.rules[1]"]').first().screenshot({path: "/tmp/vocab/rule.png"});
await p.close(); await site.close();
