#!/usr/bin/env bash
# Makes sure .sst/platform holds SST's platform (component sources and types, its Pulumi and providers) for the
# `sst` version pinned in the catalog. `sst install` writes it (npm registry only, no AWS credentials, ~40 s to
# 1½ min and ~320 MB the first time; .sst/ is git-ignored). It runs only when the platform is missing or was
# written by another SST version. Used by `pnpm typecheck:infra` and the infrastructure tests; a lock keeps
# two of them from installing at once.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(node -e 'console.log(JSON.parse(require("fs").readFileSync("node_modules/sst/package.json", "utf8")).version)')
mkdir -p .sst
exec 9>.sst/platform.lock
flock 9
have=$(cat .sst/platform/version 2>/dev/null || true)
if [ ! -f .sst/platform/config.d.ts ] || [ ! -f .sst/provider-lock.json ] || [ "$have" != "$want" ]; then
  echo "installing the SST $want platform into .sst/platform (sst install)" >&2
  # A stage is required by the CLI but nothing is deployed; no bun, no dependency check, no telemetry.
  SST_STAGE="${SST_STAGE:-typecheck}" SST_NO_BUN=1 SST_SKIP_DEPENDENCY_CHECK=1 SST_TELEMETRY_DISABLED=1 \
    pnpm exec sst install >&2
fi
