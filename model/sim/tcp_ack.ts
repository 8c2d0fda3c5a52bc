import type { SimContext } from './sim_context';
import { EV_WRITER } from './sim_context';
import { F_NOSPACE, F_SNDBUF_LOCK } from './socket_table';
import { SKB_EVER_RETRANS } from './skb_pool';
import { tcp_ack_update_rtt } from './tcp_rtt_estimator';
import { tcp_process_tlp_ack, tcp_set_xmit_timer } from './tcp_schedule_loss_probe';
import { sk_mem_uncharge, tcp_under_memory_pressure } from './mem_pool';
import { tcp_sndbuf_expand } from '../window/tcp_sndbuf_expand';
import { tcp_current_mss } from './tcp_xmit_size_goal';
import { tcp_write_xmit } from './tcp_write_xmit';
import { sk_stream_is_writeable } from './tcp_sendmsg';
import { tcp_has_ofo, tcp_in_loss_recovery, tcp_packets_in_flight } from './tcp_packets_in_flight';
import { tcp_fastretrans_alert, tcp_rack_skb_acked, tcp_xmit_retransmit_queue } from './tcp_rack';
import { tcp_sacktag_write_queue } from './tcp_sacktag';

/** Largest cwnd the model lets slow start reach (segments). */
const CWND_CAP = 65535;

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_check_space` → `tcp_new_space` → `tcp_should_expand_sndbuf` +
 * `tcp_sndbuf_expand`: `tcp_data_snd_check` runs after every ACK the socket processes; while
 * SOCK_NOSPACE is set (a writer hit the limit and has not been woken) each one expands sndbuf if: not
 * locked, not under pressure, tcp_memory_allocated < tcp_mem[0], packets in flight < cwnd. Since 5.17 the
 * kernel no longer gates this on SOCK_QUEUE_SHRUNK (space freed): an ACK to a zero-window probe or a
 * window update also expands (the captures fill-default/fill-rcvbuf reach tcp_wmem[2] = 4194304 with the
 * peer's window closed and cwnd 16).
 * Model: packets in flight as tcp_packets_in_flight.
 */
function tcp_new_space(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  if (
    !(sk.flags[s] & F_SNDBUF_LOCK) &&
    !tcp_under_memory_pressure(ctx, s) &&
    ctx.mem.global_pages < ctx.mem.tcp_mem[0] &&
    tcp_packets_in_flight(ctx, s) < sk.cwnd[s]
  ) {
    const cc = ctx.groups[ctx.conn_group[s >> 1]].cc;
    sk.tb[s] = tcp_sndbuf_expand(ctx.p, {
      mss: tcp_current_mss(ctx, s),
      mss_clamp: ctx.link.syn_advmss_bytes,
      cwnd: sk.cwnd[s],
      cc,
      sndbuf: sk.tb[s],
    });
  }
  // sk_stream_write_space
  if (sk_stream_is_writeable(ctx, s)) {
    sk.flags[s] &= ~F_NOSPACE;
    ctx.heap.push(ctx.now_ns, EV_WRITER, s >> 1, 0);
  }
}

/**
 * An ACK arriving at socket s.
 * Kernel: net/ipv4/tcp_input.c `tcp_ack` → `tcp_clean_rtx_queue` (R-2.10: acked skbs leave w and
 * are uncharged, then reclaimed, R-6.9; a partly acked skb is trimmed, `tcp_trim_head`),
 * `tcp_ack_update_window` (snd_wnd, max_window → mss, R-2.8), slow start, `tcp_check_space`
 * (tcp_new_space for a waiting writer), `tcp_data_snd_check` (push what the window now allows).
 * Model: freeing the original un-clones the receiver's copy; cwnd grows by one per acked
 * segment without loss (slow start, capped) — for reno/cubic only while cwnd-limited
 * (`tcp_is_cwnd_limited`, so a receive-window-limited 6.1 cubic sender keeps cwnd 10 and sndbuf
 * 2 × 10 × per_mss, R-2.18). SACKed skbs stay in w until the cumulative ACK passes them; SACK blocks,
 * RACK and fast retransmit: tcp_sacktag.ts, tcp_rack.ts.
 */
export function tcp_ack(ctx: SimContext, s: number, ack_seq: number, win: number): void {
  const sk = ctx.sock;
  const k = ctx.skb;
  const snd_una_before = sk.snd_una[s];
  // SACK scoreboard first (tcp_sacktag_write_queue runs before tcp_clean_rtx_queue), only when the peer
  // holds OFO data or recovery state exists (tcp_sacktag.ts, tcp_rack.ts)
  const loss_state = tcp_has_ofo(ctx, s ^ 1) || tcp_in_loss_recovery(ctx, s);
  const newly_sacked = loss_state && tcp_sacktag_write_queue(ctx, s);
  if (ack_seq > sk.snd_una[s]) {
    let skb = sk.wq_head[s];
    let acked_segs = 0;
    // RTT sample (tcp_clean_rtx_queue → tcp_ack_update_rtt): oldest acked skb, Karn via SKB_EVER_RETRANS
    let oldest_tstamp_ns = -1;
    let retrans_acked = false;
    while (skb >= 0 && skb !== sk.wq_send[s]) {
      const end = k.seq[skb] + k.len[skb];
      if (ack_seq > k.seq[skb]) {
        if (oldest_tstamp_ns < 0) oldest_tstamp_ns = k.tstamp_ns[skb];
        if (k.flags[skb] & SKB_EVER_RETRANS) retrans_acked = true;
      }
      if (end <= ack_seq) {
        const ts = k.truesize[skb];
        const nx = k.next[skb];
        if (loss_state) tcp_rack_skb_acked(ctx, s, skb);
        sk.packets_out[s] -= k.pcount[skb];
        acked_segs += k.pcount[skb];
        sk.w[s] -= ts;
        k.free(skb);
        sk_mem_uncharge(ctx, s, ts);
        skb = nx;
      } else {
        if (ack_seq > k.seq[skb]) {
          // tcp_trim_head: payload truesize leaves with the acked bytes
          const delta = ack_seq - k.seq[skb];
          k.seq[skb] = ack_seq;
          k.len[skb] -= delta;
          k.truesize[skb] -= delta;
          sk.w[s] -= delta;
          sk_mem_uncharge(ctx, s, delta);
        }
        break;
      }
    }
    sk.wq_head[s] = skb;
    if (skb < 0) sk.wq_tail[s] = -1;
    sk.snd_una[s] = ack_seq;
    // tcp_cong_avoid: reno/cubic grow only when tcp_is_cwnd_limited (cwnd filled, or in slow start
    // cwnd < 2 × max_packets_out); BBR's bbr_set_cwnd grows by `acked` in startup without that test.
    // Model: max_packets_out ≈ the packets in flight when this ACK arrived.
    const in_flight = sk.packets_out[s] + acked_segs;
    const cc = ctx.groups[ctx.conn_group[s >> 1]].cc;
    if (cc === 'bbr' || in_flight >= sk.cwnd[s] || sk.cwnd[s] < 2 * in_flight) {
      sk.cwnd[s] = Math.min(CWND_CAP, sk.cwnd[s] + acked_segs);
    }
    sk.probe_backoff[s] = 0;
    tcp_ack_update_rtt(ctx, s, oldest_tstamp_ns, retrans_acked);
    tcp_process_tlp_ack(ctx, s, ack_seq);
  }
  // tcp_ack_update_window
  sk.snd_wnd[s] = win;
  if (win > sk.max_window[s]) sk.max_window[s] = win;
  const acked = ack_seq > snd_una_before;
  // tcp_fastretrans_alert (RACK may arm the reorder timer), then FLAG_SET_XMIT_TIMER (data acked, no reorder
  // timer) → tcp_set_xmit_timer (TLP or RTO, R-5.14), then tcp_xmit_recovery (retransmit what is lost)
  const reo_armed = loss_state && tcp_fastretrans_alert(ctx, s, newly_sacked, acked);
  if (acked && !reo_armed) tcp_set_xmit_timer(ctx, s);
  if (loss_state) tcp_xmit_retransmit_queue(ctx, s);
  // tcp_data_snd_check: tcp_push_pending_frames, then tcp_check_space
  tcp_write_xmit(ctx, s, false);
  if (sk.flags[s] & F_NOSPACE) tcp_new_space(ctx, s);
}
