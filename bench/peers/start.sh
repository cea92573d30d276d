#!/usr/bin/env bash
# Starts one benchmark peer in the foreground (exec: the pid is the server's, for taskset/kill).
# Usage: start.sh <crossws|spring> <port> [extra args to node / to the Spring app]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[[ $# -ge 2 ]] || { echo "usage: $0 <crossws|spring> <port> [args...]" >&2; exit 2; }
peer="$1"; export PORT="$2"; shift 2

case "$peer" in
  crossws)
    cd "$here/crossws"
    exec node server.mjs "$@" ;;
  spring)
    source "$here/jdk.sh"
    # JAVA_OPTS (env, optional, word-split) goes to the JVM.
    exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar "$here/spring/target/bench-peer-spring.jar" "$@" ;;
  *) echo "unknown peer: $peer (crossws|spring)" >&2; exit 2 ;;
esac
