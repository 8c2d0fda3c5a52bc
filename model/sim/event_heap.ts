/**
 * The simulator's event queue, keyed by (time_ns, sequence): equal times pop in insertion order (the
 * sequence number), which makes runs deterministic and gives loopback its FIFO softirq order (a segment
 * queued before the ACK it provokes is processed first). Stored as parallel typed arrays that grow when
 * full, so pushing and popping an event allocates nothing.
 *
 * Two parts, one total order:
 * - a 4-ary min-heap (half the levels of a binary heap: with a million timers pending, each level is a
 *   cache miss). Each slot is four Float64 side by side, [time_ns, seq × 16 + kind, b, a], plus c in an
 *   Int32Array, so comparing four children reads two cache lines and moving a slot one or two;
 * - a FIFO of events due at one instant (`fifo_time_ns`). On lo/veth most events (delivery, ACK, read,
 *   wake-ups) are queued for the instant being processed; they go to the FIFO in O(1) instead of through
 *   the heap. Pop takes the smaller (time, sequence) of the heap root and the FIFO head, so the order is
 *   exactly the heap-only order.
 *
 * Kernel: none (this is the SimPy-style environment, not a kernel structure).
 * Model: an event is (time_ns, kind, a, b, c); `a` is usually a socket or connection index, `b` a number
 * (an skb index, an ACK sequence, a timer due time).
 */
export class EventHeap {
  /** Heap slots, stride 4: time_ns, seq × 16 + kind (seq < 2^49, so exact and ordered by seq), b, a. */
  private e: Float64Array;
  private ec: Int32Array;
  /** Events in the heap part. */
  heap_size = 0;
  private next_seq = 0;

  // FIFO ring of events all due at fifo_time_ns, in sequence order
  private f_seq: Float64Array;
  private f_kind: Uint8Array;
  private f_a: Int32Array;
  private f_b: Float64Array;
  private f_c: Int32Array;
  private f_head = 0;
  private f_len = 0;
  private fifo_time_ns = -1;

  /** Fields of the event most recently popped. */
  top_time_ns = 0;
  top_kind = 0;
  top_a = 0;
  top_b = 0;
  top_c = 0;

  constructor(capacity = 1024) {
    capacity = Math.max(4, capacity);
    this.e = new Float64Array(4 * capacity);
    this.ec = new Int32Array(capacity);
    const f = 256;
    this.f_seq = new Float64Array(f);
    this.f_kind = new Uint8Array(f);
    this.f_a = new Int32Array(f);
    this.f_b = new Float64Array(f);
    this.f_c = new Int32Array(f);
  }

  /** Events queued (heap and FIFO). */
  get size(): number {
    return this.heap_size + this.f_len;
  }

  /** Bytes held by the queue's arrays (capacity, not size). */
  bytes(): number {
    return this.ec.length * (4 * 8 + 4) + this.f_seq.length * (8 + 1 + 4 + 8 + 4);
  }

  private grow(): void {
    // grow by a quarter, not double: the heap is sized for one timer per connection and rarely grows
    const n = Math.ceil(this.ec.length * 1.25);
    const e = new Float64Array(4 * n);
    e.set(this.e);
    this.e = e;
    const c = new Int32Array(n);
    c.set(this.ec);
    this.ec = c;
  }

  private grow_fifo(): void {
    const old = this.f_seq.length;
    const n = old * 2;
    const seq = new Float64Array(n);
    const kind = new Uint8Array(n);
    const a = new Int32Array(n);
    const b = new Float64Array(n);
    const c = new Int32Array(n);
    for (let i = 0; i < this.f_len; i++) {
      const j = (this.f_head + i) % old;
      seq[i] = this.f_seq[j];
      kind[i] = this.f_kind[j];
      a[i] = this.f_a[j];
      b[i] = this.f_b[j];
      c[i] = this.f_c[j];
    }
    this.f_seq = seq;
    this.f_kind = kind;
    this.f_a = a;
    this.f_b = b;
    this.f_c = c;
    this.f_head = 0;
  }

  /** Queues an event; kind must be below 16 (it shares a Float64 with the sequence number). */
  push(time_ns: number, kind: number, a: number, b = 0, c = 0): void {
    const seq = this.next_seq++;
    if (time_ns === this.top_time_ns && (this.f_len === 0 || time_ns === this.fifo_time_ns)) {
      // due at the instant being processed: FIFO (its events share one time and are in sequence order)
      if (this.f_len === this.f_seq.length) this.grow_fifo();
      const cap = this.f_seq.length;
      let j = this.f_head + this.f_len;
      if (j >= cap) j -= cap;
      this.fifo_time_ns = time_ns;
      this.f_seq[j] = seq;
      this.f_kind[j] = kind;
      this.f_a[j] = a;
      this.f_b[j] = b;
      this.f_c[j] = c;
      this.f_len++;
      return;
    }
    this.heap_insert(time_ns, seq, kind, a, b, c);
  }

