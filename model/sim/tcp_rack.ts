import type { SimContext } from './sim_context';
import { SKB_EVER_RETRANS, SKB_LOST, SKB_SACKED, SKB_SACKED_RETRANS } from './skb_pool';
import { tcp_icsk_rto_us, tcp_link_xmit, tcp_rearm_rto, tcp_reset_xmit_timer } from './tcp_write_xmit';
import { F_REO, F_RTO, F_TLP } from './socket_table';
import { tcp_packets_in_flight } from './tcp_packets_in_flight';
import { C_FastRetrans, C_LostRetransmit, C_SackRecovery } from './counters';

/** icsk_ca_state values the model uses (TCP_CA_Open, TCP_CA_Recovery). */
export const CA_OPEN = 0;
export const CA_RECOVERY = 3;

/** net.ipv4.tcp_reordering default: the DUPACK threshold RACK uses before reordering is seen. */
const TCP_REORDERING = 3;

/** The path's minimum RTT as the sender measures it (tcp_min_rtt): the link RTT (0 on lo/veth). */
function min_rtt_ns(ctx: SimContext): number {
  return 2 * ctx.link.one_way_ns;
}

/**
 * Kernel: net/ipv4/tcp_recovery.c `tcp_rack_advance`: an skb was (s)acked: rack.rtt = now − its send
 * time; if it was sent after the newest delivered one so far, it becomes rack.mstamp / rack.end_seq. A
 * retransmitted skb acked faster than min_rtt is ignored (the ACK may be for the original).
 */
export function tcp_rack_advance(ctx: SimContext, s: number, skb: number): void {
  const L = ctx.loss;
  const x = L.ensure(ctx.sock, s);
  const sk = ctx.sock;
  const k = ctx.skb;
  const ts = k.tstamp_ns[skb];
  const rtt = ctx.now_ns - ts;
  if (k.flags[skb] & SKB_EVER_RETRANS && rtt < min_rtt_ns(ctx)) return;
  L.rack_rtt_ns[x] = rtt;
  const end = k.seq[skb] + k.len[skb];
  if (ts > L.rack_mstamp_ns[x] || (ts === L.rack_mstamp_ns[x] && end > L.rack_end_seq[x])) {
    L.rack_mstamp_ns[x] = ts;
    L.rack_end_seq[x] = end;
  }
}

/**
 * A cumulatively ACKed skb leaves the rtx queue: it leaves sacked_out / lost_out / retrans_out too.
 * Kernel: net/ipv4/tcp_input.c `tcp_clean_rtx_queue` calls `tcp_rack_advance` for every acked skb, after
 * the SACK tagging of the same ACK: rack.rtt ends as the RTT of the newest cumulatively acked skb. So when
 * a SACK arrives while older segments were still unacked (delayed ACKs), the hole's wait is measured
 * against that longer RTT and RACK arms the reorder timer instead of marking the hole lost at once
 * (measured: data/captures/loss-every25-unread, two OFO segments per hole).
 * Model: called while SACK/recovery state exists (the peer holds OFO data, or marks are set).
 */
export function tcp_rack_skb_acked(ctx: SimContext, s: number, skb: number): void {
  const L = ctx.loss;
  const x = L.ensure(ctx.sock, s);
  const sk = ctx.sock;
  const k = ctx.skb;
  const f = k.flags[skb];
  const pcount = k.pcount[skb];
  tcp_rack_advance(ctx, s, skb);
  if (f & SKB_SACKED) L.sacked_out[x] -= pcount;
  if (f & SKB_LOST) L.lost_out[x] -= pcount;
  if (f & SKB_SACKED_RETRANS) L.retrans_out[x] -= pcount;
}

/**
 * Kernel: net/ipv4/tcp_recovery.c `tcp_rack_reo_wnd`: before reordering has been seen, 0 in recovery or
 * once sacked_out ≥ tcp_reordering (3); otherwise min_rtt/4 (reo_wnd_steps 1; srtt ≥ that).
 * Model: reordering is never seen (the links modelled do not reorder), no D-SACK widening.
 */
function tcp_rack_reo_wnd_ns(ctx: SimContext, s: number): number {
  const L = ctx.loss;
  const x = L.ensure(ctx.sock, s);
  const sk = ctx.sock;
  if (L.ca_state[x] >= CA_RECOVERY || L.sacked_out[x] >= TCP_REORDERING) return 0;
  return min_rtt_ns(ctx) / 4;
}

/**
 * Kernel: net/ipv4/tcp_recovery.c `tcp_rack_detect_loss` + `tcp_mark_skb_lost`: an unSACKed skb sent
 * before the newest delivered one (`tcp_skb_sent_after`) is lost once rack.rtt + reo_wnd has passed since
 * it was sent; a lost retransmission loses its retransmitted mark (TCPLostRetransmit). Skbs marked lost
 * but not yet retransmitted are skipped. Returns the longest wait still to go (ns; 0 = none).
 * Model: the rtx queue is walked in sequence order instead of the kernel's send-time order (same set).
 */
