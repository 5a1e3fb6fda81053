#!/usr/bin/env bash
# Trainer mode's responsiveness: how long after "Run" is pressed the page gets its first chart (the first "data"
# line of POST /api/run) and the whole run ("done"), with the page's default settings (3 years shown after the
# 3-year warm-up, 4 replications of each scenario, 2 at once). Five cases, each repeated:
#   fresh      the first Run on a server started a moment ago (its baseline started at start-up)
#   default    the default settings on a server that keeps no results (--cache 0); they are the baseline itself,
#              so its 4 replications are simulated once for both sides
#   lever      a lever moved (a front-door threshold) on a server that keeps no results: 4 + 4 replications
#   known      a lever moved (a threshold not asked for before), the baseline already known: 4 replications
#   repeated   the default settings again on a server that keeps results: nothing to simulate
# Then how fast GET /api/status answers with 50 slow clients trickling their requests in (slowloris).
# It prints the median, minimum and maximum seconds of each, with the machine's core count. Figures, not a test.
# Usage: bench/serve.sh [REPEATS]   (needs curl; run from the source tree after building build/cli/frontdoor)
set -euo pipefail
repeats=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
frontdoor=${FRONTDOOR:-$root/build/cli/frontdoor}
command -v curl >/dev/null || { echo "bench/serve.sh needs curl"; exit 1; }
work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start_server() {  # start_server [serve flags...]: sets url and server_pid
  "$frontdoor" serve --port 0 --quiet "$@" >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  for _ in $(seq 1 100); do
    url=$(head -1 "$work/server.out" 2>/dev/null || true)
    [ -n "$url" ] && return 0
    sleep 0.05
  done
  echo "the server did not start: $(cat "$work/server.err")"
  exit 1
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

# run_once BODY: prints "first_chart_seconds total_seconds", timed from just before the request is sent.
run_once() {
  local start first="" now
  start=$(date +%s.%N)
  while IFS= read -r line; do
    now=$(date +%s.%N)
    case "$line" in
      *'"type":"data"'*) [ -z "$first" ] && first=$(awk -v a="$now" -v b="$start" 'BEGIN {print a - b}') ;;
      *'"type":"error"'*) echo "run failed: ${line:0:300}" >&2; exit 1 ;;
      *'"type":"done"'*) echo "$first $(awk -v a="$now" -v b="$start" 'BEGIN {print a - b}')"; return 0 ;;
    esac
  done < <(curl -sN -X POST -H 'Content-Type: application/json' -d "$1" "${url}api/run")
  echo "the stream ended early" >&2
  exit 1
}

# stats NAME FILE: the median, min and max of each column.
stats() {
  for col in 1 2; do
    sort -g -k$col,$col "$2" | awk -v c=$col '{v[NR]=$c} END {printf "%.2f %.2f %.2f ", v[int((NR+1)/2)], v[1], v[NR]}'
  done | awk -v name="$1" -v n="$(wc -l <"$2")" '{printf "%-10s %3d   first chart %5.2f s (%.2f-%.2f)   whole run %5.2f s (%.2f-%.2f)\n", name, n, $1, $2, $3, $4, $5, $6}'
}

echo "frontdoor serve: time from Run to the first chart and to the whole run, default settings"
echo "machine: $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg); $repeats repetitions each"
: >"$work/fresh"
for _ in $(seq 1 "$repeats"); do
  start_server
  run_once '{}' >>"$work/fresh"
  stop_server
done
start_server --cache 0 --no-prestart
run_once '{}' >/dev/null  # the first one also warms the disk cache
: >"$work/default"
: >"$work/lever"
for _ in $(seq 1 "$repeats"); do
  run_once '{}' >>"$work/default"
  run_once '{"referral_threshold": 3.3}' >>"$work/lever"
done
stop_server
start_server
run_once '{}' >/dev/null  # the baseline is now known
: >"$work/known"
: >"$work/repeated"
for i in $(seq 1 "$repeats"); do
  run_once "{\"referral_threshold\": 3.$i}" >>"$work/known"
  run_once '{}' >>"$work/repeated"
done
stop_server
echo "case      runs"
stats fresh "$work/fresh"
stats default "$work/default"
stats lever "$work/lever"
stats known "$work/known"
stats repeated "$work/repeated"
echo "target: the first chart of a run of the default settings within 2 s (default and lever keep nothing)"

# Slow clients (slowloris): 50 connections each holding a request half-sent, one byte every 2 s, while GET
# /api/status is timed. Issue 14's target: an answer within 1 s.
start_server --no-prestart
trap '' PIPE  # the server closes the slow connections it pushes out; writing to one must not end this script
port=${url##*:}
port=${port%/}
slow=()
for _ in $(seq 1 50); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$port"
  slow+=("$fd")
done
: >"$work/status"
for i in $(seq 1 "$repeats"); do
  for fd in "${slow[@]}"; do printf 'G' >&"$fd" 2>/dev/null || true; done
  curl -s -o /dev/null -w '%{time_total}\n' "${url}api/status" >>"$work/status"
  if [ "$i" -lt "$repeats" ]; then sleep 2; fi
done
for fd in "${slow[@]}"; do exec {fd}>&-; done
stop_server
sort -g "$work/status" | awk '{v[NR]=$1} END {printf "slow       %3d   GET /api/status with 50 slow connections open: %.3f s (%.3f-%.3f); target 1 s\n", NR, v[int((NR+1)/2)], v[1], v[NR]}'

