#!/usr/bin/env bash
# Runs the benchmark: every scenario against every server, one fresh server per scenario, the
# server pinned to core 0 and the load generator to core 1; prints a Markdown table.
#
#   bench/run.sh                      everything, full durations (roughly 10-20 min per server)
#   bench/run.sh --quick              shorter durations and smaller counts, to try the pipeline
#   bench/run.sh --servers reactive-ws,crossws --scenarios fanout100,chat
#   bench/run.sh --no-build           use the jars already built
#   bench/run.sh --out DIR            where results go (default bench/target/results-<date>)
#
# Scenarios: fanout100 fanout1000 steady1000 light100cold light100 light1000cold light1000 idle
# idle5000cold joins chat slow state50 state500 state5000 recovery (docs/benchmarks.md); recovery runs on reactive-ws only.
# Servers: reactive-ws (bench module's BenchServer), crossws and spring (bench/peers/start.sh);
# a server whose files are missing is skipped with a line saying so.
# Environment: BENCH_PEERS (the peers' folder, default bench/peers), BENCH_JAVA (a java 21+;
# default: the newest JDK under /usr/lib/jvm), BENCH_SERVER_JAVA_OPTS, BENCH_LOADGEN_JAVA_OPTS,
# SERVER_CPU (0), LOADGEN_CPU (1), BENCH_SCENARIO_TIMEOUT (seconds one load generator run may take, 1800).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/bench/target/reactive-ws-bench.jar"
PEERS="${BENCH_PEERS:-$ROOT/bench/peers}"
SERVER_CPU="${SERVER_CPU:-0}"
LOADGEN_CPU="${LOADGEN_CPU:-1}"

QUICK=0
BUILD=1
SERVERS="reactive-ws,crossws,spring"
SCENARIOS="fanout100,fanout1000,steady1000,light100cold,light100,light1000cold,light1000,idle,idle5000cold,joins,chat,slow,state50,state500,state5000,recovery"
OUT=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --servers) SERVERS="$2"; shift ;;
    --scenarios) SCENARIOS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
OUT="${OUT:-$ROOT/bench/target/results-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"

log() { echo "[run.sh $(date +%H:%M:%S)] $*" >&2; }

# --- file descriptors: as many as this shell may have (19,000 connections need about as many) ---
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
log "open files limit: $(ulimit -n)"

# --- a JDK 21+ for the jars (the default java may be older) ---
java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }
find_java() {
  if [[ -n "${BENCH_JAVA:-}" ]]; then echo "$BENCH_JAVA"; return; fi
  local best="" best_major=0 j m
  for j in /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [[ -x "$j" ]] || continue
    m="$(java_major "$j")"; m="${m%%.*}"
    [[ "$m" =~ ^[0-9]+$ ]] || continue
    if (( m >= 21 && m > best_major )); then best="$j"; best_major=$m; fi
  done
  [[ -n "$best" ]] || { echo "run.sh: no JDK 21+ found under /usr/lib/jvm; set BENCH_JAVA" >&2; exit 1; }
  echo "$best"
}
JAVA="$(find_java)"
export JAVA_HOME="$(cd "$(dirname "$JAVA")/.." && pwd)"
export JAVA
log "java: $JAVA ($(java_major "$JAVA"))"

# --- build ---
if (( BUILD )); then
  log "building the bench module"
  (cd "$ROOT" && ./mvnw -q -B -pl bench -am package -DskipTests)
  if [[ -x "$PEERS/build.sh" ]]; then
    log "building the peers (bench/peers/build.sh)"
    "$PEERS/build.sh" || log "bench/peers/build.sh failed: the peers may be skipped"
  else
    log "no bench/peers/build.sh: the peers are not built"
  fi
fi
[[ -f "$JAR" ]] || { echo "run.sh: $JAR missing; run without --no-build" >&2; exit 1; }

