/**
 * Per-socket TCP state as a struct of arrays: socket i of connection c is 2c (client) or 2c + 1
 * (server); its peer is i ^ 1. Sequence numbers are byte offsets from the connection's start (ISN = 0),
 * held in Float64 so they never wrap.
 *
 * Kernel: the struct sock / tcp_sock / inet_connection_sock fields that change the memory numbers
 * (R-2.x, R-3.x, R-5.x, R-6.2), named as in the kernel.
 * Model: one array per field; queues are lists of SkbPool indices: the receive queue (rq_*), and the
 * write queue with the rtx part first (wq_head … up to wq_send, not yet acked) then the unsent part
 * (wq_send … wq_tail).
 */
export const F_RCVBUF_LOCK = 1 << 0;
export const F_SNDBUF_LOCK = 1 << 1;
export const F_NODELAY = 1 << 2;
/** ICSK_ACK_NOMEM: advertise a zero window on the next ACK (R-4.15, 6.18). */
export const F_ACK_NOMEM = 1 << 3;
/** SOCK_NOSPACE: the writer waits for send space. */
export const F_NOSPACE = 1 << 4;
/** ICSK_ACK_TIMER: a delayed ACK is scheduled. */
export const F_DELACK = 1 << 5;
/** ICSK_TIME_PROBE0 armed (persist timer, R-5.14). */
export const F_PROBE = 1 << 6;
/** The socket belongs to the scenario's memory cgroup. */
export const F_MEMCG = 1 << 7;
/** icsk_ack.ato set: first data seen. */
export const F_ATO = 1 << 8;
/** 1 << 9: free (was F_RTT; the receiver RTT estimate is rcv_rtt_est_us now). */
/** ICSK_ACK_PUSHED / PUSHED2: small segments seen since the last ACK. */
export const F_PUSHED = 1 << 10;
export const F_PUSHED2 = 1 << 11;
/** A reader wake-up event is already queued. */
export const F_READ_QUEUED = 1 << 12;
/** ICSK_ACK_NOW: ACK at once. */
export const F_ACK_NOW = 1 << 13;
/** ICSK_TIME_RETRANS armed. */
export const F_RTO = 1 << 14;
/** icsk_pending == ICSK_TIME_LOSS_PROBE: the armed retransmission timer (F_RTO) is a tail loss probe. */
export const F_TLP = 1 << 15;
/**
 * icsk_pending == ICSK_TIME_REO_TIMEOUT: the retransmission timer is RACK's reorder timer (tcp_rack.ts). Kept
 * while its handler runs (the kernel clears icsk_pending only for RETRANS), so tcp_rearm_rto re-arms from the
 * head's remaining RTO.
 */
export const F_REO = 1 << 16;

