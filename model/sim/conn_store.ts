import { SocketTable } from './socket_table';
import type { GroupRuntime } from './group_runtime';

/**
 * SocketTable fields that differ from one idle connection to the next even when everything else is
 * equal (times of the last segment, of the DRS round, timer deadlines). A cold connection keeps them
 * itself; every other field lives in its shared template. Float64 fields of SocketTable only.
 */
export const COLD_OWN_FIELDS = ['lrcvtime_ms', 'rcvq_time_ms', 'delack_due_ns', 'probe_due_ns', 'rto_due_ns'] as const;

/** SimContext arrays indexed by (hot) connection that hold program state: they move with the connection. */
export const CONN_STATE_FIELDS = ['wr_step', 'wr_left', 'wr_rep', 'wr_pending', 'wr_state'] as const;

/** SimContext arrays indexed by (hot) connection that follow from the connection's number alone. */
export const CONN_IDENTITY_FIELDS = ['conn_group', 'conn_weight', 'conn_index'] as const;

/** SimContext typed arrays that are not per connection (everything else must be in the hot pool). */
export const CONTEXT_GLOBAL_ARRAYS = ['counters', 'link_busy_ns'] as const;

/**
 * Throws when the context holds a typed array the store does not know: a per-connection array must be in
 * make_hot_arrays and CONN_STATE_FIELDS (so it moves between hot and cold), a global one in
 * CONTEXT_GLOBAL_ARRAYS. A guard for fields added later: an array left out would silently keep values
 * on hot slot numbers.
 */
export function check_context_arrays(ctx: object, hot: HotArrays): void {
  const known = new Set<string>([...Object.keys(hot), ...CONTEXT_GLOBAL_ARRAYS]);
  for (const [k, v] of Object.entries(ctx)) {
    if (ArrayBuffer.isView(v) && !known.has(k)) {
      throw new Error(`SimContext.${k}: per-connection arrays belong in conn_store.ts make_hot_arrays + CONN_STATE_FIELDS, global ones in CONTEXT_GLOBAL_ARRAYS`);
    }
  }
}

type Num = Float64Array | Int32Array | Uint16Array | Uint8Array | Int8Array | Int16Array | Uint32Array | Float32Array;
type ConnState = Record<(typeof CONN_STATE_FIELDS)[number], Num>;

/** The part of SimContext the store owns (the hot pool): it replaces these arrays when the pool grows. */
export interface HotArrays {
  sock: SocketTable;
  conn_group: Uint16Array;
  conn_weight: Float64Array;
  conn_index: Int32Array;
  wr_step: Int32Array;
  wr_left: Int32Array;
  wr_rep: Int32Array;
  wr_pending: Float64Array;
  wr_state: Uint8Array;
}

/** A fresh hot pool of `n` connections. */
export function make_hot_arrays(n: number): HotArrays {
  return {
    sock: new SocketTable(2 * n),
    conn_group: new Uint16Array(n),
    conn_weight: new Float64Array(n),
    conn_index: new Int32Array(n),
    wr_step: new Int32Array(n),
    wr_left: new Int32Array(n),
    wr_rep: new Int32Array(n),
    wr_pending: new Float64Array(n),
    wr_state: new Uint8Array(n),
  };
}

function socket_columns(t: SocketTable): [string, Num][] {
  return Object.entries(t).filter(([, v]) => ArrayBuffer.isView(v)) as [string, Num][];
}

/** Columns of one element type, hot and template side by side (so each loop below is monomorphic). */
interface Cols<T> {
  hot: T[];
  tmpl: T[];
}

