#!/usr/bin/env bash
# Debian packages, each checked only for what uses it. Installs the missing ones when run as root;
# otherwise prints the exact apt-get line and fails with a clear message.
#   bash scripts/ensure-system-deps.sh unit          python3-boto3: the unit layer runs boto3 (a
#        client nobody here wrote) against the local endpoint (test/unit/emulator/vpcs, logs, s3
#        and test/unit/insights-sdk.test.ts); awscli: Debian's AWS CLI 2.9, /usr/bin/aws, run by
#        test/unit/emulator/s3, sso and awscli-writes (moto's server is no Debian package: see
#        TESTING.md, "moto's server against the local endpoint")
#   bash scripts/ensure-system-deps.sh vscode-host   chromium (the integration and UI layers, the
#        demo: the workbench runs in headless Chromium) and libkrb5-dev (code-server's kerberos
#        module, scripts/install-vscode-host.sh)
#   bash scripts/ensure-system-deps.sh bench         python3-boto3 (npm run bench compares with
#        boto3's paginator) and chromium (its activation runs in the VS Code host)
#   bash scripts/ensure-system-deps.sh               all of them
set -euo pipefail
purposes=("$@")
[ ${#purposes[@]} -eq 0 ] && purposes=(unit vscode-host bench)
want_boto3=0 want_chromium=0 want_krb5=0 want_awscli=0
for p in "${purposes[@]}"; do
  case "$p" in
    unit) want_boto3=1 want_awscli=1 ;;
    vscode-host) want_chromium=1 want_krb5=1 ;;
    bench) want_boto3=1 want_chromium=1 ;;
    *) echo "ensure-system-deps.sh: unknown purpose '$p' (unit, vscode-host, bench)" >&2; exit 2 ;;
  esac
done
need=()
[ $want_chromium = 0 ] || [ -x /usr/bin/chromium ] || need+=(chromium)
[ $want_krb5 = 0 ] || [ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
[ $want_boto3 = 0 ] || /usr/bin/python3 -c 'import boto3' >/dev/null 2>&1 || need+=(python3-boto3)
[ $want_awscli = 0 ] || [ -x /usr/bin/aws ] || need+=(awscli)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "[system-deps] installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Missing Debian packages: ${need[*]}" >&2
  echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
