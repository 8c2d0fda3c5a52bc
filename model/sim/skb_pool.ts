/**
 * All sk_buffs of a run in one struct-of-arrays pool with a free list: queues are singly linked lists
 * of pool indices, so queuing, coalescing and freeing allocate nothing once the pool has grown.
 *
 * Kernel: struct sk_buff fields the accounting needs: seq/end_seq (TCP_SKB_CB), len, truesize,
 * nr_frags (skb_shinfo), the cloned state (skb_cloned, R-3.4) and, for collapsed linear skbs, the
 * tailroom.
 * Model: `peer` links a loopback/veth receive clone and the sender's original: while both
 * exist the receive skb is cloned and cannot be coalesced into.
 */
export const SKB_CLONED = 1;
/** Linear skb built by tcp_collapse: small segments may be copied into its tailroom. */
export const SKB_LINEAR = 2;
/** Closed for appends by sendmsg (frag limit reached, R-2.5). */
export const SKB_CLOSED = 4;
/**
 * TCPCB_EVER_RETRANS: retransmitted at least once (RACK or TLP retransmission, RTO go-back-N); its ACK gives no
 * RTT sample (Karn, tcp_clean_rtx_queue) and RACK ignores a too-fast (s)ack of it (tcp_rack_advance). Every
 * SKB_SACKED_RETRANS skb also carries it, so it stands for the kernel's TCPCB_RETRANS test as well.
 */
export const SKB_EVER_RETRANS = 8;
/**
 * A retransmitted copy in flight to the peer (not on any queue); freed once delivered. Shares its bit with
 * tcp_add_backlog.ts BL_DATA: only skbs in flight carry this one, only backlog entries that one, and
 * deliver() frees the copy before a backlog entry is made.
 */
export const SKB_RTX_COPY = 16;
/** TCPCB_SACKED_ACKED: the receiver SACKed this rtx skb; it stays in w until cumulatively ACKed. */
export const SKB_SACKED = 32;
/** TCPCB_LOST: RACK marked it lost (tcp_mark_skb_lost). */
export const SKB_LOST = 64;
/** TCPCB_SACKED_RETRANS: retransmitted (tcp_retransmit_skb) and not yet (s)acked; counted in retrans_out. */
export const SKB_SACKED_RETRANS = 128;
/** A NIC build_skb skb waiting in the OFO queue (coalescing steals its head, R-4.6). */
export const SKB_NIC_HEAD = 256;

export class SkbPool {
  seq: Float64Array;
  len: Int32Array;
  truesize: Int32Array;
  next: Int32Array;
  peer: Int32Array;
  nr_frags: Uint8Array;
  /** SKB_* bits (9 used: Uint16 since the SACK/RACK marks joined the retransmission marks). */
  flags: Uint16Array;
  /** tcp_skb_pcount: segments this skb counts for in packets_out (set at transmit). */
  pcount: Int32Array;
  /** skb->skb_mstamp_ns: time of the last (re)transmission (ns), for RTT samples (tcp_clean_rtx_queue) and RACK. */
  tstamp_ns: Float64Array;
  /**
   * The TSecr option the segment carries (ms clock): the sender's ts_recent at transmit (tcp_established_options);
   * on a backlog data entry, the TSecr of what it holds. The receiver's RTT sample (tcp_rcv_rtt_measure_ts).
   */
  tsecr_ms: Float64Array;
  /** The number of the writer task's page frag page holding the last frag (a send skb; tcp_sendmsg.ts, R-2.5). */
  frag_page: Int32Array;
  private free_head = -1;
  private used = 0;
  live = 0;

  constructor(capacity = 1024) {
    this.seq = new Float64Array(capacity);
    this.len = new Int32Array(capacity);
    this.truesize = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.peer = new Int32Array(capacity);
    this.nr_frags = new Uint8Array(capacity);
    this.flags = new Uint16Array(capacity);
    this.pcount = new Int32Array(capacity);
    this.tstamp_ns = new Float64Array(capacity);
    this.tsecr_ms = new Float64Array(capacity);
    this.frag_page = new Int32Array(capacity);
  }

  bytes(): number {
    return this.seq.length * (3 * 8 + 6 * 4 + 1 + 2);
  }

  private grow(): void {
    const n = this.seq.length * 2;
    const s = new Float64Array(n);
    s.set(this.seq);
    this.seq = s;
    const ts = new Float64Array(n);
    ts.set(this.tstamp_ns);
    this.tstamp_ns = ts;
    const te = new Float64Array(n);
    te.set(this.tsecr_ms);
    this.tsecr_ms = te;
    for (const k of ['len', 'truesize', 'next', 'peer', 'pcount', 'frag_page'] as const) {
      const y = new Int32Array(n);
      y.set(this[k]);
      this[k] = y;
    }
    const nf = new Uint8Array(n);
    nf.set(this.nr_frags);
    this.nr_frags = nf;
    const fl = new Uint16Array(n);
    fl.set(this.flags);
    this.flags = fl;
  }

  alloc(seq: number, len: number, truesize: number, nr_frags: number, flags: number): number {
    let i: number;
    if (this.free_head >= 0) {
      i = this.free_head;
      this.free_head = this.next[i];
    } else {
      if (this.used === this.seq.length) this.grow();
      i = this.used++;
    }
    this.seq[i] = seq;
    this.len[i] = len;
    this.truesize[i] = truesize;
    this.nr_frags[i] = nr_frags;
    this.flags[i] = flags;
    this.next[i] = -1;
    this.peer[i] = -1;
    this.pcount[i] = 0;
    this.tstamp_ns[i] = 0;
    this.tsecr_ms[i] = 0;
    this.frag_page[i] = 0;
    this.live++;
    return i;
  }

  free(i: number): void {
    // break a clone link in either direction
    const p = this.peer[i];
    if (p >= 0) {
      this.peer[p] = -1;
      this.flags[p] &= ~SKB_CLONED;
    }
    this.peer[i] = -1;
    this.next[i] = this.free_head;
    this.free_head = i;
    this.live--;
  }
}
