#!/usr/bin/env bash
# Debian packages the full test suite uses: Chromium for the browser test, PostgreSQL,
# Redis and nginx for the production profile and the fault tests. Tests that need one of
# them are skipped, saying why, when it is missing; CI installs them all first.
set -euo pipefail

needed=()
[ -x /usr/bin/chromium ] || needed+=(chromium)
[ -x /usr/bin/chromedriver ] || needed+=(chromium-driver)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || needed+=(postgresql)
command -v redis-server >/dev/null || needed+=(redis-server)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || needed+=(nginx)

if [ ${#needed[@]} -eq 0 ]; then
  echo "System packages: all present."
  exit 0
fi
echo "Installing Debian packages: ${needed[*]} ..."
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${needed[@]}" >/dev/null