# --- scenarios: load generator arguments, full and --quick ---
scenario_args() {
  local q=$QUICK
  case "$1" in
    fanout100)  if ((q)); then echo "fanout --saturate --subscribers 100 --rate 500 --seconds 2 --warmup 1";
                else echo "fanout --saturate --subscribers 100 --rate 500 --seconds 5 --warmup 3"; fi ;;
    fanout1000) if ((q)); then echo "fanout --saturate --subscribers 1000 --rate 50 --seconds 2 --warmup 1";
                else echo "fanout --saturate --subscribers 1000 --rate 50 --seconds 5 --warmup 3"; fi ;;
    steady1000) if ((q)); then echo "fanout --subscribers 1000 --rate 20 --seconds 5 --warmup 2";
                else echo "fanout --subscribers 1000 --rate 20 --seconds 30 --warmup 5"; fi ;;
    # Light load: the server's first minute (a fresh process, no warm-up), then warm.
    light100cold)  if ((q)); then echo "fanout --subscribers 100 --rate 200 --seconds 10 --warmup 0";
                   else echo "fanout --subscribers 100 --rate 200 --seconds 60 --warmup 0"; fi ;;
    light100)      if ((q)); then echo "fanout --subscribers 100 --rate 200 --seconds 5 --warmup 10";
                   else echo "fanout --subscribers 100 --rate 200 --seconds 30 --warmup 60"; fi ;;
    light1000cold) if ((q)); then echo "fanout --subscribers 1000 --rate 20 --seconds 10 --warmup 0";
                   else echo "fanout --subscribers 1000 --rate 20 --seconds 60 --warmup 0"; fi ;;
    light1000)     if ((q)); then echo "fanout --subscribers 1000 --rate 20 --seconds 5 --warmup 10";
                   else echo "fanout --subscribers 1000 --rate 20 --seconds 30 --warmup 60"; fi ;;
    # A server that cannot take the connections within 3 minutes is reported as timed out.
    idle)       if ((q)); then echo "idle --connections 2000 --warmup-connections 500"; else echo "idle --connections 19000 --connect-timeout-ms 180000"; fi ;;
    # What idle connections cost a process that has just started (no warm-up waves): its RSS growth.
    idle5000cold) if ((q)); then echo "idle --connections 2000 --warmup-connections 0";
                  else echo "idle --connections 5000 --warmup-connections 0 --connect-timeout-ms 180000"; fi ;;
    joins)      if ((q)); then echo "joins --peers 1000"; else echo "joins --peers 5000 --timeout-ms 180000"; fi ;;
    chat)       echo "chat --clients 20 --messages 20" ;;
    state50|state500|state5000)
                if ((q)); then echo "state --subscribers 1000 --history $(prefill "$1") --rate 5 --seconds 3 --path /_ws?rws=1";
                else echo "state --subscribers 1000 --history $(prefill "$1") --rate 5 --seconds 10 --path /_ws?rws=1"; fi ;;
    recovery)   echo "recovery --clients 1000 --changes 10 --history $(prefill "$1") --path /_ws?rws=1" ;;
    slow)       if ((q)); then echo "slow --subscribers 50 --rate 500 --payload-bytes 2048 --seconds 8 --warmup 1";
                else echo "slow --subscribers 50 --rate 500 --payload-bytes 2048 --seconds 20 --warmup 2"; fi ;;
    *) echo "run.sh: unknown scenario $1" >&2; return 1 ;;
  esac
}

# The entries a state scenario's list starts with (LIST_PREFILL for the server); 0 for the others.
prefill() {
  case "$1" in
    state50) echo 50 ;; state500|recovery) echo 500 ;; state5000) echo 5000 ;; *) echo 0 ;;
  esac
}

# Why a server cannot run a scenario, if it cannot.
scenario_unsupported() { # server scenario
  if [[ "$2" == recovery && "$1" != reactive-ws ]]; then echo "skipped: the seed's protocol has no versions to recover from"; return 0; fi
  return 1
}