function copy2_f64(d: Float64Array[], di: number, s: Float64Array[], si: number): void {
  for (let j = 0; j < d.length; j++) {
    const x = d[j];
    const y = s[j];
    x[di] = y[si];
    x[di + 1] = y[si + 1];
  }
}
function copy2_i32(d: Int32Array[], di: number, s: Int32Array[], si: number): void {
  for (let j = 0; j < d.length; j++) {
    const x = d[j];
    const y = s[j];
    x[di] = y[si];
    x[di + 1] = y[si + 1];
  }
}
function copy2_u8(d: Uint8Array[], di: number, s: Uint8Array[], si: number): void {
  for (let j = 0; j < d.length; j++) {
    const x = d[j];
    const y = s[j];
    x[di] = y[si];
    x[di + 1] = y[si + 1];
  }
}
function copy2_any(d: Num[], di: number, s: Num[], si: number): void {
  for (let j = 0; j < d.length; j++) {
    const x = d[j];
    const y = s[j];
    x[di] = y[si];
    x[di + 1] = y[si + 1];
  }
}
function copy1_any(d: Num[], di: number, s: Num[], si: number): void {
  for (let j = 0; j < d.length; j++) d[j][di] = s[j][si];
}

const MIX = 0x9e3779b1;
function hash2_f64(h: number, c: Float64Array[], i: number): number {
  for (let j = 0; j < c.length; j++) {
    const a = c[j][i];
    const b = c[j][i + 1];
    h = Math.imul(h ^ (a | 0), MIX) ^ ((a / 4294967296) | 0);
    h = Math.imul(h ^ (b | 0), MIX) ^ ((b / 4294967296) | 0);
  }
  return h;
}
function hash_any(h: number, c: Num[], i: number, n: number): number {
  for (let j = 0; j < c.length; j++) for (let k = 0; k < n; k++) h = Math.imul(h ^ (c[j][i + k] | 0), MIX);
  return h;
}

/** Float64 equality that tells −0 from +0 (a template must give back exactly what it took). */
function eq2_f64(a: Float64Array[], ai: number, b: Float64Array[], bi: number): boolean {
  for (let j = 0; j < a.length; j++) {
    const x = a[j];
    const y = b[j];
    const x0 = x[ai];
    const x1 = x[ai + 1];
    if (x0 !== y[bi] || x1 !== y[bi + 1]) return false;
    if ((x0 === 0 && 1 / x0 !== 1 / y[bi]) || (x1 === 0 && 1 / x1 !== 1 / y[bi + 1])) return false;
  }
  return true;
}
function eq2_i32(a: Int32Array[], ai: number, b: Int32Array[], bi: number): boolean {
  for (let j = 0; j < a.length; j++) if (a[j][ai] !== b[j][bi] || a[j][ai + 1] !== b[j][bi + 1]) return false;
  return true;
}
function eq2_u8(a: Uint8Array[], ai: number, b: Uint8Array[], bi: number): boolean {
  for (let j = 0; j < a.length; j++) if (a[j][ai] !== b[j][bi] || a[j][ai + 1] !== b[j][bi + 1]) return false;
  return true;
}
function eq_any(a: Num[], ai: number, b: Num[], bi: number, n: number): boolean {
  for (let j = 0; j < a.length; j++) {
    for (let k = 0; k < n; k++) {
      const x = a[j][ai + k];
      const y = b[j][bi + k];
      if (x !== y || (x === 0 && 1 / x !== 1 / y)) return false;
    }
  }
  return true;
}

/**
 * Hot and cold connections. Only connections with something going on need the full SocketTable: the
 * hot pool (the SimContext arrays handlers index with `sk.field[s]`, s = 2h + side of hot slot h) holds
 * as many connections as are active at once. A cold connection is a template id plus its own few values
 * (COLD_OWN_FIELDS, both sockets): every other value of its two sockets and of its program state lives
 * in a template shared, by content, with every cold connection whose values are the same (interned and
 * reference-counted; a mostly idle group of a million connections shares a handful).
 *
 * Connections are numbered globally (g: group first_conn + index) in the event queue, the rate
 * schedules and the output; hot slots are an internal detail. `warm(g)` copies a cold connection into
 * a free hot slot; `cool(h)` interns the slot's values and frees it. The simulator cools a connection
 * at the end of a simulated instant when neither socket holds an skb (a connection holding skbs stays
 * hot: its queues would make its template unique). Nothing else refers to a hot slot between events:
 * queued events carry global numbers (SimQueue translates), so cold↔hot moves never change a result.
 *
 * The mover is generic: it copies every typed array of SocketTable (whatever fields exist), the
 * CONN_STATE_FIELDS of SimContext, and sets CONN_IDENTITY_FIELDS from the connection's number.
 *
 * Kernel: none (simulator storage).
 * Model: the bytes per idle connection are those of COLD_OWN_FIELDS (2 × 5 × 8) plus 4 (template) + 4
 * (hot slot) + 2 (group).
 */
