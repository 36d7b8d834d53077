#!/usr/bin/env node
// Build settings for binding.gyp, derived from the same places CMakeLists.txt uses: the libtorch
// discovery of scripts/find-torch.mjs, TorchConfig.cmake's ABI flag and C++ standard, and
// native/src/**/*.cpp.
// `node scripts/gyp-config.mjs FIELD` prints one field as whitespace-separated words for gyp's
// <!@(...) expansion; without a field it prints everything as JSON.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findTorch } from "./find-torch.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".cpp") ? [relative(repo, p)] : [];
  });
}

export function gypConfig() {
  const torch = findTorch();
  const cmake = readFileSync(join(torch.cmakePrefix, "Torch", "TorchConfig.cmake"), "utf8");
  const abi = /_GLIBCXX_USE_CXX11_ABI=(\d)/.exec(cmake)?.[1] ?? "1";
  const std = /CXX_STANDARD (\d+)/.exec(cmake)?.[1] ?? "17";
  const version = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")).version;
  const libs = ["torch", "torch_cpu", "c10"];
  for (const extra of ["torch_cuda", "c10_cuda"]) {
    if (existsSync(join(torch.libDir, `lib${extra}.so`))) libs.push(extra);
  }
  return {
    sources: sources(join(repo, "native", "src")).sort(),
    include_dirs: [...torch.includeDirs, join(repo, "native", "src")],
    defines: [`_GLIBCXX_USE_CXX11_ABI=${abi}`, `ROBOALIGN_VERSION="${version}"`],
    libraries: [`-L${torch.libDir}`, ...libs.map((l) => `-l${l}`)],
    ldflags: [`-Wl,-rpath,${torch.libDir}`, "-Wl,--no-as-needed"],
    cflags_cc: [`-std=c++${std}`],
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const config = gypConfig();
  const field = process.argv[2];
  if (!field) {
    process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
  } else if (!(field in config)) {
    process.stderr.write(`unknown field ${field} (known: ${Object.keys(config).join(", ")})\n`);
    process.exit(1);
  } else {
    // gyp splits <!@(...) output like a shell: quote words that carry quotes or spaces.
    const quote = (w) => (/^[\w./=+,:@-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`);
    process.stdout.write(`${config[field].map(quote).join(" ")}\n`);
  }
}
