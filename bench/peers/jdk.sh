# Sourced by build.sh and start.sh: sets JAVA_HOME to a JDK 21+ (the given one if it is 21+,
# else the newest under /usr/lib/jvm).
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME")" -lt 21 ]]; then
  JAVA_HOME=""
  for d in /usr/lib/jvm/*/; do
    d="${d%/}"
    [[ -x "$d/bin/javac" ]] || continue
    v="$(java_major "$d")"
    if [[ "${v:-0}" -ge 21 && ( -z "$JAVA_HOME" || "$v" -gt "$(java_major "$JAVA_HOME")" ) ]]; then JAVA_HOME="$d"; fi
  done
  [[ -n "$JAVA_HOME" ]] || { echo "no JDK 21+ found under /usr/lib/jvm; set JAVA_HOME" >&2; exit 1; }
fi
export JAVA_HOME
