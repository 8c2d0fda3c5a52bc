#!/bin/sh
# Runs scripts/rcv-rtt/measure.py for each configuration in a private netns (created and deleted here).
set -e
NS=tcpmem-h2-rcvrtt
D=$(dirname "$0")
ip netns add $NS
trap 'ip netns del $NS' EXIT
ip netns exec $NS ip link set lo up
[ "${HOG:-0}" = 1 ] || [ "${FASTRUN:-0}" = 1 ] || [ "${DRAINRUN:-0}" = 1 ] || while read -r name w c rate sl; do
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
# Fast reader (FASTRUN=1): recv_into() one reused buffer, 5000/s, two CPUs and one.
if [ "${FASTRUN:-0}" = 1 ]; then
  FASTREAD=1 ip netns exec $NS python3 "$D/measure.py" r5000-proc-two-fast process two 5000 0 "${SECS:-3}"
  FASTREAD=1 ip netns exec $NS python3 "$D/measure.py" r5000-proc-one-fast process one 5000 0 "${SECS:-3}"
fi
# Bursty reader (DRAINRUN=1): sleep, then drain until EAGAIN, as the capture runner reads.
if [ "${DRAINRUN:-0}" = 1 ]; then
  for sl in 2000 5000 20000; do
    DRAIN=1 ip netns exec $NS python3 "$D/measure.py" r5000-proc-two-drain$sl process two 5000 $sl "${SECS:-3}"
  done
fi
# With a competing CPU-bound process pinned to the reader's CPU (HOG=1): the shared-host stall case.
if [ "${HOG:-0}" = 1 ]; then
  taskset -c 0 python3 -c 'import time
t=time.time()+'"${SECS:-3}"'+1
while time.time()<t: pass' &
  HP=$!
  ip netns exec $NS python3 "$D/measure.py" r5000-proc-two-hog0 process two 5000 0 "${SECS:-3}"
  ip netns exec $NS python3 "$D/measure.py" max-proc-two-hog0 process two 0 0 "${SECS:-3}"
  kill $HP 2>/dev/null || true
fi
