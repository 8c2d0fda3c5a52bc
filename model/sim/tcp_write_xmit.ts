import type { SimContext } from './sim_context';
import { EV_DELIVER, EV_PROBE, EV_RTO, EV_ZWP } from './sim_context';
import { F_NODELAY, F_PROBE, F_REO, F_RTO, F_TLP } from './socket_table';
import { SKB_EVER_RETRANS } from './skb_pool';
import { sk_forced_mem_schedule } from './mem_pool';
import { tcp_current_mss, tcp_tso_segs } from './tcp_xmit_size_goal';
import { tcp_grow_skb } from './tcp_grow_skb';
import { C_OrigDataSent } from './counters';
import { TCP_RTO_MAX_US, jiffy_us, usecs_to_jiffies } from './tcp_rtt_estimator';
import { tcp_rto_delta_us, tcp_schedule_loss_probe } from './tcp_schedule_loss_probe';
import { link_drops_segment } from './link_loss';
import { tcp_packets_in_flight } from './tcp_packets_in_flight';
import { tcp_clear_loss_state } from './tcp_rack';

/**
 * Kernel: net/ipv4/tcp_output.c `tcp_nagle_check` with Minshall's rule: a partial (sub-mss)
 * segment is held when Nagle is on, data is in flight and a previously sent small segment is unacked.
 * Model: TCP_CORK/MSG_MORE not modelled.
 */
export function tcp_nagle_check(ctx: SimContext, s: number, partial: boolean, push_forced: boolean): boolean {
  if (!partial || push_forced) return false;
  const sk = ctx.sock;
  if (sk.flags[s] & F_NODELAY) return false;
  return sk.packets_out[s] > 0 && sk.snd_sml[s] > sk.snd_una[s];
}

/**
 * Kernel: net/ipv4/tcp_output.c `tso_fragment` / `tcp_fragment`: a second skb is allocated
 * with the empty-skb truesize, force-charged (w += base), and the payload beyond `limit` moves to it with
 * its truesize.
 * Model: the frags are shared out in proportion to the bytes (at least one each).
 */
export function tso_fragment(ctx: SimContext, s: number, skb: number, limit: number): number {
  const k = ctx.skb;
  const sk = ctx.sock;
  const nlen = k.len[skb] - limit;
  const base = ctx.tx_base_truesize;
  sk_forced_mem_schedule(ctx, s, base);
  const frags = k.nr_frags[skb];
  const old_frags = Math.max(1, Math.min(frags, Math.round((frags * limit) / k.len[skb])));
  const buff = k.alloc(k.seq[skb] + limit, nlen, base + nlen, Math.max(1, frags - old_frags + 1), 0);
  k.frag_page[buff] = k.frag_page[skb]; // the original's last frag moves to buff (tcp_sendmsg.ts, R-2.5)
  sk.w[s] += base;
  sk.f[s] -= base;
  k.len[skb] = limit;
  k.truesize[skb] -= nlen;
  k.nr_frags[skb] = old_frags;
  k.next[buff] = k.next[skb];
  k.next[skb] = buff;
  if (sk.wq_tail[s] === skb) sk.wq_tail[s] = buff;
  return buff;
}

/**
 * Kernel: tcp_output.c `tcp_mss_split_point`: how much of a TSO skb may go now: whole mss
 * multiples that fit the receive window, the remainder only if Nagle allows.
 */
function tcp_mss_split_point(ctx: SimContext, s: number, skb: number, mss_now: number, max_segs: number, push_forced: boolean): number {
  const k = ctx.skb;
  const sk = ctx.sock;
  const window = sk.snd_una[s] + sk.snd_wnd[s] - k.seq[skb];
  const max_len = mss_now * max_segs;
  if (max_len <= window && skb !== sk.wq_tail[s]) return max_len;
  const needed = Math.min(k.len[skb], window);
  if (max_len <= needed) return max_len;
  const partial = needed % mss_now;
  if (tcp_nagle_check(ctx, s, partial !== 0, push_forced)) return needed - partial;
  return needed;
}

/** When a segment of `len` bytes sent by socket s now reaches the peer (lo/veth: now + netem delay; NIC: serialized). */
export function link_arrival_ns(ctx: SimContext, s: number, len: number, pcount: number): number {
  let at = ctx.now_ns;
  if (ctx.link.kind === 'nic') {
    const dir = s & 1;
    const start = Math.max(at, ctx.link_busy_ns[dir]);
    const wire_bytes = len + pcount * 52;
    const end = ctx.link.bandwidth_bits_per_s > 0 ? start + Math.ceil((wire_bytes * 8 * 1e9) / ctx.link.bandwidth_bits_per_s) : start;
    ctx.link_busy_ns[dir] = end;
    at = end + ctx.link.one_way_ns;
  } else {
    // netem on lo/veth delays the data too (one_way_ns = netem_delay_ms; 0 without netem)
    at += ctx.link.one_way_ns;
  }
  return at;
}

