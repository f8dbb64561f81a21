#!/usr/bin/env bash
# Dashboard benchmark for Waarborg, issue 5 §6 (see docs/performance.md, "Dashboards").
#
#   bench/run_dashboard_bench.sh [--data DIR] [--cases 1000000] [--events 20000000]
#                                [--calls 200] [--changes 50] [--sql-runs 5] [--out FILE] [--reseed]
#
# 1. Builds dashboard_seed and dashboard_bench when missing (cmake --build -j2).
# 2. Seeds DIR (default /tmp/waarborg-dashboard-bench, about 7 GB and 20-25 minutes
#    for 1,000,000 cases and 20,000,000 case events) unless it already holds a
#    complete seed (its marker file) of the same size; --reseed starts afresh.
# 3. Runs dashboard_bench on it: Load, For() per role, a change reflected,
#    the same aggregates as plain SQL, and prints the summary (also to --out).
# Delete DIR afterwards to free the disk: rm -rf /tmp/waarborg-dashboard-bench
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD:-$ROOT/build}"
DATA="/tmp/waarborg-dashboard-bench"
CASES=1000000
EVENTS=20000000
CALLS=200
CHANGES=50
SQL_RUNS=5
OUT=""
RESEED=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) DATA="$2"; shift ;;
    --cases) CASES="$2"; shift ;;
    --events) EVENTS="$2"; shift ;;
    --calls) CALLS="$2"; shift ;;
    --changes) CHANGES="$2"; shift ;;
    --sql-runs) SQL_RUNS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --reseed) RESEED=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "onbekende optie: $1" >&2; exit 2 ;;
  esac
  shift
done

# --- 1. build ---
if [[ ! -x "$BUILD/dashboard_seed" || ! -x "$BUILD/dashboard_bench" ]]; then
  [[ -f "$BUILD/CMakeCache.txt" ]] || cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake -S "$ROOT" -B "$BUILD" >/dev/null  # picks up new bench/*.cc
  cmake --build "$BUILD" -j2 --target dashboard_seed dashboard_bench
fi

# --- 2. data ---
MARKER="$DATA/.waarborg-dashboard-bench"
if [[ $RESEED -eq 0 && -f "$MARKER" && -f "$DATA/waarborg.db" ]] && grep -q "cases=$CASES events=$EVENTS " "$MARKER"; then
  echo "== hergebruik $DATA ($(cat "$MARKER"))"
else
  # The marker is written when a seed completes: without it the directory is
  # someone else's, or an interrupted seed. Never delete either.
  if [[ -e "$DATA" && ! -f "$MARKER" && -n "$(ls -A "$DATA" 2>/dev/null)" ]]; then
    echo "$DATA bestaat maar is geen (volledige) benchmarkmap; kies een andere --data, of verwijder hem zelf" >&2
    exit 1
  fi
  rm -rf "$DATA"
  avail_kb="$(df -Pk "$(dirname "$DATA")" | awk 'NR==2{print $4}')"
  need_kb=$(( CASES / 1000 * 7 * 1024 ))  # ~7 KB per case (events included)
  if (( avail_kb < need_kb )); then
    echo "te weinig schijfruimte: $((avail_kb / 1024)) MB vrij, ~$((need_kb / 1024)) MB nodig" >&2
    exit 1
  fi
  echo "== dashboard_seed --data $DATA --cases $CASES --events $EVENTS"
  "$BUILD/dashboard_seed" --data "$DATA" --cases "$CASES" --events "$EVENTS"
fi

# --- 3. run ---
{
  echo "Waarborg dashboard benchmark  $(date -u +%Y-%m-%dT%H:%MZ)  commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "nproc $(nproc), $(lscpu | awk -F: '/Model name/{gsub(/^ +/, "", $2); print $2}'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$BUILD/dashboard_bench" --data "$DATA" --calls "$CALLS" --changes "$CHANGES" --sql-runs "$SQL_RUNS"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other processes on the machine skew results on 2 cores)"
} | tee ${OUT:+"$OUT"}
