// Settings of a training stage from the command line: a named recipe, then a JSON or YAML
// config file, then flags, later layers winning; every layer validated against the stage's schema.
import { readSettingsFile } from "../util/settings-file.js";
import { ConfigError, flagsToPartial, parsePartial, resolveConfig, type Schema } from "../train/schema.js";

export function readConfigFile(file: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = readSettingsFile(file);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: expected an object of settings`);
  return raw as Record<string, unknown>;
}

export function stageConfig<C>(schema: Schema<C>, recipes: Record<string, C>, argv: Record<string, unknown>): C {
  const file = typeof argv.config === "string" ? readConfigFile(argv.config) : {};
  const recipeName = (argv.recipe as string | undefined) ?? (typeof file.recipe === "string" ? file.recipe : "tiny");
  const base = recipes[recipeName];
  if (!base) throw new ConfigError(`unknown recipe "${recipeName}" (known: ${Object.keys(recipes).join(", ")})`);
  const { recipe: _ignored, ...settings } = file;
  const fromFile = parsePartial(schema, settings, typeof argv.config === "string" ? argv.config : "config");
  return resolveConfig(schema, base, fromFile, flagsToPartial(schema, argv));
}
