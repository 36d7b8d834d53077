// Markdown building helpers for the reports: tables with alignment and number formatting, image links.
import { formatNumber } from "./number-format.js";

export type Align = "left" | "right" | "center";

export interface Column {
  header: string;
  /** Default: right when every filled cell of the column is a number, else left. */
  align?: Align;
  /** Significant digits for number cells of this column; default the table's `digits`. */
  digits?: number;
}

/** A cell: text as is, numbers formatted to significant digits, null/undefined shown as an em dash. */
export type Cell = string | number | null | undefined;

export interface TableOptions {
  /** Significant digits for number cells; default 3. */
  digits?: number;
}

/** Escapes what would break a table row: pipes end a cell and newlines end the row. */
export function escapeCell(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

function cellText(c: Cell, digits: number): string {
  if (c === null || c === undefined) return "—";
  return typeof c === "number" ? formatNumber(c, digits) : escapeCell(c);
}

function separator(align: Align, width: number): string {
  if (align === "right") return `${"-".repeat(width - 1)}:`;
  if (align === "center") return `:${"-".repeat(width - 2)}:`;
  return `:${"-".repeat(width - 1)}`;
}

/**
 * A GitHub-flavoured Markdown table. Cells are padded so the source reads as a table too. Rows shorter
 * than the header are filled with empty cells; longer rows are an error (the extra data would be lost).
 */
export function markdownTable(columns: ReadonlyArray<string | Column>, rows: ReadonlyArray<ReadonlyArray<Cell>>, options: TableOptions = {}): string {
  if (!columns.length) throw new RangeError("markdown table needs at least one column");
  const cols: Column[] = columns.map((c) => (typeof c === "string" ? { header: c } : c));
  rows.forEach((r, i) => {
    if (r.length > cols.length) throw new RangeError(`markdown table row ${i} has ${r.length} cells for ${cols.length} columns; add a column or drop cells`);
  });
  const aligns = cols.map((c, j) => {
    if (c.align) return c.align;
    const filled = rows.map((r) => r[j]).filter((v) => v !== null && v !== undefined && v !== "");
    return filled.length && filled.every((v) => typeof v === "number") ? "right" : "left";
  });
  const body = rows.map((r) => cols.map((c, j) => (j < r.length ? cellText(r[j], c.digits ?? options.digits ?? 3) : "")));
  const head = cols.map((c) => escapeCell(c.header));
  const widths = cols.map((_, j) => Math.max(3, head[j].length, ...body.map((r) => r[j].length)));
  const pad = (s: string, j: number) => (aligns[j] === "right" ? s.padStart(widths[j]) : s.padEnd(widths[j]));
  const line = (cells: string[]) => `| ${cells.map(pad).join(" | ")} |`;
  const sep = `| ${aligns.map((a, j) => separator(a, widths[j])).join(" | ")} |`;
  return [line(head), sep, ...body.map(line)].join("\n");
}

/**
 * An image link. Paths with spaces or parentheses go in angle brackets, which CommonMark accepts where a
 * bare destination would end at the first space.
 */
export function imageLink(alt: string, path: string, title?: string): string {
  const a = alt.replace(/[[\]\\]/g, (m) => `\\${m}`);
  const p = /[\s()<>]/.test(path) ? `<${path.replace(/[<>]/g, encodeURIComponent)}>` : path;
  const t = title ? ` "${title.replace(/"/g, '\\"')}"` : "";
  return `![${a}](${p}${t})`;
}

/** A heading of level 1–6. */
export function heading(level: number, content: string): string {
  const l = Math.min(6, Math.max(1, Math.floor(level)));
  return `${"#".repeat(l)} ${content.replace(/\r?\n/g, " ")}`;
}

/** Inline code that survives backticks in the content. */
export function inlineCode(s: string): string {
  return s.includes("`") ? `\`\` ${s} \`\`` : `\`${s}\``;
}

/** A bullet list, one item per line. */
export function bulletList(items: readonly string[]): string {
  return items.map((i) => `- ${i.replace(/\r?\n/g, " ")}`).join("\n");
}
