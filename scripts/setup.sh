#!/usr/bin/env bash
# Everything the tests need besides node_modules, idempotent and quiet when already done:
# the compiled apps, the Python venv with the pinned Gradio client, Debian's chromium for browser tests and
# Debian's redis-server for the distributed-mode tests.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent build

# The real Gradio (test/parity/requirements.txt) runs the parity test's twin of the showcase.
bash scripts/setup-python.sh test/compat/requirements.txt test/parity/requirements.txt test/fuzz/requirements.txt

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests…"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
fi

# Distributed mode's tests and `npm run start:cluster` run Debian's redis-server on loopback (never a downloaded binary).
if [ ! -x /usr/bin/redis-server ]; then
  echo "Installing Debian's redis-server for the distributed-mode tests…"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server > /dev/null
  # The package starts a system-wide server on 6379; tests start their own on free ports and need none.
  $SUDO systemctl disable --now redis-server > /dev/null 2>&1 || true
fi
