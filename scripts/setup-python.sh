#!/usr/bin/env bash
# Create the project virtualenv (.venv) if missing and install the given pip requirements files into it.
# Usage: bash scripts/setup-python.sh [requirements.txt ...]   (default: test/compat/requirements.txt)
# Idempotent: a stamp file in .venv records the hash of each installed requirements file, so re-runs skip pip.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

if [ "$#" -eq 0 ]; then
  set -- test/compat/requirements.txt
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

for req in "$@"; do
  case "$req" in
    /*) file="$req" ;;
    *) file="$ROOT/$req" ;;
  esac
  if [ ! -f "$file" ]; then
    echo "setup-python: requirements file not found: $req" >&2
    exit 1
  fi
  hash="$(sha256sum "$file" | cut -d' ' -f1)"
  stamp="$VENV/.req-$hash.stamp"
  if [ -f "$stamp" ]; then
    continue
  fi
  "$VENV/bin/python" -m pip install -q -r "$file"
  touch "$stamp"
done
