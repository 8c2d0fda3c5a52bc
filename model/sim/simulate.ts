import type { KernelProfile } from '../profile/kernel_profile';
import type { Scenario } from '../scenario/scenario_schema';
import { RUN_FORMAT, recorded_slab_caches, type Run, type SocketSample, type GlobalSample } from '../run_output/run_output';
import { tcp_mss_for_link } from '../window/tcp_mss_for_link';
import { tcp_stream_alloc_skb_truesize } from '../skb/tcp_stream_alloc_skb_truesize';
import { skb_truesize } from '../skb/skb_truesize';
import { sk_buff_aligned_bytes } from '../skb/skb_align';
import { nic_rx_buffer_bytes } from '../skb/rx_skb_truesize';
import { tcp_mem_of } from '../mem/tcp_init_mem';
import { connection_slab_objects } from '../slab/connection_slab_objects';
import { effective_profile } from './effective_profile';
import { group_is_uniform, type GroupRuntime } from './group_runtime';
import { WeightingBroken, type MemPool } from './mem_pool';
import {
  EV_ACK,
  EV_DELACK,
  EV_DELIVER,
  EV_PROBE,
  EV_READ,
  EV_RTO,
  EV_WRITER,
  EV_ZWP,
  event_a_modes,
  make_core,
  type LinkRuntime,
  type SimContext,
} from './sim_context';
import { F_DELACK, F_PROBE, F_REO, F_RTO, F_TLP } from './socket_table';
import { SKB_RTX_COPY } from './skb_pool';
import { tcp_send_loss_probe } from './tcp_schedule_loss_probe';
import { sim_counters, C_DelayedACKs } from './counters';
import { setup_connection } from './connection_setup';
import { READ_RESUME, READ_TICK, WAKE_TIMER, group_writer_first_ms, rate_wake_ns, reader_wake, writer_wake } from './programs';
import { tcp_store_ts_recent } from './tcp_rcv_rtt';
import { tcp_add_backlog_ack, tcp_add_backlog_zwp, tcp_rcv_zero_window_probe, tcp_v4_rcv_data } from './tcp_add_backlog';
import { COLD_OWN_FIELDS, ConnStore, check_context_arrays, type HotArrays } from './conn_store';
import { EV_A_CONN, EV_A_SOCKET } from './sim_queue';
import { EV_RATE_WAKE, RateSchedule } from './rate_schedule';
import { tcp_ack } from './tcp_ack';
import { tcp_send_ack } from './tcp_send_ack';
import { tcp_retransmit_timer, tcp_send_probe0 } from './tcp_write_xmit';
import { sample_global, sample_sockets, type SlabTotals } from './sampler';
import { tcp_rack_reo_timeout } from './tcp_rack';
import { Mulberry32 } from '../random/mulberry32';
import { LossTable } from './loss_table';
import { tcp_has_ofo } from './tcp_packets_in_flight';

export interface SimOptions {
  /** Called now and then with simulated and total time (ms). */
  on_progress?: (sim_ms: number, total_ms: number) => void;
  tool_version?: string;
  /** Write per-socket rows (default true); the benchmark turns them off. */
  socket_rows?: boolean;
  /** Merge socket rows that are identical but for conn into one weighted row (default true). */
  merge_rows?: boolean;
  /** Simulate weighted groups once (default true; see docs/simulator.md). */
  allow_weighting?: boolean;
  /**
   * Tests only: every group starts cold and every connection goes cold at the first instant after each
   * of its events, skbs held or not (conn_store.ts). The results must be those of a normal run: a check
   * that every field of the simulator's state moves between hot and cold.
   */
  cooling_stress?: boolean;
}

export interface SimResult {
  run: Run;
  events: number;
  /** Bytes held by the simulator's arrays at the end of the run (they only grow, so also the peak). */
  peak_state_bytes: number;
}

/**
 * A connection without events (and without skbs) for this long goes cold (conn_store.ts). Moving a
 * connection costs about as much as two or three events, while keeping it hot costs only memory: so
 * a connection that exchanges data every second or so stays hot, and one that is idle for longer (a
 * push server's, once a minute) is stored compactly.
 */
const COLD_AFTER_NS = 2e9;