export function tcp_rack_detect_loss(ctx: SimContext, s: number): number {
  const L = ctx.loss;
  const x = L.ensure(ctx.sock, s);
  const sk = ctx.sock;
  const k = ctx.skb;
  const reo_wnd = tcp_rack_reo_wnd_ns(ctx, s);
  const rack_ts = L.rack_mstamp_ns[x];
  const rack_end = L.rack_end_seq[x];
  const wgt = ctx.conn_weight[s >> 1];
  let reo_timeout = 0;
  for (let skb = sk.wq_head[s]; skb >= 0 && skb !== sk.wq_send[s]; skb = k.next[skb]) {
    const f = k.flags[skb];
    if (f & SKB_SACKED) continue;
    if (f & SKB_LOST && !(f & SKB_SACKED_RETRANS)) continue;
    const ts = k.tstamp_ns[skb];
    const end = k.seq[skb] + k.len[skb];
    if (!(rack_ts > ts || (rack_ts === ts && rack_end > end))) continue;
    const remaining = L.rack_rtt_ns[x] + reo_wnd - (ctx.now_ns - ts);
    if (remaining <= 0) {
      const pcount = k.pcount[skb];
      if (f & SKB_LOST) {
        k.flags[skb] = f & ~SKB_SACKED_RETRANS;
        L.retrans_out[x] -= pcount;
        ctx.counters[C_LostRetransmit] += pcount * wgt;
      } else {
        k.flags[skb] = f | SKB_LOST;
        L.lost_out[x] += pcount;
      }
    } else if (remaining > reo_timeout) {
      reo_timeout = remaining;
    }
  }
  return reo_timeout;
}

/**
 * Kernel: net/ipv4/tcp_recovery.c `tcp_rack_mark_lost`: detect losses; if some skbs must wait out the
 * reordering window, arm the reorder timer: the socket's one retransmission timer as ICSK_TIME_REO_TIMEOUT
 * (replacing a pending RTO or loss probe) at usecs_to_jiffies(wait) + TCP_TIMEOUT_MIN (2 jiffies), at most
 * icsk_rto. Returns whether it armed it (tcp_identify_packet_loss then clears FLAG_SET_XMIT_TIMER: the ACK
 * does not re-arm the RTO / loss probe over it).
 */
export function tcp_rack_mark_lost(ctx: SimContext, s: number): boolean {
  const reo_timeout_ns = tcp_rack_detect_loss(ctx, s);
  if (reo_timeout_ns <= 0) return false;
  const jiffy_ns = 1e9 / ctx.p.hz;
  const when_us = ((Math.ceil(reo_timeout_ns / jiffy_ns) + 2) * jiffy_ns) / 1000;
  tcp_reset_xmit_timer(ctx, s, Math.min(when_us, tcp_icsk_rto_us(ctx, s)), F_REO);
  return true;
}

/**
 * Kernel: net/ipv4/tcp_output.c `tcp_retransmit_skb` (`__tcp_retransmit_skb` → tcp_transmit_skb with a
 * clone): TCPCB_SACKED_RETRANS, retrans_out += pcount, a new send time; TCPFastRetrans += pcount (from
 * `tcp_xmit_retransmit_queue` outside the Loss state).
 * Model: the skb is not re-fragmented to a changed mss; it crosses the lossy link like any data segment.
 */
export function tcp_retransmit_skb(ctx: SimContext, s: number, skb: number): void {
  const L = ctx.loss;
  const x = L.ensure(ctx.sock, s);
  const k = ctx.skb;
  const pcount = k.pcount[skb];
  k.flags[skb] |= SKB_SACKED_RETRANS | SKB_EVER_RETRANS; // TCPCB_RETRANS
  L.retrans_out[x] += pcount;
  ctx.counters[C_FastRetrans] += pcount * ctx.conn_weight[s >> 1];
  tcp_link_xmit(ctx, s, skb, k.len[skb], pcount);
}

/**
 * Kernel: net/ipv4/tcp_output.c `tcp_xmit_retransmit_queue`: retransmit the skbs marked lost (not SACKed,
 * not already retransmitted) in order while packets in flight < cwnd; when the rtx queue head went out again
 * and the reorder timer is not pending, the RTO restarts (ICSK_TIME_RETRANS, icsk_rto from now).
 * Model: no PRR (tcp_cwnd_reduction) and no cwnd reduction on entering recovery: cwnd is left as it is.
 */