export class ConnStore {
  readonly nconn: number;
  /** Group of global connection g. */
  readonly group_of: Uint16Array;
  /** Hot slot of global connection g, −1 when cold. */
  readonly conn_hot: Int32Array;
  /** Template of cold connection g (meaningless while hot). */
  readonly conn_tmpl: Int32Array;
  /** The COLD_OWN_FIELDS of cold connection g: row g, client then server. */
  cold_own: Float64Array = new Float64Array(0);
  private readonly n_own: number;

  // hot pool
  hot!: HotArrays;
  private hcap = 0;
  /** Global connection in hot slot h, −1 when free. */
  hot_global: Int32Array = new Int32Array(0);
  private hot_free: Int32Array = new Int32Array(0);
  private n_hot_free = 0;
  /** Slots from hot_top on have never been used. */
  private hot_top = 0;
  hot_used = 0;
  hot_peak = 0;
  /** Simulated time (ns) of the last event of the connection in hot slot h. */
  private last_ns: Float64Array = new Float64Array(0);
  /** The simulator's clock, set before each event (`now_ns`). */
  now_ns = 0;

  // templates
  tmpl: SocketTable;
  private tmpl_conn: ConnState;
  private tcap: number;
  private tused = 0;
  private ref: Int32Array;
  private thash: Int32Array;
  /**
   * Per template: the template its connections last went cold into after being warmed from it (−1 none).
   * Connections of a group tend to move along the same path (k messages → k + 1), so cooling tries this
   * one first and skips the hash lookup when it is equal (the comparison is the same exact one).
   */
  private succ: Int32Array;
  /** Per hot slot: the template it was warmed from (−1: started hot). */
  private from_tmpl: Int32Array = new Int32Array(0);
  private t_free: number[] = [];
  private t_dead = 0;
  /** Open-addressing index of templates by hash: template + 1, 0 = empty. */
  private index: Int32Array;
  private index_entries = 0;

  // column lists (rebuilt when the hot pool grows)
  private f64!: Cols<Float64Array>;
  private i32!: Cols<Int32Array>;
  private u8!: Cols<Uint8Array>;
  private other!: Cols<Num>;
  private conn!: Cols<Num>;
  private own_hot!: Float64Array[];
  private own_names: string[];
  private fresh = new SocketTable(2);

  constructor(
    private readonly groups: GroupRuntime[],
    nconn: number,
    hot_capacity: number,
    private readonly on_hot_arrays: (a: HotArrays) => void,
  ) {
    this.nconn = nconn;
    this.group_of = new Uint16Array(nconn);
    for (const gr of groups) this.group_of.fill(gr.index, gr.first_conn, gr.first_conn + gr.n_conns);
    this.conn_hot = new Int32Array(nconn).fill(-1);
    this.conn_tmpl = new Int32Array(nconn);
    this.own_names = [...COLD_OWN_FIELDS];
    for (const f of this.own_names) {
      if (!((this.fresh as unknown as Record<string, unknown>)[f] instanceof Float64Array)) throw new Error(`ConnStore: SocketTable.${f} is not a Float64Array`);
    }
    this.n_own = 2 * this.own_names.length;
    this.tcap = 16;
    this.tmpl = new SocketTable(2 * this.tcap);
    this.tmpl_conn = make_hot_arrays(this.tcap) as unknown as ConnState;
    this.ref = new Int32Array(this.tcap);
    this.succ = new Int32Array(this.tcap).fill(-1);
    this.thash = new Int32Array(this.tcap);
    this.index = new Int32Array(4 * this.tcap);
    this.grow_hot(Math.max(16, Math.min(hot_capacity, nconn)));
  }

