#!/usr/bin/env bash
# One set-up for `npm start`, `npm test` and `npm run bench`: node modules, then local services.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing node modules (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi
bash scripts/local-services.sh up
