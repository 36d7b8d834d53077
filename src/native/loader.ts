// Loads the compiled addon. One function tries every known build output and, on failure,
// throws one message listing what was tried and how to fix it.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { NativeCore } from "./contract.js";

const require = createRequire(import.meta.url);

/** The package root (holds package.json), whether running from src/ or dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("roboalign: cannot find the package root (no package.json above the module)");
    dir = up;
  }
  return dir;
}

/** Candidate addon paths, in the order they are tried. */
export function addonCandidates(): string[] {
  const root = packageRoot();
  const list = [
    process.env.ROBOALIGN_ADDON,
    join(root, "build", "Release", "roboalign_core.node"),
    join(root, "build-gyp", "build", "Release", "roboalign_core.node"),
  ];
  return list.filter((p): p is string => Boolean(p)).map((p) => resolve(p));
}

let cached: { path: string; core: NativeCore } | undefined;

/**
 * The raw native core (cached per process), from the first candidate that loads. Throws one
 * explanatory error when none does.
 */
export function loadNativeAddon(candidates: string[] = addonCandidates()): { path: string; core: NativeCore } {
  if (cached) return cached;
  // libtorch's OpenMP threads spin-wait by default, and on a few cores that starves the JS
  // thread and the executor (10× slower steps for small models). libgomp reads this variable
  // when the addon's libraries load, so it must be set before the require below.
  process.env.OMP_WAIT_POLICY ??= "PASSIVE";
  const tried: string[] = [];
  for (const path of candidates) {
    if (!existsSync(path)) {
      tried.push(`${path}: not built`);
      continue;
    }
    try {
      cached = { path, core: require(path) as NativeCore };
      return cached;
    } catch (err) {
      tried.push(`${path}: ${(err as Error).message.split("\n")[0]}`);
    }
  }
  throw new Error(
    "roboalign: the native core could not be loaded.\nTried:\n" +
      tried.map((t) => `  - ${t}`).join("\n") +
      "\nPossible solutions:\n" +
      "  - run `npm run setup` (installs libtorch into .venv and builds the addon)\n" +
      "  - after changing Python/PyTorch, rebuild: `rm -rf build && npm run setup`\n" +
      "  - set ROBOALIGN_ADDON to the path of a roboalign_core.node built for this machine\n" +
      "  - `roboalign doctor` prints the versions found",
  );
}
