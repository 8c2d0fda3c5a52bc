#!/bin/sh
# Runs measure.py in a private network namespace that it creates and deletes (loopback only).
# usage: run.sh SNDBUF|0 RCVBUF|0 WRITE_SIZE [OBSERVE_S] > out.json
set -e
ns=tcpmem-e-$$
ip netns add "$ns"
trap 'ip netns delete "$ns"' EXIT INT TERM
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" python3 "$(dirname "$0")/measure.py" "$@"
