/**
 * The simulator's event queue: a binary min-heap keyed by (time_ns, sequence), stored as parallel typed
 * arrays so that pushing and popping an event allocates nothing (the arrays double when full).
 * Equal times pop in insertion order (the sequence number), which makes runs deterministic and gives
 * loopback its FIFO softirq order (a segment queued before the ACK it provokes is processed first).
 *
 * Kernel: none (this is the SimPy-style environment, not a kernel structure).
 * Model: an event is (time_ns, kind, a, b); `a` is usually a socket or connection index, `b` a number
 * (an skb index, an ACK sequence, a timer generation).
 */
export class EventHeap {
  time_ns: Float64Array;
  seq: Float64Array;
  kind: Uint8Array;
  a: Int32Array;
  b: Float64Array;
  c: Int32Array;
  size = 0;
  private next_seq = 0;

  /** Fields of the event most recently popped. */
  top_time_ns = 0;
  top_kind = 0;
  top_a = 0;
  top_b = 0;
  top_c = 0;

  constructor(capacity = 1024) {
    this.time_ns = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Float64Array(capacity);
    this.c = new Int32Array(capacity);
  }

  /** Bytes held by the heap's arrays (capacity, not size). */
  bytes(): number {
    return this.time_ns.length * (8 + 8 + 1 + 4 + 8 + 4);
  }

  private grow(): void {
    const n = this.time_ns.length * 2;
    const g64 = (x: Float64Array) => {
      const y = new Float64Array(n);
      y.set(x);
      return y;
    };
    const g32 = (x: Int32Array) => {
      const y = new Int32Array(n);
      y.set(x);
      return y;
    };
    this.time_ns = g64(this.time_ns);
    this.seq = g64(this.seq);
    this.b = g64(this.b);
    this.a = g32(this.a);
    this.c = g32(this.c);
    const k = new Uint8Array(n);
    k.set(this.kind);
    this.kind = k;
  }

  private less(i: number, j: number): boolean {
    const ti = this.time_ns[i];
    const tj = this.time_ns[j];
    return ti < tj || (ti === tj && this.seq[i] < this.seq[j]);
  }

  private move(from: number, to: number): void {
    this.time_ns[to] = this.time_ns[from];
    this.seq[to] = this.seq[from];
    this.kind[to] = this.kind[from];
    this.a[to] = this.a[from];
    this.b[to] = this.b[from];
    this.c[to] = this.c[from];
  }

  push(time_ns: number, kind: number, a: number, b = 0, c = 0): void {
    if (this.size === this.time_ns.length) this.grow();
    const seq = this.next_seq++;
    // sift up with a hole
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const tp = this.time_ns[parent];
      if (tp < time_ns || (tp === time_ns && this.seq[parent] < seq)) break;
      this.move(parent, i);
      i = parent;
    }
    this.time_ns[i] = time_ns;
    this.seq[i] = seq;
    this.kind[i] = kind;
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = c;
  }

  peek_time_ns(): number {
    return this.size > 0 ? this.time_ns[0] : Infinity;
  }

  /** Removes the earliest event into top_*; false when empty. */
  pop(): boolean {
    if (this.size === 0) return false;
    this.top_time_ns = this.time_ns[0];
    this.top_kind = this.kind[0];
    this.top_a = this.a[0];
    this.top_b = this.b[0];
    this.top_c = this.c[0];
    const last = --this.size;
    if (last === 0) return true;
    // sift the last element down from the root
    const t = this.time_ns[last];
    const s = this.seq[last];
    const k = this.kind[last];
    const a = this.a[last];
    const b = this.b[last];
    const c = this.c[last];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.less(child + 1, child)) child++;
      const tc = this.time_ns[child];
      if (t < tc || (t === tc && s < this.seq[child])) break;
      this.move(child, i);
      i = child;
    }
    this.time_ns[i] = t;
    this.seq[i] = s;
    this.kind[i] = k;
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = c;
    return true;
  }
}