/**
 * Whether a group's connections start hot: they have an event within COLD_AFTER_NS of every other
 * (a writer other than `none` and, for a rate writer, a period below COLD_AFTER_NS), so they would not
 * go cold anyway. Only a question of speed: hot or cold, the results are the same.
 */
function starts_busy(gr: GroupRuntime): boolean {
  const w = gr.g.writer.program;
  if (w.kind === 'none') return false;
  if (w.kind === 'rate') return 1e9 / w.messages_per_s < COLD_AFTER_NS;
  return true;
}

function ms_to_ns(ms: number): number {
  return Math.round(ms * 1e6);
}

function link_runtime(p: KernelProfile, s: Scenario): LinkRuntime {
  const link = s.kernel.link;
  const mss = tcp_mss_for_link(link.kind === 'loopback' ? { kind: 'loopback' } : { kind: link.kind, mtu: link.mtu }, s.kernel.ip);
  const nic = link.kind === 'nic' ? link : null;
  const netem_ms = s.kernel.netem_delay_ms;
  const rtt_ms = nic ? nic.rtt_ms : 2 * netem_ms;
  return {
    kind: link.kind,
    mss_bytes: mss.mss_bytes,
    advmss_bytes: mss.mss_bytes,
    syn_advmss_bytes: mss.advmss_bytes,
    gso_max_size_bytes: 65536 - (p.struct.max_tcp_header_bytes + 1),
    one_way_ns: ms_to_ns(rtt_ms / 2),
    bandwidth_bits_per_s: nic ? nic.bandwidth_bits_per_s : 0,
    rx_buffer: nic ? nic.rx_buffer : null,
    gro: nic ? nic.gro : false,
    rto_ms: 200 + rtt_ms,
  };
}

/**
 * Simulates a scenario on a kernel profile and returns a run of the shape a capture has.
 * Pure: no clock, no I/O; the same scenario (seed included) gives a byte-identical run.
 * Model: see docs/simulator.md for the event core, the mechanisms and their rule numbers.
 */
export function simulate(scenario: Scenario, profile: KernelProfile, opts: SimOptions = {}): SimResult {
  if (opts.allow_weighting !== false) {
    try {
      return run_once(scenario, profile, opts, true, []);
    } catch (err) {
      if (!(err instanceof WeightingBroken)) throw err;
      return run_once(scenario, profile, opts, false, [
        `weighting abandoned (${err.message}): every connection simulated on its own`,
      ]);
    }
  }
  return run_once(scenario, profile, opts, false, []);
}

