import type { SimContext } from './sim_context';
import { weighted_frag_decision } from './weighted_task_frag';
import { SKB_EVER_RETRANS, SKB_LOST, SKB_SACKED, SKB_SACKED_RETRANS } from './skb_pool';
import { tcp_rack_advance } from './tcp_rack';
import { tcp_current_mss } from './tcp_xmit_size_goal';
import { sk_mem_uncharge } from './mem_pool';
import { C_SackMerged } from './counters';

/**
 * Marks the sender's rtx skbs the receiver holds in its OFO queue as SACKed; returns true when any skb
 * was newly SACKed (RACK then has a newer delivered skb, `tp->rack.advanced`).
 *
 * Kernel: net/ipv4/tcp_input.c `tcp_sacktag_write_queue` → `tcp_sacktag_walk` → `tcp_sacktag_one`:
 * TCPCB_SACKED_ACKED, sacked_out += pcount; a skb marked lost leaves lost_out, a retransmitted one
 * retrans_out; `tcp_rack_advance` with its send time. SACKed skbs stay on the rtx queue, and so in w
 * (sk_wmem_queued, R-2.10), until the cumulative ACK passes them (tcp_ack.ts).
 * Model: the SACK blocks are the peer's OFO ranges when the ACK is processed (lo/veth: the same instant as
 * sent; on a NIC up to one-way delay fresher than the ACK), all of them rather than the 3 an ACK with
 * timestamps carries; only skbs wholly inside a range are SACKed (the kernel splits an skb at an mss
 * boundary, `tcp_match_skb_to_sack`). A SACKed skb that continues a SACKed one is merged into it
 * (`tcp_shift_skb_data`, below).
 */
export function tcp_sacktag_write_queue(ctx: SimContext, s: number): boolean {
  const L = ctx.loss;
  const x = L.ensure(ctx.sock, s);
  const sk = ctx.sock;
  const k = ctx.skb;
  const py = L.slot(ctx.sock, s ^ 1);
  let o = py >= 0 ? L.ofo_head[py] : -1;
  if (o < 0) return false;
  let a = 0;
  let b = 0;
  const next_range = (): void => {
    if (o < 0) {
      a = b = Infinity;
      return;
    }
    a = k.seq[o];
    b = a + k.len[o];
    o = k.next[o];
    while (o >= 0 && k.seq[o] <= b) {
      b = Math.max(b, k.seq[o] + k.len[o]);
      o = k.next[o];
    }
  };
  next_range();
  let newly = false;
  let prev = -1;
  for (let skb = sk.wq_head[s]; skb >= 0 && skb !== sk.wq_send[s]; prev = skb, skb = k.next[skb]) {
    const start = k.seq[skb];
    const end = start + k.len[skb];
    while (b <= start) next_range();
    if (a === Infinity) break;
    const f = k.flags[skb];
    if (f & SKB_SACKED || start < a || end > b) continue;
    const pcount = k.pcount[skb];
    if (f & SKB_LOST) L.lost_out[x] -= pcount;
    if (f & SKB_SACKED_RETRANS) L.retrans_out[x] -= pcount;
    tcp_rack_advance(ctx, s, skb);
    k.flags[skb] = (f & ~(SKB_LOST | SKB_SACKED_RETRANS)) | SKB_SACKED;
    L.sacked_out[x] += pcount;
    newly = true;
    if (prev >= 0 && tcp_shift_skb_data(ctx, s, prev, skb)) skb = prev;
  }
  return newly;
}

/**
 * Merges a newly SACKed skb into the SACKed skb before it; returns true when it did.
 * Kernel: net/ipv4/tcp_input.c `tcp_shift_skb_data` → `tcp_skb_shift` (`skb_shift`) → `tcp_shifted_skb`: the
 * previous skb must carry exactly the SACKed tag (not lost, not retransmitted), end where this one starts, and
 * have the same segment length (`tcp_skb_seglen`); the frags (and their truesize, = the payload bytes) move to
 * it, pcount follows, and the emptied skb is unlinked and freed (TCPSackMerged): w loses its empty truesize
 * (832 on the 6.18 reference, R-2.10) and, on lo/veth, the receiver's OFO copy of it stops being a clone.
 * Model: the frag limit is prev + this ≤ MAX_SKB_FRAGS (adjacent page-frag pieces, which skb_shift joins into
 * one frag, are not tracked); a partial shift (TCPSackShifted) does not occur because only whole skbs are SACKed.
 */
function tcp_shift_skb_data(ctx: SimContext, s: number, prev: number, skb: number): boolean {
  const sk = ctx.sock;
  const k = ctx.skb;
  if ((k.flags[prev] & (SKB_SACKED | SKB_LOST | SKB_SACKED_RETRANS)) !== SKB_SACKED) return false;
  if (k.seq[prev] + k.len[prev] !== k.seq[skb]) return false;
  // tcp_skb_seglen: len for one segment, else gso_size (the mss at transmit; after a merge, the merged
  // segments' length, which tcp_shifted_skb sets): len / pcount when that divides evenly, else the mss now
  const mss = tcp_current_mss(ctx, s);
  const seglen = (i: number): number => (k.pcount[i] === 1 ? k.len[i] : k.len[i] % k.pcount[i] === 0 ? k.len[i] / k.pcount[i] : mss);
  if (seglen(prev) !== seglen(skb)) return false;
  weighted_frag_decision(ctx, s);
  if (k.nr_frags[prev] + k.nr_frags[skb] > ctx.p.struct.max_skb_frags) return false;
  const moved = k.len[skb];
  const freed = k.truesize[skb] - moved;
  k.len[prev] += moved;
  k.truesize[prev] += moved;
  k.pcount[prev] += k.pcount[skb];
  k.nr_frags[prev] += k.nr_frags[skb];
  k.flags[prev] |= k.flags[skb] & SKB_EVER_RETRANS; // tcp_shifted_skb keeps TCPCB_EVER_RETRANS
  k.next[prev] = k.next[skb];
  if (sk.wq_tail[s] === skb) sk.wq_tail[s] = prev;
  sk.w[s] -= freed;
  k.free(skb);
  sk_mem_uncharge(ctx, s, freed);
  ctx.counters[C_SackMerged] += ctx.conn_weight[s >> 1];
  return true;
}
