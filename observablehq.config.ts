// Observable Framework configuration for the utfall site.
// No CDN features: pages import Plot/d3/Inputs/htl from node_modules explicitly
// (see /work/shared/TOOLCHAIN.md), and globalStylesheets: [] drops the web-font request.
export default {
  title: "utfall",
  root: "src",
  // Order here is also the order the browser tests visit pages in.
  pages: [{name: "Start", path: "/"}],
  // An empty icon stops the browser from requesting /favicon.ico (a 404 console error).
  head: '<link rel="icon" href="data:,">',
  style: "style.css",
  globalStylesheets: [],
  search: false,
  footer: "utfall: Monte Carlo modelling of social outcomes contracts.",
};
