#!/usr/bin/env bash
# Builds both benchmark peers: crossws (npm ci) and Spring (executable jar, JDK 21+).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$here/jdk.sh"

(cd "$here/crossws" && npm ci --no-audit --no-fund)
"$repo/mvnw" -q -f "$here/spring/pom.xml" package -DskipTests
echo "built: $here/crossws (node_modules), $here/spring/target/bench-peer-spring.jar (JAVA_HOME=$JAVA_HOME)"
