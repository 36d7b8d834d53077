// Where tests find the repository, the shared reference folder, the addon and Python.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { addonCandidates } from "../../src/native/loader.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const sharedDir = resolve(repoRoot, "..", "shared");
export const hasShared = existsSync(join(sharedDir, "fixtures"));
export const SHARED_MISSING = `../shared/fixtures is absent (reference fixtures live beside the repository)`;

export const hasAddon = addonCandidates().some((p) => existsSync(p));
export const ADDON_MISSING = "the native addon is not built (run `npm run setup`)";

export const python = join(repoRoot, ".venv", "bin", "python");

let transformersChecked: boolean | undefined;
/** True when the project .venv has transformers (installed by `scripts/setup.sh --test`). */
export function hasTransformers(): boolean {
  if (transformersChecked === undefined) {
    transformersChecked =
      existsSync(python) && spawnSync(python, ["-c", "import transformers, safetensors"], { stdio: "ignore" }).status === 0;
  }
  return transformersChecked;
}
export const TRANSFORMERS_MISSING = ".venv has no transformers (run `scripts/setup.sh --test`)";
