// A mixture named on the command line: a recipe name (src/data/mixture/recipes.ts) or a JSON or
// YAML file, validated by parseMixtureConfig.
import { existsSync } from "node:fs";
import { readSettingsFile } from "../../util/settings-file.js";
import { MixtureConfigError, parseMixtureConfig, type MixtureConfig } from "./config.js";
import { MIXTURE_RECIPES, mixtureRecipe } from "./recipes.js";

export function loadMixture(spec: string): MixtureConfig {
  if (MIXTURE_RECIPES[spec]) return mixtureRecipe(spec);
  if (!existsSync(spec)) throw new MixtureConfigError(`mixture "${spec}" is neither a recipe (${Object.keys(MIXTURE_RECIPES).join(", ")}) nor an existing file`);
  let raw: unknown;
  try {
    raw = readSettingsFile(spec);
  } catch (e) {
    throw new MixtureConfigError((e as Error).message);
  }
  return parseMixtureConfig(raw, spec);
}
