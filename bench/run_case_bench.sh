#!/usr/bin/env bash
# Case benchmark for Waarborg (see docs/performance.md).
#
#   bench/run_case_bench.sh [--reuse] [--data DIR] [--duration 20s] [--connections 32]
#                           [--wrk-threads 2] [--server-threads 4] [--port 18089]
#                           [--cases 100000] [--audit 1000000] [--out FILE] [--perf DIR]
#
# 1. Builds waarborg and bench_seed when missing (cmake --build -j2).
# 2. Seeds DIR with bench_seed (100,000 cases, 1,000,000 audit events); with
#    --reuse an existing seeded DIR is used as is.
# 3. Starts `waarborg serve` on 127.0.0.1, logs in as coordinator and vpi1
#    (password + TOTP via `waarborg demo-code`) over the JSON API.
# 4. Runs wrk (-t2 -c32 -d20s --latency) for: opening a random case as the
#    coordinator, the 50-row open-case list as vpi1 (member-filtered) and as the
#    coordinator (sees all). Samples the server's VmHWM/VmRSS after each run.
# 5. Prints a summary table against the targets and stops the server.
# Only 127.0.0.1 traffic; every run is bounded by --duration.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD:-$ROOT/build}"
DATA="${TMPDIR:-/tmp}/waarborg-bench-data"
REUSE=0
DURATION=20s
CONNS=32
WRK_THREADS=2
SERVER_THREADS=4
PORT=18089
CASES=100000
AUDIT=1000000
OUT=""
PERF_DIR=""      # --perf DIR: `perf record` the server during each run into DIR/perf-N.data
WRK_TIMEOUT=10s  # wrk's default of 2 s would hide slow answers as socket timeouts
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reuse) REUSE=1 ;;
    --data) DATA="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --connections) CONNS="$2"; shift ;;
    --wrk-threads) WRK_THREADS="$2"; shift ;;
    --server-threads) SERVER_THREADS="$2"; shift ;;
    --port) PORT="$2"; shift ;;
    --cases) CASES="$2"; shift ;;
    --audit) AUDIT="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --perf) PERF_DIR="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "onbekende optie: $1" >&2; exit 2 ;;
  esac
  shift
done

for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "nodig: $tool" >&2; exit 1; }
done

# --- 1. build ---
if [[ ! -x "$BUILD/waarborg" || ! -x "$BUILD/bench_seed" ]]; then
  [[ -f "$BUILD/CMakeCache.txt" ]] || cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake -S "$ROOT" -B "$BUILD" >/dev/null  # picks up new bench/*.cc
  cmake --build "$BUILD" -j2 --target waarborg bench_seed
fi
WB="$BUILD/waarborg"

# --- 2. data ---
MARKER="$DATA/.waarborg-bench"
if [[ $REUSE -eq 1 && -f "$MARKER" && -f "$DATA/waarborg.db" ]]; then
  echo "== hergebruik $DATA ($(cat "$MARKER"))"
else
  if [[ -e "$DATA" && ! -f "$MARKER" ]]; then
    echo "$DATA bestaat en is geen benchmarkmap; kies een andere --data" >&2
    exit 1
  fi
  rm -rf "$DATA"
  echo "== bench_seed --data $DATA --cases $CASES --audit $AUDIT"
  "$BUILD/bench_seed" --data "$DATA" --cases "$CASES" --audit "$AUDIT"
  echo "cases=$CASES audit=$AUDIT" >"$MARKER"
fi

