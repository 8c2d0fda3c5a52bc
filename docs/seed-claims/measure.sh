#!/bin/sh
# Runs measure.py inside a private network namespace it creates and always deletes.
# Usage (root): docs/seed-claims/measure.sh > docs/seed-claims/measurements-$(uname -r).json
set -eu
ns="tcpmem-seed-$$"
ip netns add "$ns"
trap 'ip netns delete "$ns" 2>/dev/null || true' EXIT INT TERM
ip -n "$ns" link set lo up
ulimit -n 4096
timeout 120 ip netns exec "$ns" python3 "$(dirname "$0")/measure.py"
