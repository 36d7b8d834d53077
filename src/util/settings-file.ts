// Settings files (mixtures, stage configs): JSON, or YAML when the name ends in .yaml/.yml.
import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";

/** The parsed file; throws naming the file and the parser's complaint. */
export function readSettingsFile(file: string): unknown {
  if (!existsSync(file)) throw new Error(`settings file ${file} not found`);
  const yaml = /\.ya?ml$/i.test(file);
  try {
    const text = readFileSync(file, "utf8");
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} does not parse as ${yaml ? "YAML" : "JSON"}: ${(e as Error).message}`);
  }
}