function run_once(scenario: Scenario, profile: KernelProfile, opts: SimOptions, weighting: boolean, notes: string[]): SimResult {
  const { profile: p, ignored } = effective_profile(profile, scenario);
  const link = link_runtime(p, scenario);
  // groups and connections
  const groups: GroupRuntime[] = [];
  let nconn = 0;
  let total_conns = 0;
  for (const [index, g] of scenario.groups.entries()) {
    // with link loss one counter (or PRNG) runs over all connections, as in the capture: no weighting
    const uniform = weighting && group_is_uniform(g) && !scenario.kernel.loss;
    const n = uniform ? 1 : g.count;
    groups.push({
      g,
      index,
      writer_side: g.writer.side === 'client' ? 0 : 1,
      first_conn: nconn,
      n_conns: n,
      weight: uniform ? g.count : 1,
      cc: g.writer_sockopts.tcp_congestion ?? p.sysctl.tcp_congestion_control,
      stalls: g.reader.kind === 'never' ? [] : [...g.reader.stalls].sort((a, b) => a.from_ms - b.from_ms),
    });
    nconn += n;
    total_conns += g.count;
  }
  // connections whose first timers go on the heap (a rate writer's go to its group's RateSchedule)
  let heap_connections = 0;
  for (const gr of groups) {
    const wk = gr.g.writer.program.kind;
    const rd = gr.g.reader;
    const per = (wk === 'writes' || wk === 'fill' ? 1 : 0) + (rd.kind === 'periodic' ? 1 : 0) + (rd.kind === 'continuous' ? (rd.start_ms > 0 ? 1 : 0) + gr.stalls.length : 0);
    heap_connections += per * gr.n_conns;
  }
  // connections of a group that will be busy from the start start hot, the others cold (conn_store.ts);
  // the hot pool has room for the busy ones plus a sixteenth of the others and grows as needed
  let busy = 0;
  const stress = opts.cooling_stress === true;
  const cold_after_ns = stress ? 1 : COLD_AFTER_NS;
  for (const gr of groups) if (!stress && starts_busy(gr)) busy += gr.n_conns;
  let ctx_ref: SimContext | null = null;
  const store = new ConnStore(groups, nconn, busy + Math.max(64, (nconn - busy) >> 4), (a: HotArrays) => {
    if (ctx_ref) Object.assign(ctx_ref, a);
  });
  const core = make_core(2 * nconn, heap_connections, store);
  const memcg = scenario.kernel.memcg;
  const mem: MemPool = {
    tcp_mem: tcp_mem_of(p),
    pcpu_rsv: Math.max(p.sysctl.mem_pcpu_rsv, 256),
    global_pages: 0,
    percpu_pages: 0,
    true_pages: 0,
    pressure_since_ms: -1,
    sockets_allocated: 2 * total_conns + groups.length,
    memcg_limit_pages: memcg ? Math.floor(memcg.tcp_limit_bytes / 4096) : 0,
    memcg_usage_pages: 0,
    memcg_max_usage_pages: 0,
    memcg_failcnt: 0,
    memcg_pressure: false,
    memcg_enabled: memcg !== null,
  };
  const ctx: SimContext = {
    p,
    scenario,
    link,
    tx_base_truesize: tcp_stream_alloc_skb_truesize(p),
    skb_overhead_bytes: skb_truesize(p, 0),
    sk_buff_bytes: sk_buff_aligned_bytes(p),
    heap: core.heap,
    skb: core.skb,
    ...store.hot,
    store,
    nconn,
    groups,
    rate_schedules: [],
    mem,
    counters: new Float64Array(sim_counters.length),
    now_ns: 0,
    now_ms: 0,
    events: 0,
    link_busy_ns: new Float64Array(2),
    task_frag_off: new Int32Array(2),
    task_frag_page: new Int32Array(2),
    weighted: groups.some((gr) => gr.weight > 1 && gr.n_conns > 0),
    loss_segments: new Float64Array(2),
    loss_rng: scenario.kernel.loss?.kind === 'random' ? new Mulberry32(scenario.seed) : null,
    loss: new LossTable(),
  };
  ctx_ref = ctx;
  check_context_arrays(ctx, store.hot);
  // every connection of a group starts from the same established state: set up one in a hot slot,
  // then every connection of the group shares it as a template
  for (const gr of groups) {
    if (gr.n_conns === 0) continue;
    const h = store.fresh_slot(gr.first_conn);
    const prog = gr.g.writer.program;
    if (prog.kind === 'writes') {
      ctx.wr_step[h] = 0;
      ctx.wr_left[h] = prog.steps[0].count;
      ctx.wr_rep[h] = prog.repeat;
    }
    setup_connection(ctx, h);
    if (!stress && starts_busy(gr)) store.share_slot_hot(h, gr);
    else store.share_slot_with_group(h, gr);
  }

  // initial events (global connection and socket numbers)
  const heap = core.heap;
  ctx.rate_schedules = groups.map((gr) =>
    gr.g.writer.program.kind === 'rate' && gr.n_conns > 0 ? new RateSchedule(gr, heap, rate_wake_ns, EV_WRITER) : null,
  );
  for (const gr of groups) {
    const prog = gr.g.writer.program;
    const sched = ctx.rate_schedules[gr.index];
    const rd = gr.g.reader;
    for (let i = 0; i < gr.n_conns; i++) {
      const c = gr.first_conn + i;
      if (prog.kind !== 'none') {
        const t = ms_to_ns(group_writer_first_ms(gr, i));
        if (!(sched !== null && sched.schedule(i, t))) heap.push_global(t, EV_WRITER, c, WAKE_TIMER);
      }
      const rs = 2 * c + (1 - gr.writer_side);
      if (rd.kind === 'continuous') {
        // nothing is queued at t = 0: a wake-up is needed only for data that arrives before start_ms
        if (rd.start_ms > 0) heap.push_global(ms_to_ns(rd.start_ms), EV_READ, rs, READ_RESUME);
        for (const st of gr.stalls) heap.push_global(ms_to_ns(st.to_ms), EV_READ, rs, READ_RESUME);
      } else if (rd.kind === 'periodic') {
        heap.push_global(ms_to_ns(rd.start_ms), EV_READ, rs, READ_TICK);
      }
    }
  }

  for (const rs of ctx.rate_schedules) rs?.queue_head();

  // slab objects of the established connections (static in this model)
  const slab: SlabTotals = { caches: [], objects: {} };
  for (const gr of groups) {
    const objs = connection_slab_objects(p, { state: 'established', side: 'pair', epoll: gr.g.epoll, ip: scenario.kernel.ip });
    for (const o of objs) {
      if (!(recorded_slab_caches as readonly string[]).includes(o.cache)) continue;
      slab.objects[o.cache] = (slab.objects[o.cache] ?? 0) + o.objects * gr.g.count;
    }
  }
  slab.caches = (recorded_slab_caches as readonly string[]).filter((c) => c in slab.objects);

  // main loop
  const sockets: SocketSample[] = [];
  const global: GlobalSample[] = [];
  const want_rows = opts.socket_rows !== false;
  const merge = opts.merge_rows !== false;
  const interval_ms = scenario.sampling.interval_ms;
  const duration_ms = scenario.sampling.duration_ms;
  const horizon_ns = ms_to_ns(duration_ms);
  let sample_k = 0;
  let next_sample_ns = 0;
  const counters_at_0 = new Float64Array(sim_counters.length);
  let progress_tick = 0;
  let next_cool_ns = cold_after_ns;
  const holds_skbs = (h: number): boolean => {
    if (stress) return false;
    const sk = ctx.sock;
    const s = 2 * h;
    return (
      sk.rq_head[s] >= 0 ||
      sk.rq_head[s + 1] >= 0 ||
      sk.wq_head[s] >= 0 ||
      sk.wq_head[s + 1] >= 0 ||
      sk.bl_head[s] >= 0 ||
      sk.bl_head[s + 1] >= 0 ||
      tcp_has_ofo(ctx, s) ||
      tcp_has_ofo(ctx, s + 1)
    );
  };
  const take_sample = () => {
    const t_ms = Math.round(sample_k * interval_ms * 1000) / 1000;
    ctx.now_ns = next_sample_ns;
    ctx.now_ms = next_sample_ns / 1e6;
    if (sample_k === 0) counters_at_0.set(ctx.counters);
    if (want_rows) sample_sockets(ctx, t_ms, merge, sockets);
    global.push(sample_global(ctx, t_ms, counters_at_0, slab));
    sample_k++;
    next_sample_ns = ms_to_ns(sample_k * interval_ms);
  };
  for (;;) {
    const t = heap.peek_time_ns();
    if (next_sample_ns <= horizon_ns && next_sample_ns <= t) {
      take_sample();
      continue;
    }
    if (t > horizon_ns) break;
    heap.pop();
    store.now_ns = heap.top_time_ns;
    if (heap.top_time_ns >= next_cool_ns) {
      // connections idle for COLD_AFTER_NS go cold (conn_store.ts)
      store.cool_idle(cold_after_ns, holds_skbs);
      next_cool_ns = heap.top_time_ns + cold_after_ns / 2;
    }
    ctx.now_ns = heap.top_time_ns;
    ctx.now_ms = heap.top_time_ns / 1e6;
    ctx.events++;
    dispatch(ctx, heap.top_kind, heap.top_a, heap.top_b, heap.top_c);
    if (opts.on_progress && ++progress_tick >= 65536) {
      progress_tick = 0;
      opts.on_progress(ctx.now_ms, duration_ms);
    }
  }
  if (opts.on_progress) opts.on_progress(duration_ms, duration_ms);

  const peak_state_bytes =
    ctx.heap.bytes() + ctx.skb.bytes() + ctx.loss.bytes() + store.bytes() + ctx.rate_schedules.reduce((a, rs) => a + (rs ? rs.bytes() : 0), 0);
  if (ignored.length > 0) notes.push(`sysctls accepted but not modelled: ${ignored.join(', ')}`);
  notes.push('simulated: t (sk_wmem_alloc) is 0 because lo/veth deliver at once (R-2.11); counters not listed in meta.counters are not modelled');
  const sysctls: Record<string, string> = {
    'net.ipv4.tcp_rmem': p.sysctl.tcp_rmem.join('\t'),
    'net.ipv4.tcp_wmem': p.sysctl.tcp_wmem.join('\t'),
    'net.ipv4.tcp_mem': mem.tcp_mem.join('\t'),
    'net.ipv4.tcp_congestion_control': p.sysctl.tcp_congestion_control,
    'net.ipv4.tcp_moderate_rcvbuf': String(p.sysctl.tcp_moderate_rcvbuf),
    'net.ipv4.tcp_autocorking': String(p.sysctl.tcp_autocorking),
    'net.ipv4.tcp_adv_win_scale': String(p.sysctl.tcp_adv_win_scale),
    'net.ipv4.tcp_notsent_lowat': String(p.sysctl.tcp_notsent_lowat),
    'net.core.rmem_max': String(p.sysctl.rmem_max),
    'net.core.wmem_max': String(p.sysctl.wmem_max),
    'net.core.mem_pcpu_rsv': String(p.sysctl.mem_pcpu_rsv),
  };
  const run: Run = {
    meta: {
      format: RUN_FORMAT,
      source: 'simulator',
      scenario,
      scenario_file: null,
      kernel_release: p.release,
      profile_id: p.id,
      sysctls,
      tool_version: opts.tool_version ?? '0.0.0',
      host: { cpus: p.nr_cpus, mem_total_bytes: null, machine: null },
      started_at: null,
      wall_ms: null,
      repeat_index: 0,
      counters: [...sim_counters],
      slab_caches: slab.caches,
      notes,
      sim: { seed: scenario.seed, events: ctx.events, socket_classes: nconn },
    },
    sockets,
    global,
  };
  return { run, events: ctx.events, peak_state_bytes };
}

