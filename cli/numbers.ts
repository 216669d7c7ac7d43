/** A decimal number as a person writes one: 0.4, -2, .5, 1e6; no hex, no blanks, no empty text. */
export const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
