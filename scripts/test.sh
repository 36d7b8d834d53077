#!/usr/bin/env bash
# The whole test suite, from any state: installs what is missing (scripts/setup.sh --test is
# incremental), then runs unit, contract, native, gpu (skips without a GPU) and e2e tests.
# With CI set, also builds the addon through binding.gyp and runs the contract suite on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
npx vitest run "$@"
if [[ -n "${CI:-}" ]]; then
  bash scripts/check-gyp.sh
fi