/**
 * The wire part of a transmission (originals, RACK retransmissions, loss-probe copies): stamps the skb's send
 * time (skb_mstamp_ns: RTT samples, RACK), asks the link whether it loses this data segment (link_loss.ts)
 * and otherwise delivers `tx` to the peer: at once on lo/veth, after serialization and rtt/2 on a NIC.
 * Returns false when the link dropped it.
 */
export function tcp_link_xmit(ctx: SimContext, s: number, tx: number, len: number, pcount: number): boolean {
  ctx.skb.tstamp_ns[tx] = ctx.now_ns;
  // every transmission (original, RACK retransmission, loss-probe copy) echoes the sender's ts_recent
  ctx.skb.tsecr_ms[tx] = ctx.sock.ts_recent_ms[s];
  const at = link_arrival_ns(ctx, s, len, pcount);
  const loss = ctx.scenario.kernel.loss;
  if (loss && len > 0 && link_drops_segment(ctx, s, loss)) return false;
  ctx.heap.push(at, EV_DELIVER, s ^ 1, tx);
  return true;
}

/**
 * Puts a transmitted skb on the wire: the peer receives it (now on lo/veth, later on a NIC).
 * Kernel: tcp_output.c `tcp_transmit_skb` (skb_mstamp_ns = now) and `tcp_event_new_data_sent`: the RTO
 * is (re)armed when nothing was in flight or a loss probe is pending.
 * `defer_rearm`: the caller (tcp_write_xmit) re-arms once after its loop, at the same instant, and only if it
 * cannot schedule a loss probe instead (which would replace the RTO at once): one timer event instead of two.
 * Returns whether the RTO needed re-arming.
 */
export function tcp_transmit_skb(ctx: SimContext, s: number, skb: number, mss_now: number, defer_rearm = false): boolean {
  const k = ctx.skb;
  const sk = ctx.sock;
  const len = k.len[skb];
  const pcount = Math.max(1, Math.ceil(len / mss_now));
  k.pcount[skb] = pcount;
  k.tstamp_ns[skb] = ctx.now_ns;
  const need_rearm = sk.packets_out[s] === 0 || (sk.flags[s] & F_TLP) !== 0;
  sk.packets_out[s] += pcount;
  if (need_rearm && !defer_rearm) tcp_rearm_rto(ctx, s);
  sk.snd_nxt[s] = k.seq[skb] + len;
  if (len < mss_now) sk.snd_sml[s] = k.seq[skb] + len;
  sk.wq_send[s] = k.next[skb];
  ctx.counters[C_OrigDataSent] += pcount * ctx.conn_weight[s >> 1];
  tcp_link_xmit(ctx, s, skb, len, pcount);
  return need_rearm;
}

/**
 * Kernel: net/ipv4/tcp_output.c `tcp_write_xmit` (R-2.13..2.16): send unsent skbs while cwnd and the
 * receive window allow; split TSO skbs at the window; hold a small tail by Nagle; arm the persist timer
 * when the window blocks and nothing is in flight (`tcp_check_probe_timer`).
 * Each round first grows the send head from the next skb up to min(cwnd quota, tcp_tso_segs) × mss when the
 * profile says the kernel does (`tcp_grow_skb`, 6.10+); that quota also bounds the TSO split point.
 * When something was sent (and this is not the loss probe itself, push_one = 2) a tail loss probe is
 * scheduled (`tcp_schedule_loss_probe`, R-5.14). push_one = 2: one skb, Nagle off, even with cwnd full.
 * Model: TSQ and autocorking never hold on lo/veth because t ≈ 0 there (R-2.15, R-2.16: clones are
 * orphaned or consumed at once); pacing and tcp_tso_should_defer are not modelled.
 */
