#!/usr/bin/env bash
# Type-checks sst.config.ts and stacks/ against SST's real component types, offline.
# The `sst` npm package does not ship those types; `sst install` writes them to .sst/platform (npm registry
# only, no AWS credentials, ~40 s and ~320 MB the first time; .sst/ is git-ignored). It runs only when the
# platform is missing or was written by another SST version than the one pinned in the catalog.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(node -e 'console.log(JSON.parse(require("fs").readFileSync("node_modules/sst/package.json", "utf8")).version)')
have=$(cat .sst/platform/version 2>/dev/null || true)
if [ ! -f .sst/platform/config.d.ts ] || [ "$have" != "$want" ]; then
  echo "typecheck:infra: installing SST $want platform types into .sst/platform (sst install)"
  # A stage is required by the CLI but nothing is deployed; no bun, no dependency check, no telemetry.
  SST_STAGE="${SST_STAGE:-typecheck}" SST_NO_BUN=1 SST_SKIP_DEPENDENCY_CHECK=1 SST_TELEMETRY_DISABLED=1 \
    pnpm exec sst install
fi
exec pnpm exec tsc -p stacks/tsconfig.json
