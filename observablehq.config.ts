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
    {name: "Follow-up", path: "/follow-up"}, // the quarterly forecast during the contract (issue 15 §3)
    // Left out of the English previous/next links: the Swedish page has its own navigation.
    {name: "Politikerunderlag", path: "/politiker", pager: null},
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
/* A skip link as the first thing a keyboard reaches, at the start of <body> (before the
   sidebar's links; written here, not in a header, as Framework checks a header's #links against
   the page's own ids). It focuses the main content without touching the URL's
   fragment, which carries the kit's state (#s=…). Charts get role="img" and, where the page did
   not give one, a text alternative from their title and subtitle. */
document.addEventListener("DOMContentLoaded", () => {
  const skip = Object.assign(document.createElement("a"), {className: "skip-link", href: "#observablehq-main"});
  skip.textContent = document.documentElement.lang === "sv" ? "Hoppa till innehållet" : "Skip to main content";
  document.body.prepend(skip);
  // Framework's sidebar: a name for its toggle, and its close button out of the list (a list holds only items).
  document.getElementById("observablehq-sidebar-toggle")?.setAttribute("aria-label", "Toggle sidebar");
  const close = document.getElementById("observablehq-sidebar-close");
  if (close?.parentElement?.tagName === "OL") close.parentElement.before(close);
  const caption = (svg) => {
    const figure = svg.closest("figure");
    const words = figure ? [...figure.querySelectorAll(":scope > h2, :scope > h3")].map((h) => h.textContent.trim()).filter(Boolean).join(". ") : "";
    if (words) return words;
    const cap = svg.closest("figure.print-block, .print-block")?.querySelector("figcaption")?.textContent.trim();
    if (cap) return cap;
    // A chart without a title: the caption after its cell, else the section it is in.
    const cell = svg.closest(".observablehq");
    const next = cell?.nextElementSibling;
    if (next?.matches("p.caption")) return next.textContent.trim();
    let h = cell;
    while (h && !/^H[23]$/.test(h.tagName)) h = h.previousElementSibling;
    return h ? "Chart: " + h.textContent.trim() : "";
  };
  const label = (svg) => {
    // A chart is one image: the marks Plot labels (<g aria-label="rect">) are hidden from assistive
    // technology (an aria-label on a plain <g> is not allowed); the labels stay for the tests.
    svg.querySelectorAll("g[aria-label]").forEach((g) => g.setAttribute("aria-hidden", "true"));
    if (svg.getAttribute("role") === "img" && svg.hasAttribute("aria-label")) return;
    const w = Number(svg.getAttribute("width")) || svg.getBoundingClientRect().width;
    if (w && w < 60) return; // icons and legend swatches
    const text = svg.getAttribute("aria-label") || caption(svg) || svg.querySelector("title")?.textContent || "";
    if (!text) return;
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", text);
  };
  const main = document.getElementById("observablehq-main");
  if (!main) return;
  main.querySelectorAll("svg").forEach(label);
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (!(n instanceof Element)) continue;
      if (n instanceof SVGSVGElement) label(n);
      n.querySelectorAll?.("svg").forEach(label);
    }
  }).observe(main, {childList: true, subtree: true});
});
document.addEventListener("click", (event) => {
  const skip = event.target instanceof Element ? event.target.closest("a.skip-link") : null;
  if (!skip) return;
  event.preventDefault();
  const main = document.getElementById("observablehq-main");
  main.setAttribute("tabindex", "-1");
  main.focus();
});
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
