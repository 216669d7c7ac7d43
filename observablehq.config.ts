// Observable Framework configuration for the utfall site.
// No CDN features: pages import Plot/d3/Inputs/htl from node_modules explicitly
// (see docs/toolchain.md), and globalStylesheets: [] drops the web-font request.
export default {
  title: "utfall",
  root: "src",
  // Order here is also the order the browser tests visit pages in.
  pages: [
    {name: "Start", path: "/"},
    {name: "Scenario explorer", path: "/explorer"},
    {name: "Financier's view", path: "/financier"},
    {name: "Payer's view", path: "/payer"},
    {name: "Society's view", path: "/society"},
    {name: "Negotiation", path: "/negotiation"},
    {name: "Reference cases", path: "/reference-cases"},
    {name: "Politikerunderlag", path: "/politiker"},
    {name: "Methods and sources", path: "/methods"}
  ],
  // An empty icon stops the browser from requesting /favicon.ico (a 404 console error).
  // The sidebar's links carry the kit's state (#s=…), so moving between pages keeps the scenario.
  head: `<link rel="icon" href="data:,">
<script>
/* Framework 1.13 leaves <html lang> empty: the briefing for politicians is Swedish, the rest English. */
document.documentElement.lang = ["/politiker", "/politiker.html"].some((end) => location.pathname.endsWith(end)) ? "sv" : "en";
</script>
<script>
document.addEventListener("click", (event) => {
  const a = event.target instanceof Element ? event.target.closest("a[href]:not([download])") : null;
  if (!a || !/(^#|&)s=/.test(location.hash)) return;
  const url = new URL(a.getAttribute("href"), location.href);
  if (!/^https?:$/.test(url.protocol) || url.origin !== location.origin || url.hash) return;
  a.setAttribute("href", url.pathname + url.search + location.hash);
}, true);
</script>`,
  style: "style.css",
  globalStylesheets: [],
  search: false,
  footer: "utfall: Monte Carlo modelling of social outcomes contracts.",
};
