#!/usr/bin/env bash
# The main job on the embedded default: set-up (incremental), an environment check, a tiny
# randomly initialised model, and a generation with it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out="${ROBOALIGN_RUN_DIR:-runs/default}"
node bin/roboalign.js doctor
node bin/roboalign.js model init --preset tiny --out "$out/model"
node bin/roboalign.js generate --model "$out/model" --input-ids 1,2,3,4 --input-ids 7,8 --max-new-tokens 16
