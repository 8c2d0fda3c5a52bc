import type { SimContext } from './sim_context';
import { EV_DELIVER } from './sim_context';
import { F_RTO, F_TLP } from './socket_table';
import { SKB_RETRANS, SKB_RTX_COPY } from './skb_pool';
import { C_LossProbes } from './counters';
import { TCP_RTO_MAX_US, TCP_TIMEOUT_MIN_US, jiffy_us, tcp_rto_min_us, usecs_to_jiffies } from './tcp_rtt_estimator';
import { tcp_current_mss } from './tcp_xmit_size_goal';
import { link_arrival_ns, tcp_rearm_rto, tcp_reset_xmit_timer, tcp_write_xmit, tso_fragment } from './tcp_write_xmit';

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_rto_delta_us`: how far in the future the RTO of the rtx queue head
 * is: head's transmit time + icsk_rto − now (µs; may be ≤ 0).
 */
export function tcp_rto_delta_us(ctx: SimContext, s: number): number {
  const sk = ctx.sock;
  const head = sk.wq_head[s];
  if (head < 0 || head === sk.wq_send[s]) return 0;
  const rto_us = Math.min(sk.rto_us[s] * 2 ** sk.probe_backoff[s], TCP_RTO_MAX_US);
  return Math.floor((ctx.skb.tstamp_ns[head] - ctx.now_ns) / 1000) + rto_us;
}

/**
 * The probe timeout (PTO) in jiffies.
 * Kernel: net/ipv4/tcp_output.c `tcp_schedule_loss_probe` (identical in 6.1 and 6.18): 2 × srtt, plus
 * tcp_rto_min_us (200 ms, "to account for delayed ack") when one packet is out, else TCP_TIMEOUT_MIN_US
 * (2 ms); usecs_to_jiffies rounds up; TCP_TIMEOUT_INIT (1 s) without an RTT sample; never later than the
 * RTO (icsk_rto when the RTO is being re-armed by an ACK, else the time left to the head's RTO).
 * On lo with srtt ≪ 1 ms and ≥ 2 packets out: ceil(2.0x ms / 4 ms) = 1 jiffy (4 ms at HZ 250).
 */
export function tcp_loss_probe_timeout_jiffies(ctx: SimContext, s: number, advancing_rto: boolean): number {
  const sk = ctx.sock;
  let timeout: number;
  if (sk.srtt_us[s] !== 0) {
    let timeout_us = sk.srtt_us[s] >> 2;
    timeout_us += sk.packets_out[s] === 1 ? tcp_rto_min_us(ctx) : TCP_TIMEOUT_MIN_US;
    timeout = usecs_to_jiffies(ctx, timeout_us);
  } else {
    timeout = ctx.p.hz; // TCP_TIMEOUT_INIT
  }
  const rto_delta_us = advancing_rto ? Math.min(sk.rto_us[s] * 2 ** sk.probe_backoff[s], TCP_RTO_MAX_US) : tcp_rto_delta_us(ctx, s);
  if (rto_delta_us > 0) timeout = Math.min(timeout, usecs_to_jiffies(ctx, rto_delta_us));
  return timeout;
}

/**
 * Kernel: net/ipv4/tcp_output.c `tcp_schedule_loss_probe`: called at the end of tcp_write_xmit
 * when it sent something (not for the probe itself, push_one = 2) and by tcp_ack → tcp_set_xmit_timer
 * after an ACK that acked data. Arms the retransmission timer as ICSK_TIME_LOSS_PROBE when data is in
 * flight, SACK is on (lo/veth: yes), tcp_early_retrans is 3 (default) and the connection is in the Open
 * (or CWR) state. Returns false when no probe was scheduled (the caller then re-arms the RTO).
 * Model: "not Open" = an RTO has fired and no ACK has advanced snd_una since (probe_backoff > 0); the
 * pacing delay tcp_reset_xmit_timer adds is 0 (no pacing model). Timers run for whole jiffies from now.
 */
export function tcp_schedule_loss_probe(ctx: SimContext, s: number, advancing_rto: boolean): boolean {
  const sk = ctx.sock;
  if (sk.packets_out[s] === 0 || sk.probe_backoff[s] > 0) return false;
  const timeout = tcp_loss_probe_timeout_jiffies(ctx, s, advancing_rto);
  tcp_reset_xmit_timer(ctx, s, Math.min(timeout * jiffy_us(ctx), TCP_RTO_MAX_US), true);
  return true;
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_set_xmit_timer`: after an ACK that acked data, a loss probe if one
 * can be scheduled, else the RTO (cleared when nothing is in flight).
 */