# Whether the load generator runs the load against a throwaway server first (the cold fan-outs).
load_generator_warms_first() { [[ "$1" == light100cold || "$1" == light1000cold ]]; }
load_generator_warm_seconds() { if ((QUICK)); then echo 10; else echo 30; fi; }

# Waits until the load generator says it is warm (or ends without saying it).
await_warm_load_generator() { # loadgen log
  while kill -0 "$LOADGEN_PID" 2>/dev/null; do
    if grep -q "load generator warm" "$1" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

# --- servers ---
SERVER_PID=""   # leader of the server's own session (setsid): the whole group is stopped at the end

server_available() {
  case "$1" in
    reactive-ws) return 0 ;;
    crossws|spring)
      if [[ ! -x "$PEERS/start.sh" ]]; then echo "skipped: bench/peers/start.sh not found"; return 1; fi
      if [[ ! -d "$PEERS/$1" ]]; then echo "skipped: bench/peers/$1 not found"; return 1; fi
      return 0 ;;
    *) echo "skipped: unknown server"; return 1 ;;
  esac
}

start_server() { # name port logfile scenario
  local name="$1" port="$2" logfile="$3" scenario="$4"
  export LIST_PREFILL
  LIST_PREFILL="$(prefill "$scenario")"
  case "$name" in
    reactive-ws)
      # The chat's state topic sends each raw client the whole list at every one of the 400
      # versions, more than the default 1 MiB outbound buffer holds for a client that reads a
      # little late: it closed them with 4008. The other scenarios keep the default.
      local outbound=""
      [[ "$scenario" == chat ]] && outbound="WS_LIMITS_OUTBOUND_BUFFER_BYTES=16777216"
      # shellcheck disable=SC2086
      env PORT="$port" $outbound setsid taskset -c "$SERVER_CPU" "$JAVA" --enable-native-access=ALL-UNNAMED \
        ${BENCH_SERVER_JAVA_OPTS:-} -cp "$JAR" dev.reactivews.bench.BenchServer >"$logfile" 2>&1 </dev/null &
      ;;
    *)
      PORT="$port" setsid taskset -c "$SERVER_CPU" "$PEERS/start.sh" "$name" "$port" >"$logfile" 2>&1 </dev/null &
      ;;
  esac
  SERVER_PID=$!
}

# The process to measure: the one with the most resident memory in the server's session
# (start.sh may run node or java as a child rather than exec it).
measured_pid() {
  ps -eo pid=,sid=,rss= | awk -v sid="$SERVER_PID" '$2 == sid && $3 > max { max = $3; pid = $1 } END { print pid }'
}

stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
  # Children left in the group (a start.sh that did not exec) go too.
  if ps -eo sid= | grep -qw "$SERVER_PID"; then kill -KILL -- "-$SERVER_PID" 2>/dev/null || true; fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
LOADGEN_PID=""
stop_loadgen() {
  if [[ -n "$LOADGEN_PID" ]]; then kill -TERM "$LOADGEN_PID" 2>/dev/null || true; wait "$LOADGEN_PID" 2>/dev/null || true; fi
  LOADGEN_PID=""
}
trap 'stop_loadgen; stop_server' EXIT
trap 'stop_loadgen; stop_server; exit 130' INT TERM

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 12000 ))
    if ! ss -Htln "sport = :$p" | grep -q .; then echo "$p"; return 0; fi
  done
  echo "run.sh: no free port found" >&2; return 1
}

