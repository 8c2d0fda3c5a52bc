import { SocketTable } from './socket_table';
import type { GroupRuntime } from './group_runtime';
import {
  copy1_any,
  copy2_any,
  copy2_f64,
  copy2_i32,
  copy2_u8,
  eq2_f64,
  eq2_i32,
  eq2_u8,
  eq_any,
  hash1_any,
  hash2_f64,
  type Cols,
} from './slot_columns';

/**
 * SocketTable fields that differ from one idle connection to the next even when everything else is
 * equal (times of the last segment, of the DRS round, timer deadlines). A cold connection keeps them
 * itself; every other field lives in its shared template. Float64 fields of SocketTable only.
 */
export const COLD_OWN_FIELDS = [
  'lrcvtime_ms',
  'rcvq_time_ms',
  'delack_due_ns',
  'probe_due_ns',
  'rto_due_ns',
  'ts_recent_ms',
  'rcv_rtt_last_tsecr_ms',
  'rcv_rtt_est_time_us',
] as const;

/** SimContext arrays indexed by (hot) connection that hold program state: they move with the connection. */
export const CONN_STATE_FIELDS = ['wr_step', 'wr_left', 'wr_rep', 'wr_pending', 'wr_state'] as const;

/**
 * The per-connection counterpart of COLD_OWN_FIELDS: SimContext Float64 arrays indexed by (hot) connection
 * that hold a time (the reader's busy-until, programs.ts). A cold connection keeps them itself (after its
 * sockets' COLD_OWN_FIELDS in its cold row); in CONN_STATE_FIELDS they would give every cold connection
 * a template of its own.
 */
export const CONN_OWN_FIELDS = ['rd_busy_until_ns'] as const;

/** SimContext arrays indexed by (hot) connection that follow from the connection's number alone. */
export const CONN_IDENTITY_FIELDS = ['conn_group', 'conn_weight', 'conn_index'] as const;

/** SimContext typed arrays that are not per connection (everything else must be in the hot pool). */
export const CONTEXT_GLOBAL_ARRAYS = ['counters', 'link_busy_ns', 'loss_segments', 'task_frag_off', 'task_frag_page'] as const;

/**
 * Throws when the context holds a typed array the store does not know: a per-connection array must be in
 * make_hot_arrays and CONN_STATE_FIELDS or, for a time, CONN_OWN_FIELDS (so it moves between hot and
 * cold), a global one in CONTEXT_GLOBAL_ARRAYS; and an array of make_hot_arrays must be in one of the
 * lists. A guard for fields added later: an array left out would silently keep values on hot slot numbers.
 */
export function check_context_arrays(ctx: object, hot: HotArrays): void {
  const listed = new Set<string>(['sock', ...CONN_STATE_FIELDS, ...CONN_OWN_FIELDS, ...CONN_IDENTITY_FIELDS]);
  for (const k of Object.keys(hot)) {
    if (!listed.has(k)) throw new Error(`HotArrays.${k}: list it in conn_store.ts CONN_STATE_FIELDS (or CONN_OWN_FIELDS for a time)`);
  }
  const known = new Set<string>([...Object.keys(hot), ...CONTEXT_GLOBAL_ARRAYS]);
  for (const [k, v] of Object.entries(ctx)) {
    if (ArrayBuffer.isView(v) && !known.has(k)) {
      throw new Error(`SimContext.${k}: per-connection arrays belong in conn_store.ts make_hot_arrays + CONN_STATE_FIELDS (times: CONN_OWN_FIELDS), global ones in CONTEXT_GLOBAL_ARRAYS`);
    }
  }
}

export type Num = Float64Array | Int32Array | Uint16Array | Uint8Array | Int8Array | Int16Array | Uint32Array | Float32Array;

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
  rd_busy_until_ns: Float64Array;
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
    rd_busy_until_ns: new Float64Array(n),
  };
}

function socket_columns(t: SocketTable): [string, Num][] {
  return Object.entries(t).filter(([, v]) => ArrayBuffer.isView(v)) as [string, Num][];
}

/** hot_global of a slot that holds a template, and of a free slot. */
const SLOT_TEMPLATE = -2;
const SLOT_FREE = -1;

