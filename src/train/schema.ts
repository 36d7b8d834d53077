// One typed description of a stage's settings feeds three things: validation of config files,
// the CLI flags (`--warmup-ratio` for `warmupRatio`) and the defaults of named recipes. A field
// added here is a flag, a config key and a documented setting at once.
export type FieldType = "number" | "integer" | "string" | "boolean" | "string[]";

export interface FieldSpec {
  type: FieldType;
  describe: string;
  choices?: readonly string[];
  /** Inclusive lower bound for numbers. */
  min?: number;
  /** Exclusive lower bound for numbers (e.g. learning rates must be > 0). */
  above?: number;
  max?: number;
}

export type Schema<C> = { [K in keyof C]: FieldSpec };

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** `warmupRatio` → `warmup-ratio`. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function checkValue(key: string, spec: FieldSpec, value: unknown, where: string): unknown {
  const bad = (what: string) => new ConfigError(`${where}: "${key}" ${what} (${spec.describe})`);
  switch (spec.type) {
    case "number":
    case "integer": {
      const v = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof v !== "number" || !Number.isFinite(v)) throw bad(`must be a number, got ${JSON.stringify(value)}`);
      if (spec.type === "integer" && !Number.isInteger(v)) throw bad(`must be an integer, got ${v}`);
      if (spec.min !== undefined && v < spec.min) throw bad(`must be >= ${spec.min}, got ${v}`);
      if (spec.above !== undefined && v <= spec.above) throw bad(`must be > ${spec.above}, got ${v}`);
      if (spec.max !== undefined && v > spec.max) throw bad(`must be <= ${spec.max}, got ${v}`);
      return v;
    }
    case "string":
      if (typeof value !== "string") throw bad(`must be a string, got ${JSON.stringify(value)}`);
      if (spec.choices && !spec.choices.includes(value)) throw bad(`must be one of ${spec.choices.join(", ")}, got "${value}"`);
      return value;
    case "boolean":
      if (value === "true" || value === "false") return value === "true";
      if (typeof value !== "boolean") throw bad(`must be true or false, got ${JSON.stringify(value)}`);
      return value;
    case "string[]": {
      const list = typeof value === "string" ? value.split(",").map((s) => s.trim()).filter(Boolean) : value;
      if (!Array.isArray(list) || !list.every((s) => typeof s === "string")) throw bad(`must be a list of strings, got ${JSON.stringify(value)}`);
      return list;
    }
  }
}

/** Validates a partial config (from a file or flags): unknown keys and wrong types name the field. */
export function parsePartial<C>(schema: Schema<C>, raw: unknown, where: string): Partial<C> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(`${where} must be a JSON object of settings`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const spec = (schema as Record<string, FieldSpec>)[key];
    if (!spec) throw new ConfigError(`${where}: unknown setting "${key}" (known: ${Object.keys(schema).join(", ")})`);
    if (value === undefined) continue;
    out[key] = checkValue(key, spec, value, where);
  }
  return out as Partial<C>;
}

/** Layers partial configs over a complete base (later wins) and re-validates the result. */
export function resolveConfig<C>(schema: Schema<C>, base: C, ...layers: Partial<C>[]): C {
  const merged = Object.assign({}, base, ...layers) as C;
  parsePartial(schema, merged, "resolved config");
  return merged;
}

/** yargs options for every field; no defaults here, so an absent flag leaves the recipe's value. */
export function yargsOptions<C>(schema: Schema<C>): Record<string, { type: "number" | "string" | "boolean" | "array"; describe: string; choices?: readonly string[] }> {
  const out: Record<string, { type: "number" | "string" | "boolean" | "array"; describe: string; choices?: readonly string[] }> = {};
  for (const [key, spec] of Object.entries(schema) as [string, FieldSpec][]) {
    const type = spec.type === "integer" ? "number" : spec.type === "string[]" ? "string" : spec.type;
    out[flagName(key)] = { type, describe: spec.type === "string[]" ? `${spec.describe} (comma-separated)` : spec.describe, ...(spec.choices ? { choices: spec.choices } : {}) };
  }
  return out;
}

/** The flags the user actually gave, as a partial config. */
export function flagsToPartial<C>(schema: Schema<C>, argv: Record<string, unknown>): Partial<C> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema)) {
    const v = argv[flagName(key)];
    if (v !== undefined) raw[key] = v;
  }
  return parsePartial(schema, raw, "command-line flags");
}
