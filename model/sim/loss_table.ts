import type { SocketTable } from './socket_table';

/**
 * Loss-recovery state, kept only for the sockets that ever needed it: a receiver with an OFO queue, a
 * sender with SACKed, lost or retransmitted skbs. A socket gets a slot the first time (and keeps it); the
 * socket's `loss_slot` (SocketTable, −1 = none) names it, so the paths every segment takes test one field,
 * the million-connection runs pay nothing per socket here, and the slot moves with its connection between
 * hot slots and cold templates like any SocketTable field (conn_store.ts; unique per socket, so a lossy
 * connection never shares a template).
 *
 * Kernel: the tcp_sock fields `out_of_order_queue` / `ooo_last_skb`, `sacked_out`, `lost_out`,
 * `retrans_out`, `rack` (mstamp, rtt_us, end_seq), `high_seq` and `icsk_ca_state` (the ICSK_TIME_REO_TIMEOUT
 * timer is the socket's retransmission timer with F_REO, tcp_write_xmit.ts `tcp_reset_xmit_timer`).
 * Model: the OFO queue is a list sorted by seq (head, tail = ooo_last_skb).
 */
export class LossTable {
  private used = 0;
  ofo_head: Int32Array;
  ofo_tail: Int32Array;
  sacked_out: Int32Array;
  lost_out: Int32Array;
  retrans_out: Int32Array;
  rack_mstamp_ns: Float64Array;
  rack_rtt_ns: Float64Array;
  rack_end_seq: Float64Array;
  high_seq: Float64Array;
  ca_state: Uint8Array;

  constructor(capacity = 16) {
    this.ofo_head = new Int32Array(capacity);
    this.ofo_tail = new Int32Array(capacity);
    this.sacked_out = new Int32Array(capacity);
    this.lost_out = new Int32Array(capacity);
    this.retrans_out = new Int32Array(capacity);
    this.rack_mstamp_ns = new Float64Array(capacity);
    this.rack_rtt_ns = new Float64Array(capacity);
    this.rack_end_seq = new Float64Array(capacity);
    this.high_seq = new Float64Array(capacity);
    this.ca_state = new Uint8Array(capacity);
  }

  /** The slot of (hot) socket s, or -1 when it has none. */
  slot(sk: SocketTable, s: number): number {
    return sk.loss_slot[s];
  }

  /** The slot of (hot) socket s, created (empty OFO queue, no marks, CA_OPEN) on first use. */
  ensure(sk: SocketTable, s: number): number {
    const x = sk.loss_slot[s];
    if (x >= 0) return x;
    if (this.used === this.ofo_head.length) this.grow();
    const y = this.used++;
    this.ofo_head[y] = -1;
    this.ofo_tail[y] = -1;
    sk.loss_slot[s] = y;
    return y;
  }

  bytes(): number {
    return this.ofo_head.length * (5 * 4 + 4 * 8 + 1);
  }

  private grow(): void {
    const n = this.ofo_head.length * 2;
    for (const k of ['ofo_head', 'ofo_tail', 'sacked_out', 'lost_out', 'retrans_out'] as const) {
      const a = new Int32Array(n);
      a.set(this[k]);
      this[k] = a;
    }
    for (const k of ['rack_mstamp_ns', 'rack_rtt_ns', 'rack_end_seq', 'high_seq'] as const) {
      const a = new Float64Array(n);
      a.set(this[k]);
      this[k] = a;
    }
    const c = new Uint8Array(n);
    c.set(this.ca_state);
    this.ca_state = c;
  }
}