/**
 * Hot and cold connections. Only connections with something going on need the full SocketTable: the
 * hot pool (the SimContext arrays handlers index with `sk.field[s]`, s = 2h + side of hot slot h) holds
 * the connections active at once. A cold connection is a template id plus its own few values
 * (COLD_OWN_FIELDS, both sockets): every other value of its two sockets and of its program state lives
 * in a template shared, by content, with every cold connection whose values are the same (interned and
 * reference-counted; a mostly idle group of a million connections shares a handful). Templates are
 * slots of the same hot arrays (marked SLOT_TEMPLATE), so warming and cooling copy and compare within
 * one array per field, and the sampler reads a cold connection's template where it reads a hot one.
 *
 * Connections are numbered globally (g: group first_conn + index) in the event queue, the rate
 * schedules and the output; hot slots are an internal detail. `hot_slot(g)` warms a cold connection
 * into a free slot; `cool(h)` interns the slot's values (the slot itself becomes the template when
 * they are new) and frees it. Nothing else refers to a hot slot between events: queued events carry
 * global numbers (SimQueue translates), so cold↔hot moves never change a result.
 *
 * The mover is generic: it copies every typed array of SocketTable (whatever fields exist), the
 * CONN_STATE_FIELDS and CONN_OWN_FIELDS of SimContext, and sets CONN_IDENTITY_FIELDS from the connection's
 * number.
 *
 * Kernel: none (simulator storage).
 * Model: the bytes per idle connection are those of COLD_OWN_FIELDS (2 × 8 × 8) and CONN_OWN_FIELDS (1 × 8)
 * plus 4 (template) + 4 (hot slot) + 2 (group).
 */
export class ConnStore {
  readonly nconn: number;
  /** Group of global connection g. */
  readonly group_of: Uint16Array;
  /** Hot slot of global connection g, −1 when cold. */
  readonly conn_hot: Int32Array;
  /** Template (a slot) of cold connection g (meaningless while hot). */
  readonly conn_tmpl: Int32Array;
  /** The COLD_OWN_FIELDS of cold connection g: row g, client then server (allocated at the first cooling). */
  cold_own: Float64Array = new Float64Array(0);
  private readonly n_own: number;

  hot!: HotArrays;
  private hcap = 0;
  /** Global connection in slot h; SLOT_FREE or SLOT_TEMPLATE. */
  hot_global: Int32Array = new Int32Array(0);
  private hot_free: Int32Array = new Int32Array(0);
  private n_hot_free = 0;
  /** Slots from hot_top on have never been used. */
  private hot_top = 0;
  /** Connections in the hot pool, now and at most. */
  hot_used = 0;
  hot_peak = 0;
  /** Simulated time (ns) of the last event of the connection in slot h. */
  private last_ns: Float64Array = new Float64Array(0);
  /** The simulator's clock, set before each event (`now_ns`). */
  now_ns = 0;

  // templates (per slot)
  private ref: Int32Array = new Int32Array(0);
  private thash: Int32Array = new Int32Array(0);
  /**
   * Per template: the template its connections last went cold into after being warmed from it (−1 none).
   * Connections of a group tend to move along the same path (k messages → k + 1), so cooling tries this
   * one first and skips the hash lookup when it is equal (the comparison is the same exact one).
   */
  private succ: Int32Array = new Int32Array(0);
  /** Per connection slot: the template it was warmed from (−1: started hot). */
  private from_tmpl: Int32Array = new Int32Array(0);
  private n_templates = 0;
  /** Templates no cold connection refers to (still in the index: they may be found again). */
  private t_dead = 0;
  /** Open-addressing index of templates by hash: slot + 1, 0 = empty. */
  private index: Int32Array = new Int32Array(64);

