// Mixture configs: which sources a training run draws from, and how much of each (RoboAlign
// Appendix A.3 mixes 13 sources by sample count). Validated strictly: unknown keys and
// ambiguous amounts are errors that name the field.
export type SourceFormat = "llava" | "lerobot" | "rlds" | "libero" | "embedded";

/** What a source teaches; the pipeline's base / RoboAlign SFT stages select by kind. */
export type SourceKind = "general-vqa" | "embodied-vqa" | "robot-qa" | "reasoning" | "fast-action";

export interface MixtureSource {
  name: string;
  kind: SourceKind;
  format: SourceFormat;
  /** Dataset path (ignored for `embedded`, whose samples the simulator generates). */
  path?: string;
  /** Exactly one of `samples` (a count per epoch) or `weight` (a share of `totalSamples`). */
  samples?: number;
  weight?: number;
}

export interface MixtureConfig {
  name: string;
  seed: number;
  /** Epoch size when sources are given by weight. */
  totalSamples?: number;
  sources: MixtureSource[];
}

export class MixtureConfigError extends Error {
  override readonly name = "MixtureConfigError";
}

const FORMATS: SourceFormat[] = ["llava", "lerobot", "rlds", "libero", "embedded"];
const KINDS: SourceKind[] = ["general-vqa", "embodied-vqa", "robot-qa", "reasoning", "fast-action"];
const SOURCE_KEYS = new Set(["name", "kind", "format", "path", "samples", "weight"]);
const CONFIG_KEYS = new Set(["name", "seed", "totalSamples", "sources"]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseMixtureConfig(raw: unknown, where = "mixture config"): MixtureConfig {
  if (!isObject(raw)) throw new MixtureConfigError(`${where} must be a JSON object`);
  for (const k of Object.keys(raw)) if (!CONFIG_KEYS.has(k)) throw new MixtureConfigError(`${where}: unknown field "${k}" (known: ${[...CONFIG_KEYS].join(", ")})`);
  if (typeof raw.name !== "string" || !raw.name) throw new MixtureConfigError(`${where}: "name" must be a non-empty string`);
  const seed = raw.seed ?? 0;
  if (!Number.isInteger(seed)) throw new MixtureConfigError(`${where}: "seed" must be an integer`);
  if (!Array.isArray(raw.sources) || raw.sources.length === 0) throw new MixtureConfigError(`${where}: "sources" must be a non-empty list`);
  const names = new Set<string>();
  const sources = raw.sources.map((s, i): MixtureSource => {
    const at = `${where}: sources[${i}]`;
    if (!isObject(s)) throw new MixtureConfigError(`${at} must be an object`);
    for (const k of Object.keys(s)) if (!SOURCE_KEYS.has(k)) throw new MixtureConfigError(`${at}: unknown field "${k}" (known: ${[...SOURCE_KEYS].join(", ")})`);
    if (typeof s.name !== "string" || !s.name) throw new MixtureConfigError(`${at}: "name" must be a non-empty string`);
    if (names.has(s.name)) throw new MixtureConfigError(`${at}: duplicate source name "${s.name}"`);
    names.add(s.name);
    if (!KINDS.includes(s.kind as SourceKind)) throw new MixtureConfigError(`${at} (${s.name}): "kind" must be one of ${KINDS.join(", ")}`);
    if (!FORMATS.includes(s.format as SourceFormat)) throw new MixtureConfigError(`${at} (${s.name}): "format" must be one of ${FORMATS.join(", ")}`);
    if (s.format !== "embedded" && typeof s.path !== "string") throw new MixtureConfigError(`${at} (${s.name}): "path" is required for ${String(s.format)} sources`);
    const hasSamples = s.samples !== undefined;
    const hasWeight = s.weight !== undefined;
    if (hasSamples === hasWeight) throw new MixtureConfigError(`${at} (${s.name}): give exactly one of "samples" or "weight"`);
    if (hasSamples && !(Number.isInteger(s.samples) && (s.samples as number) > 0)) throw new MixtureConfigError(`${at} (${s.name}): "samples" must be a positive integer`);
    if (hasWeight && !(typeof s.weight === "number" && s.weight > 0)) throw new MixtureConfigError(`${at} (${s.name}): "weight" must be a positive number`);
    return { name: s.name, kind: s.kind as SourceKind, format: s.format as SourceFormat, path: s.path as string | undefined, samples: s.samples as number | undefined, weight: s.weight as number | undefined };
  });
  const total = raw.totalSamples;
  if (sources.some((s) => s.weight !== undefined) && !(Number.isInteger(total) && (total as number) > 0)) {
    throw new MixtureConfigError(`${where}: "totalSamples" (a positive integer) is required when a source is given by weight`);
  }
  return { name: raw.name, seed: seed as number, totalSamples: total as number | undefined, sources };
}

/** Samples per epoch of each source: counts as given, weights as shares of totalSamples (rounded, at least 1). */
export function sampleCounts(c: MixtureConfig): Map<string, number> {
  const weightSum = c.sources.reduce((s, x) => s + (x.weight ?? 0), 0);
  const countSum = c.sources.reduce((s, x) => s + (x.samples ?? 0), 0);
  const byWeight = Math.max(0, (c.totalSamples ?? 0) - countSum);
  return new Map(c.sources.map((s) => [s.name, s.samples ?? Math.max(1, Math.round((byWeight * s.weight!) / weightSum))]));
}
