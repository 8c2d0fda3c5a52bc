import type { SimContext } from './sim_context';

/** TCP_RTO_MAX (120 s) in µs. */
export const TCP_RTO_MAX_US = 120_000_000;
/** TCP_TIMEOUT_MIN_US (include/net/tcp.h): 2 ms. */
export const TCP_TIMEOUT_MIN_US = 2000;

/** tcp_rto_min_us(sk): the net.ipv4.tcp_rto_min_us / route default, TCP_RTO_MIN = HZ/5 (200 ms). */
export function tcp_rto_min_us(ctx: SimContext): number {
  return Math.floor(ctx.p.hz / 5) * jiffy_us(ctx);
}

/** One jiffy in µs (4000 at HZ 250). */
export function jiffy_us(ctx: SimContext): number {
  return 1e6 / ctx.p.hz;
}

/** Kernel: include/linux/jiffies.h `usecs_to_jiffies`: rounds up to whole jiffies. */
export function usecs_to_jiffies(ctx: SimContext, us: number): number {
  const j = (us * ctx.p.hz) / 1e6;
  return j <= 0 ? 0 : Math.ceil(j - 1e-9);
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_set_rto` / `__tcp_set_rto` / `tcp_bound_rto`: icsk_rto =
 * usecs_to_jiffies(srtt + rttvar), at most TCP_RTO_MAX. Kept in µs (a whole number of jiffies).
 */
export function tcp_set_rto(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const j = usecs_to_jiffies(ctx, (sk.srtt_us[s] >> 3) + sk.rttvar_us[s]);
  sk.rto_us[s] = Math.min(j * jiffy_us(ctx), TCP_RTO_MAX_US);
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_rtt_estimator` (Jacobson/Karels as Linux does it, same in 6.1 and
 * 6.18): srtt_us holds 8 × srtt; mdev is smoothed with gain 1/4 (1/32 when the RTT falls), rttvar
 * follows the largest mdev of the last RTT (mdev_max_us, reset to tcp_rto_min_us each RTT) and decays by
 * 1/4 per RTT, so rttvar ≥ tcp_rto_min_us after the first sample and the RTO never goes below 200 ms +
 * srtt. The first sample sets srtt = m, mdev = 2m, rttvar = max(2m, rto_min).
 * Model: exact integer arithmetic on µs; `m` is the sample in µs (≥ 0).
 */
export function tcp_rtt_estimator(ctx: SimContext, s: number, mrtt_us: number): void {
  const sk = ctx.sock;
  let m = Math.floor(mrtt_us);
  let srtt = sk.srtt_us[s];
  const rto_min = tcp_rto_min_us(ctx);
  if (srtt !== 0) {
    m -= srtt >> 3;
    srtt += m;
    if (m < 0) {
      m = -m;
      m -= sk.mdev_us[s] >> 2;
      if (m > 0) m >>= 3;
    } else {
      m -= sk.mdev_us[s] >> 2;
    }
    sk.mdev_us[s] += m;
    if (sk.mdev_us[s] > sk.mdev_max_us[s]) {
      sk.mdev_max_us[s] = sk.mdev_us[s];
      if (sk.mdev_max_us[s] > sk.rttvar_us[s]) sk.rttvar_us[s] = sk.mdev_max_us[s];
    }
    if (sk.snd_una[s] > sk.rtt_seq[s]) {
      if (sk.mdev_max_us[s] < sk.rttvar_us[s]) sk.rttvar_us[s] -= (sk.rttvar_us[s] - sk.mdev_max_us[s]) >> 2;
      sk.rtt_seq[s] = sk.snd_nxt[s];
      sk.mdev_max_us[s] = rto_min;
    }
  } else {
    srtt = m << 3;
    sk.mdev_us[s] = m << 1;
    sk.rttvar_us[s] = Math.max(sk.mdev_us[s], rto_min);
    sk.mdev_max_us[s] = sk.rttvar_us[s];
    sk.rtt_seq[s] = sk.snd_nxt[s];
  }
  sk.srtt_us[s] = Math.max(1, srtt);
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_clean_rtx_queue` → `tcp_ack_update_rtt`: an ACK that
 * acknowledges new data gives one RTT sample. If no acked skb was ever retransmitted (Karn), the sample
 * is now − the transmit time of the oldest newly acked skb (µs, `first_ackt`). Otherwise the timestamp
 * option gives it (`tcp_rtt_tsopt_us`): now − TSecr in milliseconds, at least 1 ms.
 * Then `tcp_set_rto`.
 * Model: the echoed TSval is that of the oldest newly acked skb's last transmission (the receiver echoes
 * ts_recent, taken from the segment at rcv_wup: the first one after its previous ACK).
 */
export function tcp_ack_update_rtt(ctx: SimContext, s: number, oldest_tstamp_ns: number, retrans_acked: boolean): void {
  if (oldest_tstamp_ns < 0) return;
  let sample_us: number;
  if (!retrans_acked) {
    sample_us = Math.max(0, Math.floor((ctx.now_ns - oldest_tstamp_ns) / 1000));
  } else {
    const delta_ms = Math.floor(ctx.now_ns / 1e6) - Math.floor(oldest_tstamp_ns / 1e6);
    sample_us = Math.max(1, delta_ms) * 1000;
  }
  tcp_rtt_estimator(ctx, s, sample_us);
  tcp_set_rto(ctx, s);
}