  private cols!: Cols;
  private own_cols!: Float64Array[];
  /** The CONN_OWN_FIELDS arrays (one value per hot slot). */
  private conn_own_cols!: Float64Array[];
  private readonly own_names: string[];
  private readonly fresh = new SocketTable(2);

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
    this.n_own = 2 * this.own_names.length + CONN_OWN_FIELDS.length;
    this.grow_hot(Math.max(16, Math.min(hot_capacity, nconn + 16)));
  }

  /** Bytes held: per connection (group, slot, template, own values), the slots at capacity, the index. */
  bytes(): number {
    let per_slot = 0;
    for (const [k, v] of Object.entries(make_hot_arrays(1))) {
      if (k === 'sock') for (const [, c] of socket_columns(v as SocketTable)) per_slot += c.byteLength;
      else per_slot += (v as Num).byteLength;
    }
    // hot_global, hot_free, last_ns, ref, thash, succ, from_tmpl
    per_slot += 4 + 4 + 8 + 4 + 4 + 4 + 4;
    return this.nconn * (2 + 4 + 4) + this.cold_own.byteLength + this.hcap * per_slot + this.index.byteLength;
  }

  /** The template flags and own value (COLD_OWN_FIELDS[j]) of a socket of cold connection g: a timer's state. */
  cold_timer_armed(g: number, side: number, flag: number, j: number, due: number): boolean {
    return (this.hot.sock.flags[2 * this.conn_tmpl[g] + side] & flag) !== 0 && this.cold_own[g * this.n_own + 2 * j + side] === due;
  }

  /**
   * Socket 2·slot of the slot where connection g's values can be read (not written) in ctx.sock: its hot
   * slot, or its template when cold (right for every field but COLD_OWN_FIELDS).
   */
  read_socket(g: number): number {
    const h = this.conn_hot[g];
    return 2 * (h >= 0 ? h : this.conn_tmpl[g]);
  }

  /** Number of templates in use (referenced by a cold connection). */
  live_templates(): number {
    return this.n_templates - this.t_dead;
  }

  private build_columns(): void {
    const c: Cols = { f64: [], i32: [], u8: [], other: [], conn: [] };
    for (const [name, col] of socket_columns(this.hot.sock)) {
      if (this.own_names.includes(name)) continue;
      if (col instanceof Float64Array) c.f64.push(col);
      else if (col instanceof Int32Array) c.i32.push(col);
      else if (col instanceof Uint8Array) c.u8.push(col);
      else c.other.push(col);
    }
    const ha = this.hot as unknown as Record<string, Num>;
    for (const f of CONN_STATE_FIELDS) c.conn.push(ha[f]);
    this.cols = c;
    const sk = this.hot.sock as unknown as Record<string, Float64Array>;
    this.own_cols = this.own_names.map((f) => sk[f]);
    const hf = this.hot as unknown as Record<string, Float64Array>;
    this.conn_own_cols = CONN_OWN_FIELDS.map((f) => hf[f]);
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
    const grow_i32 = (x: Int32Array, fill: number) => {
      const y = new Int32Array(n).fill(fill);
      y.set(x);
      return y;
    };
    this.hot_global = grow_i32(this.hot_global, SLOT_FREE);
    this.hot_free = grow_i32(this.hot_free, 0);
    this.ref = grow_i32(this.ref, 0);
    this.thash = grow_i32(this.thash, 0);
    this.succ = grow_i32(this.succ, -1);
    this.from_tmpl = grow_i32(this.from_tmpl, -1);
    const last = new Float64Array(n);
    last.set(this.last_ns);
    this.last_ns = last;
    this.hcap = n;
    this.hot = a;
    this.build_columns();
    this.on_hot_arrays(a);
  }

  /** A free slot (the free list, never-used slots, dead templates collected, or a bigger pool). */
  private take_free_slot(): number {
    if (this.n_hot_free === 0 && this.hot_top === this.hcap) {
      if (this.t_dead * 4 >= this.hcap) this.collect_templates();
      if (this.n_hot_free === 0) this.grow_hot(2 * this.hcap);
    }
    return this.n_hot_free > 0 ? this.hot_free[--this.n_hot_free] : this.hot_top++;
  }

  /** Takes a free slot for global connection g and sets its identity fields. */
  private take_slot(g: number): number {
    const h = this.take_free_slot();
    this.hot_global[h] = g;
    this.conn_hot[g] = h;
    if (++this.hot_used > this.hot_peak) this.hot_peak = this.hot_used;
    const gi = this.group_of[g];
    const gr = this.groups[gi];
    this.hot.conn_group[h] = gi;
    this.hot.conn_weight[h] = gr.weight;
    this.hot.conn_index[h] = g - gr.first_conn;
    this.last_ns[h] = this.now_ns;
    this.from_tmpl[h] = -1;
    return h;
  }

  private free_slot(h: number): void {
    this.hot_global[h] = SLOT_FREE;
    this.hot_free[this.n_hot_free++] = h;
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
    for (const c of this.cols.conn) c[h] = 0;
    for (const c of this.conn_own_cols) c[h] = 0;
    return h;
  }

  /**
   * Makes hot slot h (just set up) the state of every connection of its group, all cold: one template,
   * each connection's own values copied from h.
   */
  share_slot_with_group(h: number, gr: GroupRuntime): void {
    const g0 = this.hot_global[h];
    const row = new Float64Array(this.n_own);
    this.read_own(h, row, 0);
    const t = this.intern(h);
    this.ref[t] += gr.n_conns - 1;
    const nonzero = row.some((x) => !Object.is(x, 0));
    const own = this.own_rows();
    for (let g = gr.first_conn; g < gr.first_conn + gr.n_conns; g++) {
      this.conn_tmpl[g] = t;
      if (nonzero) own.set(row, g * this.n_own);
    }
    this.conn_hot[g0] = -1;
    this.hot_used--;
    if (t !== h) this.free_slot(h);
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
    for (const col of this.cols.conn) fill(col, 1, h);
    for (const col of this.conn_own_cols) fill(col, 1, h);
  }

  /** The cold rows, allocated when the first connection goes cold (a run whose connections all stay hot never needs them). */
  private own_rows(): Float64Array {
    if (this.cold_own.length === 0 && this.nconn > 0) this.cold_own = new Float64Array(this.nconn * this.n_own);
    return this.cold_own;
  }

  private read_own(h: number, dst: Float64Array, off: number): void {
    const cols = this.own_cols;
    for (let j = 0; j < cols.length; j++) {
      dst[off + 2 * j] = cols[j][2 * h];
      dst[off + 2 * j + 1] = cols[j][2 * h + 1];
    }
    const cc = this.conn_own_cols;
    const o = off + 2 * cols.length;
    for (let j = 0; j < cc.length; j++) dst[o + j] = cc[j][h];
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
    const c = this.cols;
    copy2_f64(c.f64, hs, ts);
    copy2_i32(c.i32, hs, ts);
    copy2_u8(c.u8, hs, ts);
    copy2_any(c.other, hs, ts);
    copy1_any(c.conn, h, t);
    const cols = this.own_cols;
    const own = this.cold_own;
    const o = g * this.n_own;
    for (let j = 0; j < cols.length; j++) {
      cols[j][hs] = own[o + 2 * j];
      cols[j][hs + 1] = own[o + 2 * j + 1];
    }
    const cc = this.conn_own_cols;
    const oc = o + 2 * cols.length;
    for (let j = 0; j < cc.length; j++) cc[j][h] = own[oc + j];
    if (--this.ref[t] === 0) this.t_dead++;
    return h;
  }

  /** Hot slot h back to the cold form. */
  cool(h: number): void {
    const g = this.hot_global[h];
    this.read_own(h, this.own_rows(), g * this.n_own);
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
    this.conn_tmpl[g] = t;
    this.conn_hot[g] = -1;
    this.hot_used--;
    if (t !== h) this.free_slot(h);
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
   * Hash of slot h for the template index: the Float64 columns (sequence numbers: what tells the
   * templates of a group apart) and the program state. A collision costs only a comparison (`same`).
   */
  private hash_slot(h: number): number {
    let x = 0x2545f491;
    x = hash2_f64(x, this.cols.f64, 2 * h);
    x = hash1_any(x, this.cols.conn, h);
    return x ^ (x >>> 15);
  }

  /** Whether slots t and h hold the same values (all but the own ones). */
  private same(t: number, h: number): boolean {
    const hs = 2 * h;
    const ts = 2 * t;
    const c = this.cols;
    return (
      eq2_i32(c.i32, ts, hs) &&
      eq2_f64(c.f64, ts, hs) &&
      eq2_u8(c.u8, ts, hs) &&
      eq_any(c.other, ts, hs, 2) &&
      eq_any(c.conn, t, h, 1)
    );
  }

  /**
   * The template equal to slot h, its reference count raised by one. When there is none, slot h itself
   * becomes the template (its connection is leaving it).
   */
  private intern(h: number): number {
    const hash = this.hash_slot(h);
    const mask = this.index.length - 1;
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
    this.hot_global[h] = SLOT_TEMPLATE;
    this.thash[h] = hash;
    this.ref[h] = 1;
    this.succ[h] = -1;
    this.index[i] = h + 1;
    this.n_templates++;
    if (4 * this.n_templates > this.index.length) this.rebuild_index(2 * this.index.length);
    return h;
  }

  /** Frees every template no cold connection refers to (its slot goes back to the free list). */
  private collect_templates(): void {
    for (let t = 0; t < this.hot_top; t++) {
      if (this.hot_global[t] === SLOT_TEMPLATE && this.ref[t] === 0) {
        this.free_slot(t);
        this.n_templates--;
      }
    }
    this.t_dead = 0;
    // a freed slot will hold other values: forget every successor
    this.succ.fill(-1);
    this.rebuild_index(this.index.length);
  }

  private rebuild_index(size: number): void {
    const idx = new Int32Array(size);
    const mask = size - 1;
    for (let t = 0; t < this.hot_top; t++) {
      if (this.hot_global[t] !== SLOT_TEMPLATE) continue;
      let i = this.thash[t] & mask;
      while (idx[i] !== 0) i = (i + 1) & mask;
      idx[i] = t + 1;
    }
    this.index = idx;
  }
}