  /**
   * Takes the next sequence number without queueing anything: an event source outside the queue (the
   * rate-writer schedule) keeps it and later queues its event with `push_seq`, in the place a `push` at
   * this moment would have given it.
   */
  reserve_seq(): number {
    return this.next_seq++;
  }

  /**
   * Queues an event with a sequence number taken earlier by `reserve_seq`. It always goes to the heap
   * part (the FIFO holds only events in the order they were pushed), so its order among all events is
   * still exactly (time_ns, seq).
   */
  push_seq(time_ns: number, seq: number, kind: number, a: number, b = 0, c = 0): void {
    this.heap_insert(time_ns, seq, kind, a, b, c);
  }

  private heap_insert(time_ns: number, seq: number, kind: number, a: number, b: number, c: number): void {
    if (this.heap_size === this.ec.length) this.grow();
    const E = this.e;
    const C = this.ec;
    const sk = seq * 16 + kind;
    // sift up with a hole (4-ary: parent of i is (i − 1) >> 2)
    let i = this.heap_size++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const p4 = 4 * parent;
      const tp = E[p4];
      if (tp < time_ns || (tp === time_ns && E[p4 + 1] < sk)) break;
      const i4 = 4 * i;
      E[i4] = tp;
      E[i4 + 1] = E[p4 + 1];
      E[i4 + 2] = E[p4 + 2];
      E[i4 + 3] = E[p4 + 3];
      C[i] = C[parent];
      i = parent;
    }
    const i4 = 4 * i;
    E[i4] = time_ns;
    E[i4 + 1] = sk;
    E[i4 + 2] = b;
    E[i4 + 3] = a;
    C[i] = c;
  }

  peek_time_ns(): number {
    const th = this.heap_size > 0 ? this.e[0] : Infinity;
    if (this.f_len > 0 && this.fifo_time_ns < th) return this.fifo_time_ns;
    return th;
  }

  /** Removes the earliest event into top_*; false when empty. */
  pop(): boolean {
    const E = this.e;
    if (this.f_len > 0) {
      const h = this.f_head;
      const ft = this.fifo_time_ns;
      if (this.heap_size === 0 || ft < E[0] || (ft === E[0] && this.f_seq[h] * 16 < E[1])) {
        this.top_time_ns = ft;
        this.top_kind = this.f_kind[h];
        this.top_a = this.f_a[h];
        this.top_b = this.f_b[h];
        this.top_c = this.f_c[h];
        this.f_head = h + 1 === this.f_seq.length ? 0 : h + 1;
        this.f_len--;
        return true;
      }
    }
    if (this.heap_size === 0) return false;
    const C = this.ec;
    this.top_time_ns = E[0];
    this.top_kind = E[1] % 16;
    this.top_b = E[2];
    this.top_a = E[3];
    this.top_c = C[0];
    const last = --this.heap_size;
    if (last === 0) return true;
    // sift the last element down from the root
    const l4 = 4 * last;
    const t = E[l4];
    const s = E[l4 + 1];
    const b = E[l4 + 2];
    const a = E[l4 + 3];
    const c = C[last];
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= last) break;
      // smallest of up to four children
      let m = first;
      let tm = E[4 * first];
      let sm = E[4 * first + 1];
      const end = first + 4 < last ? first + 4 : last;
      for (let j = first + 1; j < end; j++) {
        const tj = E[4 * j];
        if (tj < tm || (tj === tm && E[4 * j + 1] < sm)) {
          m = j;
          tm = tj;
          sm = E[4 * j + 1];
        }
      }
      if (t < tm || (t === tm && s < sm)) break;
      const i4 = 4 * i;
      const m4 = 4 * m;
      E[i4] = tm;
      E[i4 + 1] = sm;
      E[i4 + 2] = E[m4 + 2];
      E[i4 + 3] = E[m4 + 3];
      C[i] = C[m];
      i = m;
    }
    const i4 = 4 * i;
    E[i4] = t;
    E[i4 + 1] = s;
    E[i4 + 2] = b;
    E[i4 + 3] = a;
    C[i] = c;
    return true;
  }
}