export function tcp_xmit_retransmit_queue(ctx: SimContext, s: number): void {
  const L = ctx.loss;
  const x = L.ensure(ctx.sock, s);
  const sk = ctx.sock;
  const k = ctx.skb;
  if (L.lost_out[x] === 0) return;
  let rearm_timer = false;
  for (let skb = sk.wq_head[s]; skb >= 0 && skb !== sk.wq_send[s]; skb = k.next[skb]) {
    if (tcp_packets_in_flight(ctx, s) >= sk.cwnd[s]) break;
    const f = k.flags[skb];
    if (f & SKB_LOST && !(f & (SKB_SACKED_RETRANS | SKB_SACKED))) {
      tcp_retransmit_skb(ctx, s, skb);
      if (skb === sk.wq_head[s] && !(sk.flags[s] & F_REO)) rearm_timer = true;
    }
  }
  if (rearm_timer) tcp_reset_xmit_timer(ctx, s, tcp_icsk_rto_us(ctx, s), 0);
}

/**
 * Loss recovery on an ACK, after the SACK tagging (tcp_sacktag.ts) and the cumulative part.
 * Kernel: net/ipv4/tcp_input.c `tcp_ack` → `tcp_fastretrans_alert`: leave
 * Recovery once snd_una reaches high_seq; `tcp_identify_packet_loss` → RACK when it advanced; enter
 * Recovery when something is lost (`tcp_time_to_recover`: lost_out > 0; TCPSackRecovery, high_seq =
 * snd_nxt). The retransmissions follow later in tcp_ack (`tcp_xmit_recovery` → tcp_xmit_retransmit_queue,
 * after tcp_set_xmit_timer). Returns whether RACK armed the reorder timer.
 * Model: only the SACK flavour (tcp_sack = 1); no undo (D-SACK / timestamps), no F-RTO.
 */
export function tcp_fastretrans_alert(ctx: SimContext, s: number, sacked: boolean, acked: boolean): boolean {
  const L = ctx.loss;
  const x = L.ensure(ctx.sock, s);
  const sk = ctx.sock;
  if (L.ca_state[x] === CA_RECOVERY && sk.snd_una[s] >= L.high_seq[x]) L.ca_state[x] = CA_OPEN;
  let reo_armed = false;
  if (sacked || (acked && L.sacked_out[x] + L.lost_out[x] + L.retrans_out[x] > 0)) reo_armed = tcp_rack_mark_lost(ctx, s);
  tcp_enter_recovery(ctx, s);
  return reo_armed;
}

/** Kernel: net/ipv4/tcp_input.c `tcp_enter_recovery` (from tcp_fastretrans_alert / tcp_rack_reo_timeout). */
function tcp_enter_recovery(ctx: SimContext, s: number): void {
  const L = ctx.loss;
  const x = L.ensure(ctx.sock, s);
  const sk = ctx.sock;
  if (L.lost_out[x] > 0 && L.ca_state[x] === CA_OPEN) {
    L.ca_state[x] = CA_RECOVERY;
    L.high_seq[x] = sk.snd_nxt[s];
    ctx.counters[C_SackRecovery] += ctx.conn_weight[s >> 1];
  }
}

/**
 * The reorder timer fired. Kernel: net/ipv4/tcp_recovery.c `tcp_rack_reo_timeout`: detect losses again (no
 * new reorder timer from here); if packets in flight changed, enter Recovery (if not in it) and retransmit;
 * then, unless the retransmission re-armed a plain RTO, `tcp_rearm_rto` (icsk_pending is still REO_TIMEOUT,
 * so it re-arms for what is left of the head's RTO).
 */
export function tcp_rack_reo_timeout(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const prior_inflight = tcp_packets_in_flight(ctx, s);
  tcp_rack_detect_loss(ctx, s);
  if (prior_inflight !== tcp_packets_in_flight(ctx, s)) {
    tcp_enter_recovery(ctx, s);
    tcp_xmit_retransmit_queue(ctx, s);
  }
  const pending_retrans = (sk.flags[s] & (F_RTO | F_TLP | F_REO)) === F_RTO;
  if (!pending_retrans) tcp_rearm_rto(ctx, s);
}

/**
 * Forgets all SACK / lost / retransmitted marks (RTO go-back-N in tcp_retransmit_timer).
 * Kernel: net/ipv4/tcp_input.c `tcp_enter_loss` clears the marks only when the receiver reneged.
 */
export function tcp_clear_loss_state(ctx: SimContext, s: number): void {
  const L = ctx.loss;
  const x = L.slot(ctx.sock, s);
  if (x < 0) return;
  const sk = ctx.sock;
  const k = ctx.skb;
  if (L.sacked_out[x] + L.lost_out[x] + L.retrans_out[x] === 0 && L.ca_state[x] === CA_OPEN) return;
  for (let skb = sk.wq_head[s]; skb >= 0; skb = k.next[skb]) k.flags[skb] &= ~(SKB_SACKED | SKB_LOST | SKB_SACKED_RETRANS);
  L.sacked_out[x] = 0;
  L.lost_out[x] = 0;
  L.retrans_out[x] = 0;
  L.ca_state[x] = CA_OPEN;
}
