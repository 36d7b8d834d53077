#!/usr/bin/env bash
# Builds the addon with node-gyp from binding.gyp and runs the boundary contract suite against
# that build, so the node-gyp entry cannot rot. node-gyp always works in ./build (where cmake-js
# builds too), so it runs in a staged copy under build-gyp/; `cp -a` keeps mtimes, so a second
# run recompiles only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=build-gyp
mkdir -p "$stage"
rm -rf "$stage/native" "$stage/scripts"
cp -a package.json binding.gyp native scripts "$stage"/
ln -sfn ../node_modules "$stage/node_modules"
# The staged copy has no .venv: hand it the libtorch this checkout found.
TORCH_DIR="$(node scripts/find-torch.mjs --field root)"
export TORCH_DIR
( cd "$stage"
  [[ -f build/Makefile ]] || npx node-gyp configure
  npx node-gyp build -j "${ROBOALIGN_BUILD_JOBS:-$(nproc)}" )
echo "[check-gyp] contract suite against $stage/build/Release/roboalign_core.node" >&2
ROBOALIGN_ADDON="$stage/build/Release/roboalign_core.node" npx vitest run test/contract