export function tcp_write_xmit(ctx: SimContext, s: number, push_forced: boolean, push_one = 0): void {
  const k = ctx.skb;
  const sk = ctx.sock;
  let skb = sk.wq_send[s];
  let sent = 0;
  let need_rearm = false;
  if (push_one === 2) push_forced = true;
  while (skb >= 0) {
    const mss_now = tcp_current_mss(ctx, s);
    let cwnd_quota = sk.cwnd[s] - tcp_packets_in_flight(ctx, s);
    if (cwnd_quota <= 0) {
      if (push_one !== 2) break;
      cwnd_quota = 1;
    }
    // wp-c: cwnd_quota = min(cwnd_quota, max_segs); grow the head from the next skb (6.10+, tcp_grow_skb)
    const quota = Math.min(cwnd_quota, tcp_tso_segs(ctx, mss_now));
    if (ctx.p.tcp_grow_skb === true && quota * mss_now > k.len[skb]) tcp_grow_skb(ctx, s, skb, quota * mss_now - k.len[skb]);
    const wnd_end = sk.snd_una[s] + sk.snd_wnd[s];
    const len = k.len[skb];
    const first_end = k.seq[skb] + Math.min(len, mss_now);
    if (first_end > wnd_end) break;
    if (len <= mss_now) {
      if (skb === sk.wq_tail[s] && tcp_nagle_check(ctx, s, len < mss_now, push_forced)) break;
    } else {
      const limit = tcp_mss_split_point(ctx, s, skb, mss_now, quota, push_forced);
      if (limit <= 0) break;
      if (limit < len) tso_fragment(ctx, s, skb, limit);
    }
    if (tcp_transmit_skb(ctx, s, skb, mss_now, true)) need_rearm = true;
    sent++;
    if (push_one) break;
    skb = sk.wq_send[s];
  }
  if (!(sent > 0 && push_one !== 2 && tcp_schedule_loss_probe(ctx, s, false)) && need_rearm) tcp_rearm_rto(ctx, s);
  tcp_check_probe_timer(ctx, s);
}

/**
 * Kernel: net/ipv4/tcp_output.c `tcp_check_probe_timer` / tcp_timer.c `tcp_probe_timer`:
 * with unsent data, nothing in flight and a window too small, probe after max(RTO, 200 ms) × 2^backoff.
 */
export function tcp_check_probe_timer(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  if (sk.wq_send[s] >= 0 && sk.packets_out[s] === 0) {
    if (!(sk.flags[s] & F_PROBE)) {
      sk.flags[s] |= F_PROBE;
      const when_ms = Math.min(ctx.link.rto_ms * 2 ** sk.probe_backoff[s], 120_000);
      const due_ns = ctx.now_ns + Math.round(when_ms * 1e6);
      sk.probe_due_ns[s] = due_ns;
      ctx.heap.push(due_ns, EV_PROBE, s, due_ns);
    }
  } else if (sk.flags[s] & F_PROBE) {
    // the event stays queued; the handler sees the flag cleared (or another due time) and does nothing
    sk.flags[s] &= ~F_PROBE;
    sk.probe_backoff[s] = 0;
  }
}

/**
 * The persist timer fired.
 * Kernel: net/ipv4/tcp_timer.c `tcp_probe_timer` → tcp_output.c `tcp_send_probe0` / `tcp_write_wakeup`
 * if part of the window is open, send what fits (splitting the head skb); otherwise send a
 * zero-window probe (an old sequence number: the receiver drops it, counts it in `d`, and answers with
 * its current window) and back off exponentially (≤ 120 s).
 */
export function tcp_send_probe0(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const k = ctx.skb;
  const skb = sk.wq_send[s];
  if (sk.packets_out[s] > 0 || skb < 0) {
    sk.probe_backoff[s] = 0;
    return;
  }
  const seg = sk.snd_una[s] + sk.snd_wnd[s] - k.seq[skb];
  if (seg > 0) {
    const mss_now = tcp_current_mss(ctx, s);
    const limit = Math.min(seg, mss_now);
    if (k.len[skb] > limit) tso_fragment(ctx, s, skb, limit);
    tcp_transmit_skb(ctx, s, skb, mss_now);
    sk.probe_backoff[s] = 0;
    return;
  }
  ctx.heap.push(ctx.now_ns + ctx.link.one_way_ns, EV_ZWP, s ^ 1, 0);
  if (sk.probe_backoff[s] < 15) sk.probe_backoff[s] += 1;
  tcp_check_probe_timer(ctx, s);
}

/** icsk_pending of the retransmission timer, as the socket flag that marks it (0 = ICSK_TIME_RETRANS). */
export type XmitTimerKind = 0 | typeof F_TLP | typeof F_REO;

