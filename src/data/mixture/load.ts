// A mixture named on the command line: a recipe name (src/data/mixture/recipes.ts) or a JSON or
// YAML file, validated by parseMixtureConfig.
import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { MixtureConfigError, parseMixtureConfig, type MixtureConfig } from "./config.js";
import { MIXTURE_RECIPES, mixtureRecipe } from "./recipes.js";

export function loadMixture(spec: string): MixtureConfig {
  if (MIXTURE_RECIPES[spec]) return mixtureRecipe(spec);
  if (!existsSync(spec)) throw new MixtureConfigError(`mixture "${spec}" is neither a recipe (${Object.keys(MIXTURE_RECIPES).join(", ")}) nor an existing file`);
  const text = readFileSync(spec, "utf8");
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(spec) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new MixtureConfigError(`${spec} does not parse as ${/\.ya?ml$/i.test(spec) ? "YAML" : "JSON"}: ${(e as Error).message}`);
  }
  return parseMixtureConfig(raw, spec);
}