  /** Bytes held: cold rows, the hot pool at capacity, the templates, the index. */
  bytes(): number {
    let per_hot_conn = 0;
    for (const [k, v] of Object.entries(make_hot_arrays(1))) {
      if (k === 'sock') for (const [, c] of socket_columns(v as SocketTable)) per_hot_conn += c.byteLength;
      else per_hot_conn += (v as Num).byteLength;
    }
    return (
      this.nconn * (2 + 4 + 4) +
      this.cold_own.byteLength +
      this.hcap * (per_hot_conn + 4 + 4 + 4 + 1) +
      this.tcap * (per_hot_conn + 4 + 4) +
      this.index.byteLength
    );
  }

  /** The template flags and own value (COLD_OWN_FIELDS[j]) of a socket of cold connection g: a timer's state. */
  cold_timer_armed(g: number, side: number, flag: number, j: number, due: number): boolean {
    return (this.tmpl.flags[2 * this.conn_tmpl[g] + side] & flag) !== 0 && this.cold_own[g * this.n_own + 2 * j + side] === due;
  }

  /** Number of templates in use (referenced by a cold connection). */
  live_templates(): number {
    return this.tused - this.t_free.length - this.t_dead;
  }

  private build_columns(): void {
    const f64: Cols<Float64Array> = { hot: [], tmpl: [] };
    const i32: Cols<Int32Array> = { hot: [], tmpl: [] };
    const u8: Cols<Uint8Array> = { hot: [], tmpl: [] };
    const other: Cols<Num> = { hot: [], tmpl: [] };
    const tm = this.tmpl as unknown as Record<string, Num>;
    for (const [name, hot] of socket_columns(this.hot.sock)) {
      if (this.own_names.includes(name)) continue;
      const t = tm[name];
      if (hot instanceof Float64Array) {
        f64.hot.push(hot);
        f64.tmpl.push(t as Float64Array);
      } else if (hot instanceof Int32Array) {
        i32.hot.push(hot);
        i32.tmpl.push(t as Int32Array);
      } else if (hot instanceof Uint8Array) {
        u8.hot.push(hot);
        u8.tmpl.push(t as Uint8Array);
      } else {
        other.hot.push(hot);
        other.tmpl.push(t);
      }
    }
    const conn: Cols<Num> = { hot: [], tmpl: [] };
    const ha = this.hot as unknown as Record<string, Num>;
    const ta = this.tmpl_conn as unknown as Record<string, Num>;
    for (const f of CONN_STATE_FIELDS) {
      conn.hot.push(ha[f]);
      conn.tmpl.push(ta[f]);
    }
    this.f64 = f64;
    this.i32 = i32;
    this.u8 = u8;
    this.other = other;
    this.conn = conn;
    const sk = this.hot.sock as unknown as Record<string, Float64Array>;
    this.own_hot = this.own_names.map((f) => sk[f]);
  }

  private grow_hot(n: number): void {
    const old = this.hcap > 0 ? this.hot : null;
    const a = make_hot_arrays(n);
    if (old) {
      const oa = old as unknown as Record<string, Num>;
      const na = a as unknown as Record<string, Num>;
      for (const k of Object.keys(na)) if (k !== 'sock') na[k].set(oa[k]);
      const os = old.sock as unknown as Record<string, Num>;
      for (const [k, v] of socket_columns(a.sock)) v.set(os[k]);
    }
    const hg = new Int32Array(n).fill(-1);
    hg.set(this.hot_global);
    const ft = new Int32Array(n).fill(-1);
    ft.set(this.from_tmpl);
    this.from_tmpl = ft;
    this.hot_global = hg;
    const free = new Int32Array(n);
    free.set(this.hot_free.subarray(0, this.n_hot_free));
    this.hot_free = free;
    const last = new Float64Array(n);
    last.set(this.last_ns);
    this.last_ns = last;
    this.hcap = n;
    this.hot = a;
    this.build_columns();
    this.on_hot_arrays(a);
  }

