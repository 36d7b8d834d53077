#!/usr/bin/env node
// The one libtorch discovery used by every build path (CMake and node-gyp):
//   1. TORCH_DIR (a libtorch folder or a torch package folder),
//   2. the torch of the project's .venv,
//   3. the torch of the system python3.
// Prints JSON {root, cmakePrefix, includeDirs, libDir, source}; `--field NAME` prints one field.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function layout(root, source) {
  const cmakePrefix = join(root, "share", "cmake");
  const includeDirs = [join(root, "include"), join(root, "include", "torch", "csrc", "api", "include")];
  const libDir = join(root, "lib");
  if (!existsSync(join(cmakePrefix, "Torch", "TorchConfig.cmake"))) return null;
  return { root, cmakePrefix, includeDirs, libDir, source };
}

function fromPython(python, source) {
  if (python.includes("/") && !existsSync(python)) return null;
  try {
    const root = execFileSync(python, ["-c", "import os, torch; print(os.path.dirname(torch.__file__))"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return layout(root, source);
  } catch {
    return null;
  }
}

export function findTorch() {
  const tried = [];
  if (process.env.TORCH_DIR) {
    const dir = resolve(process.env.TORCH_DIR);
    const found = layout(dir, "TORCH_DIR") ?? layout(join(dir, "torch"), "TORCH_DIR");
    if (found) return found;
    tried.push(`TORCH_DIR=${dir}: no share/cmake/Torch/TorchConfig.cmake there`);
  }
  const venv = fromPython(join(repo, ".venv", "bin", "python"), ".venv");
  if (venv) return venv;
  tried.push(`${join(repo, ".venv/bin/python")}: missing or has no torch`);
  const system = fromPython("python3", "python3");
  if (system) return system;
  tried.push("python3: has no torch");
  throw new Error(
    `libtorch not found. Tried:\n  - ${tried.join("\n  - ")}\n` +
      "Fix: run `npm run setup` (creates .venv with the PyTorch CPU wheel), or set TORCH_DIR to a libtorch folder.",
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const info = findTorch();
    const i = process.argv.indexOf("--field");
    const value = i > 0 ? info[process.argv[i + 1]] : info;
    process.stdout.write(typeof value === "string" ? value : JSON.stringify(value, null, 2));
    process.stdout.write("\n");
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
