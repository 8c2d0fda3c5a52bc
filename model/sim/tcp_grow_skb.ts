import type { SimContext } from './sim_context';
import { weighted_frag_decision } from './weighted_task_frag';
import { sk_mem_uncharge } from './mem_pool';
import { SKB_CLOSED } from './skb_pool';

/**
 * Moves up to `amount` payload bytes from the next unsent skb into the send head `skb` (6.10+).
 *
 * Kernel: net/ipv4/tcp_output.c `tcp_grow_skb`, called by `tcp_write_xmit` for the send head before the
 * window test with amount = min(cwnd quota, tcp_tso_segs) × mss − skb.len (commit 8ee602c63520 "tcp: try to
 * send bigger TSO packets", v6.10; profile `tcp_grow_skb`). `skb_shift` moves frags with their truesize
 * (`skb_len_add`: len and truesize move together, w is unchanged); a next skb left empty is unlinked and
 * freed (`tcp_wmem_free_skb`: w −= its 832-byte base, f += it, then reclaim). This is why, on the measured
 * 6.18 kernel, a window-blocked send head grows past size_goal up to tcp_tso_segs × mss (2 × mss on
 * loopback) while each write costs no new skb (R-2.1/R-2.2 then see a tail longer than size_goal: copy < 0,
 * and a new skb needs sk_stream_memory_free) — data/measurements/write-path-2026-12-04.json.
 * The reference file (linux-tcp-memory.md §2.1–2.4) does not list this step: R-2.2's "w may exceed sndbuf by up
 * to one skb filled to size_goal" and R-2.14's "the tail waits" hold only before 6.10; from 6.10 the blocked
 * head is not capped at size_goal.
 * Model: skbs sent before (pcount > 0) are left alone; the first moved frag always merges with the head's last one (the task page frag is contiguous);
 * frags move in proportion to the bytes; skb_shift refuses when the head would exceed MAX_SKB_FRAGS.
 */
export function tcp_grow_skb(ctx: SimContext, s: number, skb: number, amount: number): void {
  const k = ctx.skb;
  const sk = ctx.sock;
  if (skb === sk.wq_tail[s]) return; // tcp_skb_is_last
  const next = k.next[skb];
  if (next < 0) return;
  // Only never-sent skbs (pcount 0): after an RTO the model rewinds the send head over sent skbs (go-back-N);
  // the kernel retransmits those from the rtx queue, where tcp_grow_skb never runs.
  if (k.pcount[skb] > 0 || k.pcount[next] > 0) return;
  const nlen = Math.min(amount, k.len[next]);
  if (nlen <= 0) return;
  const whole = nlen === k.len[next];
  const moved = whole ? k.nr_frags[next] : Math.max(1, Math.min(k.nr_frags[next], Math.round((k.nr_frags[next] * nlen) / k.len[next])));
  weighted_frag_decision(ctx, s);
  const tgt_frags = k.nr_frags[skb] + moved - 1;
  if (tgt_frags > ctx.p.struct.max_skb_frags) return; // skb_shift fails: no free frag slot
  k.nr_frags[skb] = Math.max(1, tgt_frags);
  k.len[skb] += nlen;
  k.truesize[skb] += nlen;
  k.seq[next] += nlen;
  k.len[next] -= nlen;
  k.truesize[next] -= nlen;
  if (!whole) {
    // the frag split by the shift stays (partly) in next
    k.nr_frags[next] = Math.max(1, k.nr_frags[next] - moved + 1);
    return;
  }
  // tcp_eat_one_skb → tcp_unlink_write_queue + tcp_wmem_free_skb
  const ts = k.truesize[next];
  k.flags[skb] |= k.flags[next] & SKB_CLOSED; // tcp_flags (PSH) |= next's
  k.next[skb] = k.next[next];
  if (sk.wq_tail[s] === next) sk.wq_tail[s] = skb;
  k.free(next);
  sk.w[s] -= ts;
  sk_mem_uncharge(ctx, s, ts);
}
