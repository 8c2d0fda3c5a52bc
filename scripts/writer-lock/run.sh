#!/usr/bin/env bash
# Runs scripts/writer-lock/measure.py for each (size, count, mode[, conns]) set, REPEATS times, each run in a
# fresh private network namespace (created and deleted here; nothing global is touched; per-netns
# TcpExt counters start at 0), and writes one JSON object.
# Usage (as root): bash scripts/writer-lock/run.sh [REPEATS] > data/measurements/writer-lock-$(date +%F).json
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repeats=${1:-3}
echo "{\"kernel\": \"$(uname -r)\", \"taken_on\": \"$(date -u +%F)\", \"runs\": ["
first=1
for rep in $(seq 1 "$repeats"); do
  for triple in "1000 30 per-write" "1000 30 b2b" "1000 30 bare" "4096 30 per-write" "4096 30 b2b" "4096 30 bare" "1 30 per-write" "1448 30 b2b" "1000 30 interleaved 2" "1000 30 interleaved 4" "1448 30 interleaved 2"; do
    ns=tcpmem-wlock-$$-$rep
    ip netns add "$ns"
    trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
    ip netns exec "$ns" ip link set lo up
    [ $first = 1 ] || echo ","
    first=0
    ip netns exec "$ns" python3 "$here/measure.py" $triple
    ip netns del "$ns"
  done
done
echo "]}"