export class SocketTable {
  readonly n: number;
  // sequence space (bytes since the start of the connection)
  rcv_nxt: Float64Array;
  copied_seq: Float64Array;
  rcv_wup: Float64Array;
  write_seq: Float64Array;
  snd_nxt: Float64Array;
  snd_una: Float64Array;
  snd_sml: Float64Array;
  rcvq_seq: Float64Array;
  // times (ms of simulated time; *_due_ns in ns)
  lrcvtime_ms: Float64Array;
  rcvq_time_ms: Float64Array;
  delack_due_ns: Float64Array;
  probe_due_ns: Float64Array;
  rto_due_ns: Float64Array;
  // memory (ss -m fields)
  r: Int32Array;
  f: Int32Array;
  w: Int32Array;
  rb: Int32Array;
  tb: Int32Array;
  d: Int32Array;
  // windows
  rcv_wnd: Int32Array;
  rcv_ssthresh: Int32Array;
  window_clamp: Int32Array;
  snd_wnd: Int32Array;
  max_window: Int32Array;
  rcvq_space: Int32Array;
  rcv_mss: Int32Array;
  cwnd: Int32Array;
  packets_out: Int32Array;
  // queues
  rq_head: Int32Array;
  rq_tail: Int32Array;
  wq_head: Int32Array;
  wq_send: Int32Array;
  wq_tail: Int32Array;
  // small fields
  /** F_* bits (17 of 32 used: Uint32 since F_REO joined F_TLP). */
  flags: Uint32Array;
  quick: Uint8Array;
  ratio: Uint8Array;
  rcv_wscale: Uint8Array;
  snd_wscale: Uint8Array;
  probe_backoff: Uint8Array;
  // socket lock and backlog: owned by the reader inside recvmsg; sk_backlog as a list of SkbPool
  // entries (bl_head … bl_tail) and its length in bytes (`bl`, sk_backlog.len, the ss -m bl column)
  owned: Uint8Array;
  bl: Int32Array;
  bl_head: Int32Array;
  bl_tail: Int32Array;
  // RTT estimator and tail loss probe (tcp_rtt_estimator, tcp_set_rto, tcp_schedule_loss_probe)
  /** tp->srtt_us: smoothed RTT × 8, in µs (0 = no sample). */
  srtt_us: Int32Array;
  /** tp->mdev_us, mdev_max_us, rttvar_us (µs). */
  mdev_us: Int32Array;
  mdev_max_us: Int32Array;
  rttvar_us: Int32Array;
  /** icsk->icsk_rto before backoff, in µs (a whole number of jiffies). */
  rto_us: Int32Array;
  /** tp->rtt_seq: snd_nxt when rttvar was last updated. */
  rtt_seq: Float64Array;
  /** tp->tlp_high_seq: snd_nxt when the outstanding loss probe went out (0 = none). */
  tlp_high_seq: Float64Array;
  /**
   * The socket's slot in ctx.loss (loss_table.ts: OFO queue, SACK/RACK state), −1 = none: an index, not an
   * skb, so it moves between hot and cold with the connection (conn_store.ts).
   */
  loss_slot: Int32Array;
  // receiver RTT estimate from timestamps (tcp_rcv_rtt.ts, R-5.17): DRS runs at most once per rcv_rtt_est
  /** tp->rx_opt.ts_recent: the peer's latest TSval (ms clock), echoed as TSecr on what this socket sends. */
  ts_recent_ms: Float64Array;
  /** tp->rcv_rtt_last_tsecr: the TSecr of the last data segment that was considered for a sample. */
  rcv_rtt_last_tsecr_ms: Float64Array;
  /** tp->rcv_rtt_est.rtt_us: receiver RTT × 8, in µs (0 = no estimate yet: DRS does not run). */
  rcv_rtt_est_us: Int32Array;
  /** tp->rcv_rtt_est.seq / .time: the per-window measurement (tcp_rcv_rtt_measure): when rcv_nxt reaches seq. */
  rcv_rtt_est_seq: Float64Array;
  rcv_rtt_est_time_us: Float64Array;

  constructor(n: number) {
    this.n = n;
    const f64 = () => new Float64Array(n);
    const i32 = () => new Int32Array(n);
    const u8 = () => new Uint8Array(n);
    this.rcv_nxt = f64();
    this.copied_seq = f64();
    this.rcv_wup = f64();
    this.write_seq = f64();
    this.snd_nxt = f64();
    this.snd_una = f64();
    this.snd_sml = f64();
    this.rcvq_seq = f64();
    this.lrcvtime_ms = f64();
    this.rcvq_time_ms = f64();
    this.delack_due_ns = f64();
    this.probe_due_ns = f64();
    this.rto_due_ns = f64();
    this.r = i32();
    this.f = i32();
    this.w = i32();
    this.rb = i32();
    this.tb = i32();
    this.d = i32();
    this.rcv_wnd = i32();
    this.rcv_ssthresh = i32();
    this.window_clamp = i32();
    this.snd_wnd = i32();
    this.max_window = i32();
    this.rcvq_space = i32();
    this.rcv_mss = i32();
    this.cwnd = i32();
    this.packets_out = i32();
    this.rq_head = i32().fill(-1);
    this.rq_tail = i32().fill(-1);
    this.wq_head = i32().fill(-1);
    this.wq_send = i32().fill(-1);
    this.wq_tail = i32().fill(-1);
    this.flags = new Uint32Array(n);
    this.quick = u8();
    this.ratio = u8();
    this.rcv_wscale = u8();
    this.snd_wscale = u8();
    this.probe_backoff = u8();
    this.owned = u8();
    this.bl = i32();
    this.bl_head = i32().fill(-1);
    this.bl_tail = i32().fill(-1);
    this.srtt_us = i32();
    this.mdev_us = i32();
    this.mdev_max_us = i32();
    this.rttvar_us = i32();
    this.rto_us = i32();
    this.rtt_seq = f64();
    this.tlp_high_seq = f64();
    this.loss_slot = i32().fill(-1);
    this.ts_recent_ms = f64();
    this.rcv_rtt_last_tsecr_ms = f64();
    this.rcv_rtt_est_us = i32();
    this.rcv_rtt_est_seq = f64();
    this.rcv_rtt_est_time_us = f64();
  }

  /** Bytes of state per socket held in these arrays. */
  static bytes_per_socket(): number {
    return 19 * 8 + 30 * 4 + 4 + 6;
  }
}
