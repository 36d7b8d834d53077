#!/usr/bin/env bash
# Installs what the project needs, only where it is missing, so a second run does nothing that
# is not needed: system build tools, a project .venv with the PyTorch CPU wheel (whose libtorch
# the addon links), node_modules, the native addon (incremental cmake build) and dist/.
#
#   scripts/setup.sh          main-job set-up
#   scripts/setup.sh --test   also installs the Python reference stack the tests compare against
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1
say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

# 1. Node 20+
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if (( node_major < 20 )); then
  say "Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none))."
  exit 1
fi

# 2. System build tools (Debian/Ubuntu names).
missing=()
for tool in cmake:cmake g++:g++ make:make; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
done
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=("python3-venv")
if (( ${#missing[@]} )); then
  say "installing system packages: ${missing[*]}"
  if [[ $(id -u) == 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}"
fi

# 3. Python environment with the PyTorch CPU wheel (unless TORCH_DIR points at a libtorch).
PY=.venv/bin/python
PIP=(pip_install --retries 0 --timeout 20 --disable-pip-version-check -q
     --extra-index-url https://download.pytorch.org/whl/cpu)
# pip warns once per package about configured index folders that lack it; keep the real errors.
pip_install() { .venv/bin/pip install "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }
if [[ ! -x $PY ]]; then
  say "creating .venv"
  python3 -m venv .venv
fi
if [[ -z "${TORCH_DIR:-}" ]] && ! $PY -c 'import torch' >/dev/null 2>&1; then
  say "installing the PyTorch CPU wheel into .venv (its libtorch is what the addon links)"
  "${PIP[@]}" "torch>=2.3" numpy
fi
if (( want_test )) && ! $PY -c 'import transformers, safetensors, numpy, msgpack, websockets, imageio_ffmpeg' >/dev/null 2>&1; then
  say "installing the reference stack for tests (transformers, safetensors, numpy, msgpack, websockets, imageio-ffmpeg) into .venv"
  "${PIP[@]}" transformers safetensors numpy msgpack websockets imageio-ffmpeg
fi

# 4. node_modules, reinstalled only when package-lock.json changed.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "npm ci"
  ROBOALIGN_SETUP=1 npm ci --no-audit --no-fund
fi

# 5. Native addon: cmake-js configures once, then builds incrementally.
if [[ ! -f build/CMakeCache.txt ]]; then
  say "configuring the native build"
  npx cmake-js configure --out build >/dev/null
fi
say "building the native addon (incremental)"
if ! cmake --build build --parallel "${ROBOALIGN_BUILD_JOBS:-$(nproc)}" --config Release >&2; then
  say "the native build failed: see the compiler output above (\`npm run doctor\` explains the libtorch it found)"
  exit 1
fi

# 6. TypeScript (incremental).
npx tsc -p tsconfig.json
