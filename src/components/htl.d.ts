/** Types for htl 0.3 (Observable's Hypertext Literal), which ships none: tagged templates that build DOM nodes and escape interpolated text. */
declare module "htl" {
  type Node = globalThis.Node;
  export function html(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement & Node;
  export function svg(strings: TemplateStringsArray, ...values: unknown[]): SVGElement & Node;
}