# --- 3. server ---
LOG="$(mktemp -t waarborg-bench-server.XXXXXX.log)"
"$WB" serve --port "$PORT" --address 127.0.0.1 --data "$DATA" --threads "$SERVER_THREADS" >"$LOG" 2>&1 &
SERVER_PID=$!
cleanup() {
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -f "${JAR_DIR:-/nonexistent}"/*.jar 2>/dev/null || true
  [[ -n "${JAR_DIR:-}" ]] && rmdir "$JAR_DIR" 2>/dev/null || true
}
trap cleanup EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
  curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server stopte:" >&2; cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "$BASE/readyz" >/dev/null || { echo "server niet klaar" >&2; cat "$LOG" >&2; exit 1; }
echo "== server pid $SERVER_PID op $BASE ($SERVER_THREADS werkthreads); na start VmRSS $(awk '/VmRSS/{print $2}' /proc/$SERVER_PID/status) kB"

JAR_DIR="$(mktemp -d -t waarborg-bench-jar.XXXXXX)"
# login USER -> prints "wb_session=TOKEN"
login() {
  local user="$1" jar="$JAR_DIR/$1.jar" csrf code out
  out="$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"waarborg-demo\"}" "$BASE/api/v1/session")"
  csrf="$(jq -r .csrf_token <<<"$out")"
  # A TOTP code is accepted once per 30-s step (replay guard): retry in the next step.
  for attempt in 1 2 3; do
    code="$("$WB" demo-code --data "$DATA" --user "$user")"
    if curl -fsS -b "$jar" -c "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
      -d "{\"code\":\"$code\"}" "$BASE/api/v1/session/totp" >/dev/null 2>&1; then
      awk '$6=="wb_session"{print "wb_session=" $7}' "$jar"
      return 0
    fi
    echo "  (code voor $user geweigerd, poging $attempt; wacht op de volgende TOTP-stap)" >&2
    sleep $((31 - $(date +%s) % 30))
  done
  return 1
}
COORD_COOKIE="$(login coordinator)"
VPI1_COOKIE="$(login vpi1)"
[[ -n "$COORD_COOKIE" && -n "$VPI1_COOKIE" ]] || { echo "inloggen mislukt" >&2; exit 1; }

# Sanity checks: the requests the benchmark makes succeed and return data.
check() {
  local what="$1" cookie="$2" path="$3" filter="$4" status body
  body="$(curl -sS -o - -w '\n%{http_code}' -H "Cookie: $cookie" "$BASE$path")"
  status="${body##*$'\n'}"
  body="${body%$'\n'*}"
  [[ "$status" == 200 ]] || { echo "$what: HTTP $status: $body" >&2; exit 1; }
  echo "   $what: HTTP 200, $(jq -r "$filter" <<<"$body")"
}
echo "== controles"
check "coordinator opent melding 4242" "$COORD_COOKIE" /api/v1/cases/4242 '.reference + ", " + (.timeline|length|tostring) + " tijdlijnregels"'
check "vpi1 lijst (open, 50)" "$VPI1_COOKIE" "/api/v1/cases?limit=50&open=1" '(.cases|length|tostring) + " rijen"'
check "coordinator lijst (open, 50)" "$COORD_COOKIE" "/api/v1/cases?limit=50&open=1" '(.cases|length|tostring) + " rijen"'

# --- 4. wrk runs ---
to_ms() {  # "1.23ms" / "850.00us" / "1.02s" -> milliseconds
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else printf "%s", v }'
}
declare -a ROWS=()
run() {
  local name="$1" script="$2" cookie="$3" target_rps="$4" target_p99="$5" wrk_out rps p50 p99 errs hwm rss total cpu_ms
  echo "== $name: wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency -s $(basename "$script")"
  local cpu0 cpu1 perf_pid=""
  cpu0="$(awk '{print $14+$15}' /proc/$SERVER_PID/stat)"
  if [[ -n "$PERF_DIR" ]]; then
    mkdir -p "$PERF_DIR"
    # shellcheck disable=SC2086
    perf record -q ${PERF_OPTS:--F 499 -g} -p "$SERVER_PID" -o "$PERF_DIR/perf-${#ROWS[@]}.data" -- sleep "${DURATION%s}" \
      >/dev/null 2>&1 &
    perf_pid=$!
  fi
  wrk_out="$(WB_COOKIE="$cookie" wrk -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" --timeout "$WRK_TIMEOUT" --latency -s "$script" "$BASE")"
  echo "$wrk_out" | sed 's/^/   /'
  rps="$(awk '/^Requests\/sec:/{printf "%.0f", $2}' <<<"$wrk_out")"
  p50="$(to_ms "$(awk '$1=="50%"{print $2}' <<<"$wrk_out")")"
  p99="$(to_ms "$(awk '$1=="99%"{print $2}' <<<"$wrk_out")")"
  total="$(awk '/requests in/{print $1}' <<<"$wrk_out")"
  # Failed requests: non-2xx/3xx answers plus socket errors (connect, read, write, timeout).
  errs="$(awk '/Non-2xx or 3xx responses:/{n+=$5} /Socket errors:/{gsub(",","");n+=$4+$6+$8+$10} END{print n+0}' <<<"$wrk_out")"
  [[ -n "$perf_pid" ]] && wait "$perf_pid" || true
  cpu1="$(awk '{print $14+$15}' /proc/$SERVER_PID/stat)"
  # Server CPU time (user+sys, in ms) per answered request.
  cpu_ms="$(awk -v a="$cpu0" -v b="$cpu1" -v n="$total" -v hz="$(getconf CLK_TCK)" \
    'BEGIN{ if (n>0) printf "%.2f", (b-a)*1000/hz/n; else print "-" }')"
  hwm="$(awk '/VmHWM/{printf "%.0f", $2/1024}' /proc/$SERVER_PID/status)"
  rss="$(awk '/VmRSS/{printf "%.0f", $2/1024}' /proc/$SERVER_PID/status)"
  ROWS+=("$name|$rps|$target_rps|$p50|$p99|$target_p99|$total|$errs|$cpu_ms|$rss|$hwm")
}
run "open case (coordinator)" "$ROOT/bench/open_case.lua" "$COORD_COOKIE" ">= 3000" "<= 20"
run "list 50 open (vpi1, member)" "$ROOT/bench/list_cases.lua" "$VPI1_COOKIE" "-" "<= 30"
run "list 50 open (coordinator, all)" "$ROOT/bench/list_cases.lua" "$COORD_COOKIE" "-" "<= 30"

AUDIT_NOW="$(sqlite3 "file:$DATA/waarborg.db?mode=ro" 'SELECT max(seq) FROM audit_events' 2>/dev/null || echo '?')"

# --- 5. summary ---
{
  echo
  echo "Waarborg case benchmark  $(date -u +%Y-%m-%dT%H:%MZ)  commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other processes on the machine skew results on 2 cores)"
  echo "nproc $(nproc), server --threads $SERVER_THREADS, wrk -t$WRK_THREADS -c$CONNS -d$DURATION, data $DATA (audit trail now $AUDIT_NOW events)"
  printf '%-34s %8s %8s %8s %8s %8s %9s %6s %7s %7s %7s\n' scenario 'req/s' target 'p50 ms' 'p99 ms' target requests errors 'cpu ms' 'RSS MB' 'HWM MB'
  for row in "${ROWS[@]}"; do
    IFS='|' read -r n rps trps p50 p99 tp99 total errs cpu rss hwm <<<"$row"
    printf '%-34s %8s %8s %8s %8s %8s %9s %6s %7s %7s %7s\n' "$n" "$rps" "$trps" "$p50" "$p99" "$tp99" "$total" "$errs" "$cpu" "$rss" "$hwm"
  done
  echo "cpu ms = server user+sys CPU time per request; HWM = VmHWM (peak RSS). Memory target: HWM <= 300 MB"
} | tee ${OUT:+"$OUT"}
