#!/usr/bin/env bash
# The main job on the embedded default: set-up (incremental), an environment check, then the
# whole pipeline (data → FAST → base → RoboAlign SFT → GRPO → report) into runs/default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out="${ROBOALIGN_RUN_DIR:-runs/default}"
node bin/roboalign.js doctor
node bin/roboalign.js pipeline --out "$out" "$@"
