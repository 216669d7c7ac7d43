// Ad-hoc: screenshots of parts of a page, for looking at them (not a test). Usage:
//   npx tsx test/browser/shoot.ts /negotiation "#selector" out.png [more selector/out pairs]
import {startSite} from "./harness.ts";
const [path, ...pairs] = process.argv.slice(2);
const site = await startSite();
const p = await site.openPage(path!, {settleTimeoutMs: 180_000});
for (const sel of (process.env.WAITFOR ?? "").split(",").filter(Boolean)) await p.page.locator(sel).first().waitFor({timeout: 180_000});
await p.page.waitForTimeout(Number(process.env.WAIT ?? 1000));
for (let i = 0; i < pairs.length; i += 2) {
  const [sel, out] = [pairs[i]!, pairs[i + 1]!];
  const el = sel === "page" ? p.page : p.page.locator(sel).first();
  await el.screenshot({path: out, ...(sel === "page" ? {fullPage: true} : {})});
}
console.log(p.errors);
await p.close();
await site.close();
