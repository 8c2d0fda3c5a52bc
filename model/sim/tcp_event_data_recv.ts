import type { SimContext } from './sim_context';
import { F_ATO, F_PUSHED, F_PUSHED2 } from './socket_table';
import { tcp_win_from_space } from '../window/tcp_win_from_space';
import { tcp_measure_rcv_mss_ratio } from '../window/tcp_measure_rcv_mss_ratio';
import { tcp_under_memory_pressure } from './mem_pool';
import { tcp_adjust_rcv_ssthresh, tcp_space } from './tcp_select_window';
import { __tcp_grow_window } from '../window/__tcp_grow_window';
import { tcp_rcv_rtt_measure } from './tcp_rcv_rtt';

/** TCP_MAX_QUICKACKS. */
const TCP_MAX_QUICKACKS = 16;

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_incr_quickack`: quick = max(quick, min(rcv_wnd / (2 ×
 * rcv_mss), max)), at least 2.
 */
export function tcp_incr_quickack(ctx: SimContext, s: number, max_quickacks = TCP_MAX_QUICKACKS): void {
  const sk = ctx.sock;
  let q = Math.floor(sk.rcv_wnd[s] / (2 * sk.rcv_mss[s]));
  if (q === 0) q = 2;
  q = Math.min(q, max_quickacks);
  if (q > sk.quick[s]) sk.quick[s] = q;
}

/**
 * Kernel: include/net/tcp.h `tcp_set_window_clamp` (6.18, R-3.12): a growing clamp raises rcv_ssthresh
 * to min(rcv_wnd, clamp), a shrinking one lowers it to the clamp.
 */
function tcp_set_window_clamp(ctx: SimContext, s: number, val: number): void {
  const sk = ctx.sock;
  const old = sk.window_clamp[s];
  sk.window_clamp[s] = val;
  if (val > old) sk.rcv_ssthresh[s] = Math.max(sk.rcv_ssthresh[s], Math.min(sk.rcv_wnd[s], val));
  else sk.rcv_ssthresh[s] = Math.min(sk.rcv_ssthresh[s], val);
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_measure_rcv_mss`: a segment at least rcv_mss long and not
 * equal to it sets scaling_ratio = len × 256 / truesize (6.18) and resets window_clamp from rcvbuf;
 * rcv_mss = min(len, advmss); since 6.7 such a segment with PSH sets ICSK_ACK_PUSHED ("tcp: set
 * ICSK_ACK_PUSHED for exact-MSS PSH segments"). Shorter segments set ICSK_ACK_PUSHED (then PUSHED2).
 * Model: gso_size = 0 (len = skb.len) on lo/veth; the header-length refinement for small segments is
 * reduced to "shorter than rcv_mss"; every data segment is taken to carry PSH (the model does not track
 * the flag: tcp_push marks the last skb of each write, and forced_push most full ones), which the
 * loss-every50-loopback capture confirms (0 DelayedACKs, one OFO segment per hole). Applied to the 6.1
 * profile too: whether Debian's 6.1.y has it is not checked, and its captures do not tell the difference.
 */
export function tcp_measure_rcv_mss(ctx: SimContext, s: number, len: number, seg_len: number, truesize: number): void {
  const sk = ctx.sock;
  if (seg_len >= sk.rcv_mss[s]) {
    if (seg_len !== sk.rcv_mss[s] && ctx.p.window_algorithm === 'scaling_ratio') {
      const old = sk.ratio[s];
      const ratio = tcp_measure_rcv_mss_ratio(len, truesize);
      sk.ratio[s] = ratio;
      if (ratio !== old) {
        tcp_set_window_clamp(ctx, s, tcp_win_from_space(ctx.p, ratio, sk.rb[s]));
        if (sk.window_clamp[s] < sk.rcvq_space[s]) sk.rcvq_space[s] = sk.window_clamp[s];
      }
    }
    sk.rcv_mss[s] = Math.min(seg_len, ctx.link.advmss_bytes);
    // 6.7+: a segment of at least rcv_mss with PSH (the end of a write) sets ICSK_ACK_PUSHED, so a reader
    // that empties the queue ACKs it at once (__tcp_cleanup_rbuf). Model: every data segment counts as PSH.
    sk.flags[s] |= F_PUSHED;
  } else {
    if (sk.flags[s] & F_PUSHED) sk.flags[s] |= F_PUSHED2;
    sk.flags[s] |= F_PUSHED;
  }
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_grow_window`: rcv_ssthresh grows toward
 * min(window_clamp, tcp_space) by max(incr, 2 × len); under pressure it is clamped instead.
 * Model: `payload_truesize` is the skb truesize minus SKB_TRUESIZE(end) when the skb has no linear data
 * (lo/veth clones), as the kernel computes it.
 */
export function tcp_grow_window(ctx: SimContext, s: number, len: number, payload_truesize: number): void {
  const sk = ctx.sock;
  const room = Math.min(sk.window_clamp[s], tcp_space(ctx, s)) - sk.rcv_ssthresh[s];
  if (room <= 0) return;
  if (tcp_under_memory_pressure(ctx, s)) {
    tcp_adjust_rcv_ssthresh(ctx, s);
    return;
  }
  let incr: number;
  if (tcp_win_from_space(ctx.p, sk.ratio[s], payload_truesize) <= len) incr = 2 * ctx.link.advmss_bytes;
  else incr = __tcp_grow_window(ctx.p, sk.ratio[s], sk.rcv_ssthresh[s], sk.rcv_mss[s], payload_truesize, len);
  incr = Math.max(incr, 2 * len);
  sk.rcv_ssthresh[s] += Math.min(room, incr);
  sk.quick[s] |= 1;
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_event_data_recv`: measure rcv_mss and the ratio;
 * the first data (ato = 0) or a gap longer than the RTO refills the quick-ACK budget; segments of
 * 128 bytes or more grow rcv_ssthresh. The per-window receiver RTT sample (tcp_rcv_rtt_measure) is taken
 * here; the timestamp one before tcp_data_queue (tcp_rcv_rtt.ts).
 */
export function tcp_event_data_recv(ctx: SimContext, s: number, len: number, seg_len: number, truesize: number, payload_truesize: number): void {
  const sk = ctx.sock;
  tcp_measure_rcv_mss(ctx, s, len, seg_len, truesize);
  tcp_rcv_rtt_measure(ctx, s);
  if (!(sk.flags[s] & F_ATO)) {
    tcp_incr_quickack(ctx, s);
    sk.flags[s] |= F_ATO;
  } else if (ctx.now_ms - sk.lrcvtime_ms[s] > ctx.link.rto_ms) {
    tcp_incr_quickack(ctx, s);
  }
  sk.lrcvtime_ms[s] = ctx.now_ms;
  if (len >= 128) tcp_grow_window(ctx, s, len, payload_truesize);
}
