// Self-test of the harness: it must notice external requests (also from workers) and page errors.
import {afterAll, beforeAll, expect, test} from "vitest";
import {startSite, type Site} from "./harness.ts";

let site: Site;
beforeAll(async () => { site = await startSite({shared: true}); });
afterAll(async () => { await site?.close(); });

test("records external requests from the page and from workers, and page errors", async () => {
  const p = await site.openPage("/");
  try {
    // ".invalid" never resolves, so nothing leaves the machine; the request is still issued.
    await p.page.evaluate(() => fetch("https://page.example.invalid/x").catch(() => {}));
    await p.page.evaluate(() => new Promise<void>((done) => {
      const src = `fetch("https://worker.example.invalid/y").catch(() => {}).finally(() => postMessage(1));`;
      const w = new Worker(URL.createObjectURL(new Blob([src], {type: "text/javascript"})));
      w.onmessage = () => done();
    }));
    await p.page.evaluate(() => setTimeout(() => { throw new Error("boom"); }));
    await expect.poll(() => p.errors.some((e) => e.includes("boom"))).toBe(true);
    expect(p.externalRequests).toContain("https://page.example.invalid/x");
    expect(p.externalRequests).toContain("https://worker.example.invalid/y");
  } finally {
    await p.close();
  }
});