export function tcp_set_xmit_timer(ctx: SimContext, s: number): void {
  if (!tcp_schedule_loss_probe(ctx, s, true)) tcp_rearm_rto(ctx, s);
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_process_tlp_ack`: an ACK at or beyond tlp_high_seq ends the probe
 * episode (tlp_high_seq = 0): new data acked, a D-SACK for the duplicate, a pure dup-ACK, or (ACK beyond
 * it after a retransmission) a real loss, which the kernel counts in TCPLossProbeRecovery and answers with
 * a CWR cwnd reduction.
 * Model: only the episode end; TCPLossProbeRecovery is not counted (no capture records it, and on lo/veth
 * the receiver always has the original, so its D-SACK ends the episode as "no loss").
 */
export function tcp_process_tlp_ack(ctx: SimContext, s: number, ack_seq: number): void {
  const sk = ctx.sock;
  if (sk.tlp_high_seq[s] !== 0 && ack_seq >= sk.tlp_high_seq[s]) sk.tlp_high_seq[s] = 0;
}

/**
 * Kernel: `__tcp_retransmit_skb` → `tcp_transmit_skb` (clone_it): the skb goes out again as a fresh clone;
 * it is marked TCPCB_RETRANS (no RTT sample from it, Karn) and stamped with the new transmit time.
 * Model: the copy travels as a separate pool skb (SKB_RTX_COPY, not linked to the original) that the
 * delivery frees; packets_out, snd_nxt and TCPOrigDataSent do not change.
 */
export function tcp_retransmit_skb_copy(ctx: SimContext, s: number, skb: number, mss_now: number): void {
  const k = ctx.skb;
  const len = k.len[skb];
  const pcount = Math.max(1, Math.ceil(len / mss_now));
  const copy = k.alloc(k.seq[skb], len, k.truesize[skb], k.nr_frags[skb], SKB_RTX_COPY);
  k.flags[skb] |= SKB_RETRANS;
  k.tstamp_ns[skb] = ctx.now_ns;
  k.tsecr_ms[copy] = ctx.sock.ts_recent_ms[s];
  ctx.heap.push(link_arrival_ns(ctx, s, len, pcount), EV_DELIVER, s ^ 1, copy);
}

/**
 * The loss-probe timer fired.
 * Kernel: net/ipv4/tcp_output.c `tcp_send_loss_probe`: at most one probe per episode
 * (tlp_high_seq); if the send head fits the window, send it (tcp_write_xmit with push_one = 2: Nagle off,
 * one skb, even beyond cwnd); otherwise retransmit the last skb of the rtx queue, first cut to its last
 * mss (tcp_fragment) when it counts several. On success tlp_high_seq = snd_nxt and TCPLossProbes++.
 * Then `tcp_rearm_rto` (from now after a probe; else what is left of the head's RTO).
 * On lo/veth the receiver already has the original: it drops the duplicate (d++) and ACKs at once in
 * quick-ACK mode (tcp_data_queue → tcp_enter_quickack_mode, R-5.14, R-5.15).
 * Model: skb_still_in_host_queue is false on lo/veth (the clone is orphaned at xmit, R-2.16).
 */
export function tcp_send_loss_probe(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const k = ctx.skb;
  const mss = tcp_current_mss(ctx, s);
  let sent = false;
  if (sk.tlp_high_seq[s] === 0) {
    const head = sk.wq_send[s];
    if (head >= 0 && k.seq[head] + Math.min(k.len[head], mss) <= sk.snd_una[s] + sk.snd_wnd[s]) {
      const before = sk.packets_out[s];
      tcp_write_xmit(ctx, s, true, 2);
      sent = sk.packets_out[s] > before;
    } else {
      // last skb of the rtx queue
      let skb = sk.wq_head[s];
      if (skb < 0 || skb === sk.wq_send[s]) {
        sk.flags[s] &= ~(F_RTO | F_TLP);
        return;
      }
      while (k.next[skb] >= 0 && k.next[skb] !== sk.wq_send[s]) skb = k.next[skb];
      const pcount = k.pcount[skb];
      if (pcount > 1 && k.len[skb] > (pcount - 1) * mss) {
        const buff = tso_fragment(ctx, s, skb, (pcount - 1) * mss);
        k.pcount[skb] = pcount - 1;
        k.pcount[buff] = 1;
        k.tstamp_ns[buff] = k.tstamp_ns[skb];
        k.flags[buff] |= k.flags[skb] & SKB_RETRANS;
        skb = buff;
      }
      tcp_retransmit_skb_copy(ctx, s, skb, mss);
      sent = true;
    }
    if (sent) {
      sk.tlp_high_seq[s] = sk.snd_nxt[s];
      ctx.counters[C_LossProbes] += ctx.conn_weight[s >> 1];
      sk.flags[s] &= ~F_TLP; // icsk_pending = 0: the RTO restarts from now
    }
  }
  tcp_rearm_rto(ctx, s);
}
