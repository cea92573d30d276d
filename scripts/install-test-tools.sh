#!/usr/bin/env bash
# Makes sure the programs the tests run beside the JVM are there, never from a download:
#   chromium  Chromium and its matching chromedriver, for the browser tests (the default)
#   redis     redis-server, which the Redis and cluster tests start on a free port of their own
# Usage: install-test-tools.sh [chromium] [redis]
# The tests find each program as this script does: the file its variable names (CHROMIUM,
# CHROMEDRIVER, REDIS_SERVER), else its name on PATH. What is missing is installed with apt-get
# (root or sudo, after apt-get update); where apt-get is not available, the script says what to
# install and exits 1, so the build stops before a test can run without its program.
set -euo pipefail

TOOLS=("$@")
if [[ ${#TOOLS[@]} -eq 0 ]]; then
  TOOLS=(chromium)
fi

# found VARIABLE NAME...: the program's file, from the variable or from PATH; empty if missing.
found() {
  local variable=$1
  shift
  local named=${!variable:-}
  if [[ -n "$named" ]]; then
    [[ -f "$named" && -x "$named" ]] && echo "$named"
    return 0
  fi
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
}

# Each wanted program as "VARIABLE name..." (the names PATH may hold it under) and its Debian package.
PROGRAMS=()
PACKAGES=()
for tool in "${TOOLS[@]}"; do
  case "$tool" in
    chromium)
      PROGRAMS+=("CHROMIUM chromium chromium-browser" "CHROMEDRIVER chromedriver")
      [[ -n "$(found CHROMIUM chromium chromium-browser)" && -n "$(found CHROMEDRIVER chromedriver)" ]] \
        || PACKAGES+=(chromium chromium-driver)
      ;;
    redis)
      PROGRAMS+=("REDIS_SERVER redis-server")
      [[ -n "$(found REDIS_SERVER redis-server)" ]] || PACKAGES+=(redis-server)
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

for program in "${PROGRAMS[@]}"; do
  read -r variable names <<<"$program"
  named=${!variable:-}
  if [[ -n "$named" && ! ( -f "$named" && -x "$named" ) ]]; then
    echo "install-test-tools: $variable=$named is not an executable file: point it at ${names%% *}, or unset it to look on PATH" >&2
    exit 1
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<HELP
install-test-tools: ${PACKAGES[*]} (Debian's names) missing, and apt-get is not available here.
Install them with this system's package manager, then run the build again; for example
  Fedora:  sudo dnf install chromium chromedriver redis
  macOS:   brew install redis && brew install --cask chromium chromedriver
Chromium and chromedriver must be of one version. The tests look for chromium (or
chromium-browser), chromedriver and redis-server on PATH; where they have other names or
folders, set CHROMIUM, CHROMEDRIVER and REDIS_SERVER to their files.
HELP
  exit 1
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-test-tools: need root (or sudo) to apt-get install ${PACKAGES[*]}" >&2
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

for program in "${PROGRAMS[@]}"; do
  read -r variable names <<<"$program"
  # shellcheck disable=SC2086 # the names are words on purpose
  if [[ -z "$(found "$variable" $names)" ]]; then
    echo "install-test-tools: ${names%% *} is still not on PATH after apt-get install ${PACKAGES[*]}" >&2
    exit 1
  fi
done
echo "install-test-tools: installed ${PACKAGES[*]}"