/** Timer kinds, their flag and their due-time field (COLD_OWN_FIELDS index) for the cold stale test. */
const TIMER_FLAG: Record<number, [number, number]> = {
  [EV_DELACK]: [F_DELACK, COLD_OWN_FIELDS.indexOf('delack_due_ns')],
  [EV_PROBE]: [F_PROBE, COLD_OWN_FIELDS.indexOf('probe_due_ns')],
  [EV_RTO]: [F_RTO, COLD_OWN_FIELDS.indexOf('rto_due_ns')],
};

/**
 * Runs one event. Its `a` is a global number (sim_queue.ts): the connection is warmed (made hot) and
 * `a` becomes the hot socket or connection the handlers index with. A lazily cancelled timer of a cold
 * connection is recognised as stale without warming it (the same test the handler makes below).
 */
function dispatch(ctx: SimContext, kind: number, a: number, b: number, c: number): void {
  const st = ctx.store;
  if (kind === EV_RATE_WAKE) {
    // the earliest pending timer of group a's rate writers (rate_schedule.ts)
    const rs = ctx.rate_schedules[a]!;
    writer_wake(ctx, st.hot_slot(rs.gr.first_conn + rs.fire()), WAKE_TIMER);
    rs.queue_head();
    return;
  }
  const mode = event_a_modes[kind];
  if (mode === EV_A_SOCKET) {
    const g = a >> 1;
    if (st.conn_hot[g] < 0 && (kind === EV_DELACK || kind === EV_PROBE || kind === EV_RTO)) {
      const [flag, j] = TIMER_FLAG[kind];
      if (!st.cold_timer_armed(g, a & 1, flag, j, b)) return;
    }
    a = 2 * st.hot_slot(g) + (a & 1);
  } else if (mode === EV_A_CONN) {
    a = st.hot_slot(a);
  }
  const sk = ctx.sock;
  switch (kind) {
    case EV_WRITER:
      writer_wake(ctx, a, b);
      return;
    case EV_DELIVER:
      deliver(ctx, a, b);
      return;
    case EV_ACK:
      // a socket owned by its reader (inside recvmsg) takes the ACK into its backlog
      tcp_store_ts_recent(ctx, a);
      if (sk.owned[a] !== 0) tcp_add_backlog_ack(ctx, a, b, c);
      else tcp_ack(ctx, a, b, c);
      return;
    case EV_DELACK:
      if (sk.flags[a] & F_DELACK && sk.delack_due_ns[a] === b) {
        ctx.counters[C_DelayedACKs] += ctx.conn_weight[a >> 1];
        tcp_send_ack(ctx, a);
      }
      return;
    case EV_PROBE:
      if (sk.flags[a] & F_PROBE && sk.probe_due_ns[a] === b) {
        sk.flags[a] &= ~F_PROBE;
        tcp_send_probe0(ctx, a);
      }
      return;
    case EV_READ:
      reader_wake(ctx, a, b, c);
      return;
    case EV_RTO:
      // one timer, three uses (icsk_pending, tcp_write_timer_handler): tail loss probe, RACK reorder timeout or
      // retransmission timeout; F_TLP / F_REO stay set while their handler runs, as icsk_pending does
      if (sk.flags[a] & F_RTO && sk.rto_due_ns[a] === b) {
        sk.flags[a] &= ~F_RTO;
        if (sk.flags[a] & F_TLP) tcp_send_loss_probe(ctx, a);
        else if (sk.flags[a] & F_REO) tcp_rack_reo_timeout(ctx, a);
        else tcp_retransmit_timer(ctx, a);
      }
      return;
    case EV_ZWP:
      // an out-of-window probe: dropped (sk_drops) and answered with a duplicate ACK; backlogged
      // while the reader owns the socket
      if (sk.owned[a] !== 0) tcp_add_backlog_zwp(ctx, a);
      else tcp_rcv_zero_window_probe(ctx, a);
      return;
  }
}