  /** Takes a free hot slot for global connection g and sets its identity fields. */
  private take_slot(g: number): number {
    let h: number;
    if (this.n_hot_free > 0) h = this.hot_free[--this.n_hot_free];
    else {
      if (this.hot_top === this.hcap) this.grow_hot(2 * this.hcap);
      h = this.hot_top++;
    }
    this.hot_global[h] = g;
    this.conn_hot[g] = h;
    if (++this.hot_used > this.hot_peak) this.hot_peak = this.hot_used;
    const gi = this.group_of[g];
    const gr = this.groups[gi];
    this.hot.conn_group[h] = gi;
    this.hot.conn_weight[h] = gr.weight;
    this.hot.conn_index[h] = g - gr.first_conn;
    this.last_ns[h] = this.now_ns;
    return h;
  }

  private release_slot(h: number): void {
    this.conn_hot[this.hot_global[h]] = -1;
    this.hot_global[h] = -1;
    this.hot_free[this.n_hot_free++] = h;
    this.hot_used--;
  }

  /**
   * A hot slot for global connection g in its state at t = 0 before setup: every field at the value a
   * new SocketTable gives it, program state 0. For setting up the first connection of a group.
   */
  fresh_slot(g: number): number {
    const h = this.take_slot(g);
    const fr = this.fresh as unknown as Record<string, Num>;
    for (const [k, v] of socket_columns(this.hot.sock)) {
      v[2 * h] = fr[k][0];
      v[2 * h + 1] = fr[k][1];
    }
    for (const c of this.conn.hot) c[h] = 0;
    return h;
  }

  /**
   * Makes hot slot h (just set up) the state of every connection of its group: one template, each
   * connection's own values copied from h; then frees the slot.
   */
  share_slot_with_group(h: number, gr: GroupRuntime): void {
    const t = this.intern(h);
    this.ref[t] += gr.n_conns - 1;
    const n_own = this.n_own;
    const own = this.own_rows();
    const row = new Float64Array(n_own);
    this.read_own(h, row, 0);
    const nonzero = row.some((x) => !Object.is(x, 0));
    for (let g = gr.first_conn; g < gr.first_conn + gr.n_conns; g++) {
      this.conn_tmpl[g] = t;
      if (nonzero) own.set(row, g * n_own);
    }
    this.release_slot(h);
  }

  /**
   * Makes hot slot h (just set up) the state of every connection of its group, all hot: the others get
   * a block of never-used slots, filled by doubling copies (for a group whose connections will be busy
   * from the start: warming them one by one would only cost time).
   */
  share_slot_hot(h: number, gr: GroupRuntime): void {
    const n = gr.n_conns - 1;
    if (n === 0) return;
    let cap = this.hcap;
    while (this.hot_top + n > cap) cap *= 2;
    if (cap > this.hcap) this.grow_hot(cap);
    const a = this.hot_top;
    this.hot_top += n;
    this.hot_used += n;
    if (this.hot_used > this.hot_peak) this.hot_peak = this.hot_used;
    const first = gr.first_conn + 1;
    for (let i = 0; i < n; i++) {
      this.hot_global[a + i] = first + i;
      this.conn_hot[first + i] = a + i;
      this.hot.conn_index[a + i] = first + i - gr.first_conn;
    }
    this.hot.conn_group.fill(gr.index, a, a + n);
    this.hot.conn_weight.fill(gr.weight, a, a + n);
    this.last_ns.fill(this.now_ns, a, a + n);
    const fill = (col: Num, stride: number, from: number) => {
      for (let k = 0; k < stride; k++) col[stride * a + k] = col[stride * from + k];
      let done = 1;
      while (done < n) {
        const m = Math.min(done, n - done);
        col.copyWithin(stride * (a + done), stride * a, stride * (a + m));
        done += m;
      }
    };
    for (const [, col] of socket_columns(this.hot.sock)) fill(col, 2, h);
    for (const col of this.conn.hot) fill(col, 1, h);
  }

