// JSON text in the layout of Rust's `serde_json::to_string_pretty` (what tokenizers'
// `Tokenizer.save(path, pretty=True)` writes): two-space indent, one array element per line,
// object keys in insertion order (a Map keeps "7" after "\u0000", where a JS object would not).

export type PrettyValue = null | boolean | number | string | PrettyValue[] | Map<string, PrettyValue>;

export function prettyJson(value: PrettyValue, indent = ""): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as JSON`);
    return JSON.stringify(value);
  }
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + prettyJson(v, inner)).join(",\n")}\n${indent}]`;
  }
  if (value.size === 0) return "{}";
  const parts: string[] = [];
  for (const [k, v] of value) parts.push(`${inner}${JSON.stringify(k)}: ${prettyJson(v, inner)}`);
  return `{\n${parts.join(",\n")}\n${indent}}`;
}
