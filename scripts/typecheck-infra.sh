#!/usr/bin/env bash
# Type-checks sst.config.ts and stacks/ against SST's real component types, offline: the `sst` npm package
# does not ship them, so scripts/ensure-sst-platform.sh installs SST's platform into .sst/platform first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-sst-platform.sh
exec pnpm exec tsc -p stacks/tsconfig.json
