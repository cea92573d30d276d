#!/usr/bin/env bash
# Installs what the tests need from Debian, never from a download:
#   chromium  Chromium and its matching chromedriver, for the browser tests (the default)
#   redis     redis-server, which the cluster tests start on a free port of their own
# Usage: install-test-tools.sh [chromium] [redis]
# Idempotent: does nothing when the binaries are already there. The tests point Selenium at
# these exact paths so that Selenium Manager never tries to download a browser or driver.
set -euo pipefail

TOOLS=("$@")
if [[ ${#TOOLS[@]} -eq 0 ]]; then
  TOOLS=(chromium)
fi

PACKAGES=()
BINARIES=()
for tool in "${TOOLS[@]}"; do
  case "$tool" in
    chromium)
      BINARIES+=(/usr/bin/chromium /usr/bin/chromedriver)
      [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || PACKAGES+=(chromium chromium-driver)
      ;;
    redis)
      BINARIES+=(/usr/bin/redis-server)
      [[ -x /usr/bin/redis-server ]] || PACKAGES+=(redis-server)
      ;;
    *)
      echo "install-test-tools: unknown tool '$tool' (known: chromium, redis)" >&2
      exit 2
      ;;
  esac
done

if [[ ${#PACKAGES[@]} -eq 0 ]]; then
  echo "install-test-tools: ${TOOLS[*]} already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-tools: ${PACKAGES[*]} missing and apt-get is not available; install them by hand" >&2
  exit 1
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-test-tools: need root (or sudo) to install ${PACKAGES[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# Another build on this machine may hold the dpkg lock for a while: wait for it, do not fail.
APT=(apt-get -o DPkg::Lock::Timeout=300)
echo "install-test-tools: installing ${PACKAGES[*]} with apt-get"
if ! ${SUDO[@]+"${SUDO[@]}"} "${APT[@]}" update -q; then
  echo "install-test-tools: apt-get update failed" >&2
  exit 1
fi
if ! ${SUDO[@]+"${SUDO[@]}"} "${APT[@]}" install -y -q --no-install-recommends "${PACKAGES[@]}"; then
  echo "install-test-tools: apt-get install ${PACKAGES[*]} failed" >&2
  exit 1
fi

for bin in "${BINARIES[@]}"; do
  if [[ ! -x "$bin" ]]; then
    echo "install-test-tools: $bin is still missing after apt-get install" >&2
    exit 1
  fi
done
echo "install-test-tools: installed ${PACKAGES[*]}"
