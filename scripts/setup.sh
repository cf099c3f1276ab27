#!/usr/bin/env bash
# One set-up for `npm start`, `npm test` and `npm run bench`: node modules, then local services.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing node modules (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi
# The browser tests (test/browser) drive Debian's Chromium through playwright-core: nothing is
# downloaded at test time. `npm start` does not need a browser, so it skips this.
if [ ! -x /usr/bin/chromium ] && [ "${npm_lifecycle_event:-}" != start ]; then
  echo "[setup] installing Debian's chromium for the browser tests (apt-get)" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# The fuzz test (test/fuzz.e2e-spec.ts) runs Schemathesis from PyPI in a project-local virtualenv.
if [ "${npm_lifecycle_event:-}" != start ]; then
  bash scripts/fuzz-setup.sh >/dev/null
fi
bash scripts/local-services.sh up