  /** The cold rows, allocated when the first connection goes cold (a run whose connections all stay hot never needs them). */
  private own_rows(): Float64Array {
    if (this.cold_own.length === 0 && this.nconn > 0) this.cold_own = new Float64Array(this.nconn * this.n_own);
    return this.cold_own;
  }

  private read_own(h: number, dst: Float64Array, off: number): void {
    const cols = this.own_hot;
    for (let j = 0; j < cols.length; j++) {
      dst[off + 2 * j] = cols[j][2 * h];
      dst[off + 2 * j + 1] = cols[j][2 * h + 1];
    }
  }

  /** The hot slot of global connection g, warming it (cold → hot) if needed. */
  hot_slot(g: number): number {
    const h = this.conn_hot[g];
    if (h >= 0) {
      this.last_ns[h] = this.now_ns;
      return h;
    }
    return this.warm(g);
  }

  private warm(g: number): number {
    const t = this.conn_tmpl[g];
    const h = this.take_slot(g);
    this.from_tmpl[h] = t;
    const hs = 2 * h;
    const ts = 2 * t;
    copy2_f64(this.f64.hot, hs, this.f64.tmpl, ts);
    copy2_i32(this.i32.hot, hs, this.i32.tmpl, ts);
    copy2_u8(this.u8.hot, hs, this.u8.tmpl, ts);
    copy2_any(this.other.hot, hs, this.other.tmpl, ts);
    copy1_any(this.conn.hot, h, this.conn.tmpl, t);
    const cols = this.own_hot;
    const own = this.cold_own;
    const o = g * this.n_own;
    for (let j = 0; j < cols.length; j++) {
      cols[j][hs] = own[o + 2 * j];
      cols[j][hs + 1] = own[o + 2 * j + 1];
    }
    if (--this.ref[t] === 0) this.t_dead++;
    return h;
  }

  /** Hot slot h back to the cold form. */
  cool(h: number): void {
    const g = this.hot_global[h];
    const from = this.from_tmpl[h];
    const cand = from >= 0 ? this.succ[from] : -1;
    let t: number;
    if (cand >= 0 && this.same(cand, h)) {
      t = cand;
      if (this.ref[t]++ === 0) this.t_dead--;
    } else {
      t = this.intern(h);
      if (from >= 0) this.succ[from] = t;
    }
    this.from_tmpl[h] = -1;
    this.conn_tmpl[g] = t;
    this.read_own(h, this.own_rows(), g * this.n_own);
    this.release_slot(h);
  }

  /**
   * Cools every hot connection that has had no event for at least idle_ns and whose sockets hold no skb
   * (`holds_skbs(h)`, the simulator's test). Called between events.
   */
  cool_idle(idle_ns: number, holds_skbs: (h: number) => boolean): void {
    const hg = this.hot_global;
    const limit = this.now_ns - idle_ns;
    for (let h = 0; h < this.hot_top; h++) {
      if (hg[h] >= 0 && this.last_ns[h] <= limit && !holds_skbs(h)) this.cool(h);
    }
  }

  /**
   * Hash of hot slot h for the template index: the Float64 columns (sequence numbers: what tells the
   * templates of a group apart) and the program state. A collision costs only a comparison (`same`).
   */
  private hash_slot(h: number): number {
    let x = 0x2545f491;
    x = hash2_f64(x, this.f64.hot, 2 * h);
    x = hash_any(x, this.conn.hot, h, 1);
    return x ^ (x >>> 15);
  }