wait_port() { # port seconds
  local deadline=$(( SECONDS + $2 ))
  while (( SECONDS < deadline )); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then return 1; fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

# Starts the server and waits until it listens; if it does not, says so (in the log and in the
# scenario's .skip file), stops it and fails.
start_listening() { # name port logfile scenario skipfile
  start_server "$1" "$2" "$3" "$4"
  if wait_port "$2" 120; then return 0; fi
  log "$1 did not listen on $2; last lines of its log:"
  tail -5 "$3" >&2 || true
  echo "failed: the server did not start (see $(basename "$3"))" >"$5"
  stop_server
  return 1
}

# --- run ---
IFS=',' read -r -a server_list <<<"$SERVERS"
IFS=',' read -r -a scenario_list <<<"$SCENARIOS"
for s in "${scenario_list[@]}"; do scenario_args "$s" >/dev/null; done

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "mode: $([[ $QUICK == 1 ]] && echo quick || echo full)"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu | awk -F': +' '/Model name/ {print $2; exit}')"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo "commit: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} >"$OUT/machine.txt"

for server in "${server_list[@]}"; do
  if ! why="$(server_available "$server")"; then
    log "$server: $why"
    for s in "${scenario_list[@]}"; do echo "$why" >"$OUT/${server}__${s}.skip"; done
    continue
  fi
  for s in "${scenario_list[@]}"; do
    base="$OUT/${server}__${s}"
    if why="$(scenario_unsupported "$server" "$s")"; then
      log "$server / $s: $why"
      echo "$why" >"$base.skip"
      continue
    fi
    port="$(free_port)"
    warm_args=()
    if load_generator_warms_first "$s"; then
      # The first minute of a fresh server, not of the load generator's JVM: it runs the same
      # load against a throwaway server of the same kind first, then that server stops and the
      # measured one starts fresh.
      warm_port="$(free_port)"
      log "$server / $s: the load generator warms up against a throwaway $server on port $warm_port"
      if ! start_listening "$server" "$warm_port" "$base.warm-up-server.log" "$s" "$base.skip"; then continue; fi
      rm -f "$base.pid"
      warm_args=(--warm-against "ws://127.0.0.1:$warm_port/_ws" --warm-seconds "$(load_generator_warm_seconds)" --server-pid-file "$base.pid")
    else
      log "$server / $s on port $port"
      if ! start_listening "$server" "$port" "$base.server.log" "$s" "$base.skip"; then continue; fi
      warm_args=(--server-pid "$(measured_pid)")
    fi
    # In the background, so that a signal to this script stops it at once (see the traps).
    # shellcheck disable=SC2046,SC2086
    timeout "${BENCH_SCENARIO_TIMEOUT:-1800}" taskset -c "$LOADGEN_CPU" "$JAVA" --enable-native-access=ALL-UNNAMED \
        ${BENCH_LOADGEN_JAVA_OPTS:-} -cp "$JAR" dev.reactivews.bench.LoadGenerator $(scenario_args "$s") \
        --port "$port" --label "$server" "${warm_args[@]}" >"$base.json" 2>"$base.loadgen.log" </dev/null &
    LOADGEN_PID=$!
    if load_generator_warms_first "$s"; then
      if ! await_warm_load_generator "$base.loadgen.log"; then
        log "$server / $s: the load generator did not warm up (see $base.loadgen.log)"
        stop_loadgen
        stop_server
        echo "failed: the load generator's warm-up did not end" >"$base.skip"
        continue
      fi
      stop_server
      log "$server / $s on port $port, fresh"
      if ! start_listening "$server" "$port" "$base.server.log" "$s" "$base.skip"; then stop_loadgen; continue; fi
      measured_pid >"$base.pid.tmp" && mv "$base.pid.tmp" "$base.pid"
    fi
    if ! wait "$LOADGEN_PID"; then
      log "$server / $s: the load generator failed (see $base.loadgen.log)"
    fi
    LOADGEN_PID=""
    tail -1 "$base.json" >&2 || true
    stop_server
    sleep 2 # let the sockets of this run close before the next server starts
  done
done

log "results in $OUT"
"$JAVA" -cp "$JAR" dev.reactivews.bench.Report "$OUT" | tee "$OUT/table.md"
