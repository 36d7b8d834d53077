// SVG building blocks shared by the charts: escaping, elements, text, the palette and text-width estimates.

/** Chart size in pixels; the SVG is drawn at this size and the PNG is rasterised 1:1. */
export interface ChartSize {
  width: number;
  height: number;
}

export const DEFAULT_CHART_SIZE: ChartSize = { width: 900, height: 480 };

/**
 * A generic family: the PNG is rasterised by librsvg through fontconfig, which maps `sans-serif` to
 * whatever sans font the machine has (DejaVu Sans on most Linux images). Named fonts may be missing.
 */
export const FONT_FAMILY = "sans-serif";

/** Tableau 10: distinguishable colours that survive greyscale printing reasonably well. */
export const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

export function paletteColor(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** Two decimals are far below a pixel; shorter numbers keep large paths small. */
export function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}

type Attrs = Record<string, string | number | undefined>;

function attrs(a: Attrs): string {
  let out = "";
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === "number" ? px(v) : escapeXml(v)}"`;
  }
  return out;
}

/** An element; `children` is raw SVG (already escaped), so text content must go through `text()`. */
export function el(tag: string, a: Attrs, children?: string): string {
  return children === undefined ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${children}</${tag}>`;
}

export interface TextOptions {
  size?: number;
  anchor?: "start" | "middle" | "end";
  weight?: "normal" | "bold";
  color?: string;
  /** Degrees, around (x, y); -90 writes bottom to top (y-axis labels). */
  rotate?: number;
  /** "middle" centres the text vertically on y; "alphabetic" puts the baseline on y. */
  baseline?: "middle" | "alphabetic" | "hanging";
}

/** Text escaped for XML. */
export function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  const size = o.size ?? 12;
  // librsvg honours dominant-baseline unevenly; shifting y by a fraction of the font size is portable.
  const dy = o.baseline === "middle" ? size * 0.35 : o.baseline === "hanging" ? size * 0.8 : 0;
  return el(
    "text",
    {
      x,
      y: y + dy,
      "font-family": FONT_FAMILY,
      "font-size": size,
      "font-weight": o.weight === "bold" ? "bold" : undefined,
      "text-anchor": o.anchor ?? "start",
      fill: o.color ?? "#222",
      transform: o.rotate ? `rotate(${o.rotate} ${px(x)} ${px(y)})` : undefined,
    },
    escapeXml(content),
  );
}

/**
 * Approximate rendered width. Layout only needs a bound, and measuring would need the font; 0.6 em
 * per character covers DejaVu Sans, the widest common default sans.
 */
export function textWidth(s: string, size = 12): number {
  return s.length * size * 0.6;
}

/** Greedy word wrap to a pixel width; a single over-long word is kept whole on its own line. */
export function wrapText(s: string, maxWidth: number, size = 12): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of s.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

/** A complete SVG document with a white background (PNG viewers show transparency as black or checkers). */
export function svgDocument(size: ChartSize, body: string): string {
  const { width, height } = size;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    el("rect", { x: 0, y: 0, width, height, fill: "#ffffff" }) +
    body +
    "</svg>"
  );
}

/** Checks a requested size before anything is drawn, so a bad option fails with its own name. */
export function checkSize(size: ChartSize): void {
  for (const k of ["width", "height"] as const) {
    const v = size[k];
    if (!Number.isInteger(v) || v < 64 || v > 8192) {
      throw new RangeError(`chart ${k} must be an integer between 64 and 8192 pixels, got ${v}`);
    }
  }
}
