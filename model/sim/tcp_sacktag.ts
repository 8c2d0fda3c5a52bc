import type { SimContext } from './sim_context';
import { SKB_LOST, SKB_RETRANS, SKB_SACKED } from './skb_pool';
import { tcp_rack_advance } from './tcp_rack';

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
 * boundary, `tcp_match_skb_to_sack`); `tcp_shift_skb_data` (merging SACKed skbs, TCPSackShifted/Merged,
 * which frees originals early and so un-clones the receiver's OFO copies, R-4.9) is not modelled.
 */
export function tcp_sacktag_write_queue(ctx: SimContext, s: number): boolean {
  const L = ctx.loss;
  const x = L.ensure(ctx.sock.flags, s);
  const sk = ctx.sock;
  const k = ctx.skb;
  const py = L.slot(s ^ 1);
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
  for (let skb = sk.wq_head[s]; skb >= 0 && skb !== sk.wq_send[s]; skb = k.next[skb]) {
    const start = k.seq[skb];
    const end = start + k.len[skb];
    while (b <= start) next_range();
    if (a === Infinity) break;
    const f = k.flags[skb];
    if (f & SKB_SACKED || start < a || end > b) continue;
    const pcount = k.pcount[skb];
    if (f & SKB_LOST) L.lost_out[x] -= pcount;
    if (f & SKB_RETRANS) L.retrans_out[x] -= pcount;
    tcp_rack_advance(ctx, s, skb);
    k.flags[skb] = (f & ~(SKB_LOST | SKB_RETRANS)) | SKB_SACKED;
    L.sacked_out[x] += pcount;
    newly = true;
  }
  return newly;
}
