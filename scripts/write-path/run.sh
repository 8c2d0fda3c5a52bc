#!/usr/bin/env bash
# Runs scripts/write-path/measure.py for a few (SO_SNDBUF, write size) pairs inside a private network
# namespace (created and deleted here; nothing global is touched) and writes one JSON array.
# Usage: sudo bash scripts/write-path/run.sh ['SNDBUF SIZE' ...] > data/measurements/write-path-$(date +%F).json
# (no arguments: the five pairs of data/measurements/write-path-2026-12-04.json)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ns=tcpmem-writepath-$$
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip netns exec "$ns" ip link set lo up
echo "{\"kernel\": \"$(uname -r)\", \"taken_on\": \"$(date -u +%F)\", \"runs\": ["
first=1
[ $# -gt 0 ] || set -- "65536 16384" "65536 8192" "65536 1024" "16384 16384" "262144 16384"
for pair in "$@"; do
  [ $first = 1 ] || echo ","
  first=0
  ip netns exec "$ns" python3 "$here/measure.py" $pair
done
echo "]}"
