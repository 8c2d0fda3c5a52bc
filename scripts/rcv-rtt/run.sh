#!/bin/sh
# Runs scripts/rcv-rtt/measure.py for each configuration in a private netns (created and deleted here).
set -e
NS=tcpmem-h2-rcvrtt
D=$(dirname "$0")
ip netns add $NS
trap 'ip netns del $NS' EXIT
ip netns exec $NS ip link set lo up
while read -r name w c rate sl; do
  ip netns exec $NS python3 "$D/measure.py" "$name" "$w" "$c" "$rate" "$sl" "${SECS:-3}"
done <<CONF
max-thread-one      thread  one 0    0
max-thread-two      thread  two 0    0
max-proc-one        process one 0    0
max-proc-two        process two 0    0
r5000-proc-two      process two 5000 0
r5000-proc-one      process one 5000 0
max-proc-two-slow   process two 0    1000
r5000-proc-two-slow process two 5000 1000
CONF
