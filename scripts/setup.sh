#!/usr/bin/env bash
# Everything the tests need besides node_modules, idempotent and quiet when already done:
# the compiled apps, the Python venv with the pinned Gradio client, and Debian's chromium for browser tests.
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