/**
 * A transmitted skb reaches the receiver: on lo/veth as the sender's clone; on a NIC as
 * GRO skbs of page-frag buffers (R-3.7..3.10), each carrying up to 17 segments and < 64 KiB.
 */
function deliver(ctx: SimContext, s: number, tx: number): void {
  const k = ctx.skb;
  const seq = k.seq[tx];
  const len = k.len[tx];
  if (k.flags[tx] & SKB_RTX_COPY) {
    // a retransmitted copy (tcp_send_loss_probe): not linked to the sender's original; freed on arrival
    const truesize = k.truesize[tx];
    const nr_frags = k.nr_frags[tx];
    const tsecr_ms = k.tsecr_ms[tx];
    k.free(tx);
    if (ctx.link.kind !== 'nic') {
      tcp_v4_rcv_data(ctx, s, seq, len, truesize, nr_frags, -1, false, len, tsecr_ms);
      return;
    }
    deliver_nic(ctx, s, seq, len, tsecr_ms);
    return;
  }
  if (ctx.link.kind !== 'nic') {
    tcp_v4_rcv_data(ctx, s, seq, len, k.truesize[tx], k.nr_frags[tx], tx, false, len, k.tsecr_ms[tx]);
    return;
  }
  deliver_nic(ctx, s, seq, len, k.tsecr_ms[tx]);
}

/** NIC delivery: GRO skbs of page-frag buffers (R-3.7..3.10). */
function deliver_nic(ctx: SimContext, s: number, seq: number, len: number, tsecr_ms: number): void {
  const mss = ctx.link.mss_bytes;
  const buf = nic_rx_buffer_bytes[ctx.link.rx_buffer ?? 'page_frag_4k'];
  const per_skb = ctx.link.gro ? Math.max(1, Math.min(ctx.p.struct.max_skb_frags + 1, Math.floor(65535 / mss))) : 1;
  let off = 0;
  while (off < len) {
    const plen = Math.min(len - off, per_skb * mss);
    const nsegs = Math.ceil(plen / mss);
    const truesize = nsegs * buf + ctx.sk_buff_bytes;
    const seg_len = nsegs > 1 ? mss : plen;
    if (!tcp_v4_rcv_data(ctx, s, seq + off, plen, truesize, nsegs - 1, -1, true, seg_len, tsecr_ms)) return;
    off += plen;
  }
}