/**
 * Kernel: include/net/inet_connection_sock.h `inet_csk_reset_xmit_timer` (via tcp_reset_xmit_timer):
 * the one retransmission timer of the socket, armed as ICSK_TIME_RETRANS (`kind` 0), ICSK_TIME_LOSS_PROBE
 * (F_TLP) or ICSK_TIME_REO_TIMEOUT (F_REO, tcp_rack_mark_lost), at most TCP_RTO_MAX ahead: arming one kind
 * replaces whichever was pending.
 * Model: F_RTO = armed, F_TLP / F_REO = the pending kind; the event is cancelled lazily (due time).
 */
export function tcp_reset_xmit_timer(ctx: SimContext, s: number, when_us: number, kind: XmitTimerKind): void {
  const sk = ctx.sock;
  const due_ns = ctx.now_ns + Math.round(Math.min(when_us, TCP_RTO_MAX_US) * 1000);
  sk.flags[s] = (sk.flags[s] & ~(F_TLP | F_REO)) | F_RTO | kind;
  sk.rto_due_ns[s] = due_ns;
  ctx.heap.push(due_ns, EV_RTO, s, due_ns);
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_rearm_rto`: with nothing in flight the timer is cleared;
 * otherwise the RTO is armed for icsk_rto (× 2^backoff, ≤ 120 s), or, when a loss probe or the reorder timer
 * was pending, for what is left of the head's RTO (`tcp_rto_delta_us`, at least 1 µs → 1 jiffy).
 * Model: icsk_rto comes from the RTT estimator (tcp_rtt_estimator.ts; 200 ms + srtt on lo/veth).
 */
export function tcp_rearm_rto(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  if (sk.packets_out[s] === 0) {
    sk.flags[s] &= ~(F_RTO | F_TLP | F_REO);
    return;
  }
  let rto_us = tcp_icsk_rto_us(ctx, s);
  if (sk.flags[s] & (F_TLP | F_REO)) rto_us = usecs_to_jiffies(ctx, Math.max(tcp_rto_delta_us(ctx, s), 1)) * jiffy_us(ctx);
  tcp_reset_xmit_timer(ctx, s, rto_us, 0);
}

/** icsk->icsk_rto as the kernel holds it after backoff: the estimator's RTO × 2^backoff, at most TCP_RTO_MAX (µs). */
export function tcp_icsk_rto_us(ctx: SimContext, s: number): number {
  return Math.min(ctx.sock.rto_us[s] * 2 ** ctx.sock.probe_backoff[s], TCP_RTO_MAX_US);
}

/**
 * The retransmission timer fired (only after a drop: the links modelled lose nothing otherwise).
 * Kernel: net/ipv4/tcp_timer.c `tcp_retransmit_timer` → `tcp_enter_loss` + `tcp_retransmit_skb`: all
 * in-flight data is marked lost and resent; with a zero send window the head is resent anyway (it acts as
 * a probe).
 * Model: go-back-N from snd_una, cwnd back to 1, backoff doubled. SACK marks are forgotten
 * (tcp_clear_loss_state): SACKed skbs are resent too and dropped by the receiver as duplicates, where the
 * kernel (tcp_enter_loss) keeps them unless the receiver reneged (pruned its OFO queue).
 */
export function tcp_retransmit_timer(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const k = ctx.skb;
  if (sk.packets_out[s] === 0) return;
  // tcp_enter_loss: the SACK/RACK marks go (model: all of them, tcp_rack.ts); everything in flight will be sent
  // again (TCPCB_EVER_RETRANS: Karn, no RTT sample)
  tcp_clear_loss_state(ctx, s);
  for (let skb = sk.wq_head[s]; skb >= 0 && skb !== sk.wq_send[s]; skb = k.next[skb]) k.flags[skb] |= SKB_EVER_RETRANS;
  sk.wq_send[s] = sk.wq_head[s];
  sk.snd_nxt[s] = sk.snd_una[s];
  sk.packets_out[s] = 0;
  sk.cwnd[s] = 1;
  if (sk.probe_backoff[s] < 15) sk.probe_backoff[s] += 1;
  const head = sk.wq_send[s];
  if (head >= 0 && sk.snd_una[s] + sk.snd_wnd[s] < k.seq[head] + Math.min(k.len[head], tcp_current_mss(ctx, s))) {
    // window closed: resend the head regardless (it is dropped as beyond the window and re-ACKed)
    const mss_now = tcp_current_mss(ctx, s);
    if (k.len[head] > mss_now) tso_fragment(ctx, s, head, mss_now);
    tcp_transmit_skb(ctx, s, head, mss_now);
  } else {
    tcp_write_xmit(ctx, s, true);
  }
}