  private same(t: number, h: number): boolean {
    const hs = 2 * h;
    const ts = 2 * t;
    return (
      eq2_i32(this.i32.tmpl, ts, this.i32.hot, hs) &&
      eq2_f64(this.f64.tmpl, ts, this.f64.hot, hs) &&
      eq2_u8(this.u8.tmpl, ts, this.u8.hot, hs) &&
      eq_any(this.other.tmpl, ts, this.other.hot, hs, 2) &&
      eq_any(this.conn.tmpl, t, this.conn.hot, h, 1)
    );
  }

  /** The template equal to hot slot h (found or made), its reference count raised by one. */
  private intern(h: number): number {
    const hash = this.hash_slot(h);
    let mask = this.index.length - 1;
    let i = hash & mask;
    for (;;) {
      const e = this.index[i];
      if (e === 0) break;
      const t = e - 1;
      if (this.thash[t] === hash && this.same(t, h)) {
        if (this.ref[t]++ === 0) this.t_dead--;
        return t;
      }
      i = (i + 1) & mask;
    }
    const t = this.new_template();
    const ts = 2 * t;
    const hs = 2 * h;
    copy2_f64(this.f64.tmpl, ts, this.f64.hot, hs);
    copy2_i32(this.i32.tmpl, ts, this.i32.hot, hs);
    copy2_u8(this.u8.tmpl, ts, this.u8.hot, hs);
    copy2_any(this.other.tmpl, ts, this.other.hot, hs);
    copy1_any(this.conn.tmpl, t, this.conn.hot, h);
    this.thash[t] = hash;
    this.ref[t] = 1;
    // the index may have been rebuilt by new_template: probe again
    mask = this.index.length - 1;
    i = hash & mask;
    while (this.index[i] !== 0) i = (i + 1) & mask;
    this.index[i] = t + 1;
    this.index_entries++;
    return t;
  }

  private new_template(): number {
    if (this.t_free.length > 0) return this.t_free.pop()!;
    if (this.tused === this.tcap) {
      if (this.t_dead * 2 >= this.tcap) this.collect_templates();
      else this.grow_templates();
      if (this.t_free.length > 0) return this.t_free.pop()!;
    }
    return this.tused++;
  }

  /** Drops templates no cold connection refers to (their ids go to the free list); rebuilds the index. */
  private collect_templates(): void {
    // only called with an empty free list: every template of reference count 0 is dead
    for (let t = this.tused - 1; t >= 0; t--) if (this.ref[t] === 0) this.t_free.push(t);
    this.t_dead = 0;
    // a freed template may be reused for other values: forget every successor
    this.succ.fill(-1);
    this.rebuild_index(this.index.length);
  }

  private grow_templates(): void {
    const n = 2 * this.tcap;
    const nt = new SocketTable(2 * n);
    const os = this.tmpl as unknown as Record<string, Num>;
    for (const [k, v] of socket_columns(nt)) v.set(os[k]);
    const nc = make_hot_arrays(n) as unknown as Record<string, Num>;
    const oc = this.tmpl_conn as unknown as Record<string, Num>;
    for (const k of CONN_STATE_FIELDS) nc[k].set(oc[k]);
    const ref = new Int32Array(n);
    ref.set(this.ref);
    const th = new Int32Array(n);
    th.set(this.thash);
    const su = new Int32Array(n).fill(-1);
    su.set(this.succ);
    this.succ = su;
    this.tmpl = nt;
    this.tmpl_conn = nc as unknown as ConnState;
    this.ref = ref;
    this.thash = th;
    this.tcap = n;
    this.build_columns();
    this.rebuild_index(4 * n);
  }

  private rebuild_index(size: number): void {
    const idx = new Int32Array(size);
    const mask = size - 1;
    let entries = 0;
    const free = new Set(this.t_free);
    for (let t = 0; t < this.tused; t++) {
      if (free.has(t)) continue;
      let i = this.thash[t] & mask;
      while (idx[i] !== 0) i = (i + 1) & mask;
      idx[i] = t + 1;
      entries++;
    }
    this.index = idx;
    this.index_entries = entries;
  }
}
