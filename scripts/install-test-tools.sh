#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium and its matching chromedriver.
# Idempotent: does nothing when both binaries are already there. The tests point Selenium at
# these exact paths so that Selenium Manager never tries to download a browser or driver.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

if [[ -x "$CHROMIUM" && -x "$CHROMEDRIVER" ]]; then
  echo "install-test-tools: chromium and chromedriver already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-tools: $CHROMIUM or $CHROMEDRIVER is missing and apt-get is not available;" \
       "install Chromium and chromedriver by hand" >&2
  exit 1
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-test-tools: need root (or sudo) to install chromium and chromium-driver" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-test-tools: installing chromium and chromium-driver with apt-get"
if ! ${SUDO[@]+"${SUDO[@]}"} apt-get update -q; then
  echo "install-test-tools: apt-get update failed" >&2
  exit 1
fi
if ! ${SUDO[@]+"${SUDO[@]}"} apt-get install -y -q --no-install-recommends chromium chromium-driver; then
  echo "install-test-tools: apt-get install chromium chromium-driver failed" >&2
  exit 1
fi

for bin in "$CHROMIUM" "$CHROMEDRIVER"; do
  if [[ ! -x "$bin" ]]; then
    echo "install-test-tools: $bin is still missing after apt-get install" >&2
    exit 1
  fi
done
echo "install-test-tools: $("$CHROMIUM" --version 2>/dev/null || echo chromium), $("$CHROMEDRIVER" --version 2>/dev/null || echo chromedriver)"
