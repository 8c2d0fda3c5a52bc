#!/bin/sh
# Runs every measured shape once (one connection each, in its own private netns via run.sh) and writes
# one JSON object to stdout: {"runs": [...], "summary": [...]} (summarize.py). Takes about 30 s.
# usage: run_all.sh > data/measurements/tlp-delack-DATE.json
set -e
d=$(dirname "$0")
tmp=$(mktemp -d /tmp/tcpmem-e-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
i=0
# fill-default shape; fill-sndbuf shapes; fill-rcvbuf shapes; ci-live-smoke shape (spaced NODELAY writes)
for cfg in "0 0 65536" "4096 0 16384" "16384 0 16384" "65536 0 16384" "262144 0 16384" \
           "0 4096 16384" "0 16384 16384" "0 65536 16384" "0 0 1000 0.6 20 20"; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  "$d/run.sh" $cfg > "$tmp/$i.json"
done
python3 "$d/summarize.py" "$tmp"/*.json
