#!/usr/bin/env bash
# Installs Schemathesis (PyPI) into a project-local virtualenv, once: .local/venv (git-ignored).
# Idempotent: a venv that already has this version is reused. Prints the path of `st`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="${SCHEMATHESIS_VERSION:-4.32.5}"
venv="$root/.local/venv"
st="$venv/bin/st"
if [ -x "$st" ] && "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '$version')" 2>/dev/null; then
  echo "$st"
  exit 0
fi
python="$(command -v python3 || true)"
if [ -z "$python" ] || ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "[fuzz-setup] installing python3 and python3-venv (apt-get)" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
  python="$(command -v python3)"
fi
echo "[fuzz-setup] installing schemathesis $version into .local/venv" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$version" >&2
echo "$st"
