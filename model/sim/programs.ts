import type { SimContext } from './sim_context';
import { EV_READ, EV_WRITER } from './sim_context';
import { F_READ_QUEUED } from './socket_table';
import { reader_stalled, type GroupRuntime } from './group_runtime';
import { tcp_sendmsg } from './tcp_sendmsg';
import { tcp_recvmsg, tcp_recvmsg_hold_ns } from './tcp_recvmsg';
import { lock_sock, release_sock } from './tcp_add_backlog';

export const WR_IDLE = 0;
export const WR_BLOCKED = 1;
export const WR_DONE = 2;

/** EV_WRITER reasons (event field b). */
export const WAKE_SPACE = 0;
export const WAKE_TIMER = 1;

/** EV_READ reasons (event field b). */
export const READ_DATA = 0;
export const READ_TICK = 1;
export const READ_RESUME = 2;
/** The recvmsg begun by the reader ends: copy, release_sock (event field c = bytes to copy). */
export const READ_RELEASE = 3;
/** The reading task is ready for its next recv() call (queued once, with F_READ_QUEUED). */
export const READ_NEXT = 4;

/**
 * Two write() calls are 1 ns apart: everything the first one set off at the same instant (on lo/veth the
 * delivery, the ACK held in the sender's backlog until release_sock, what that ACK lets go, R-4.9) is
 * processed before the second.
 */
const SYSCALL_GAP_NS = 1;

function ms_to_ns(ms: number): number {
  return Math.round(ms * 1e6);
}

/** Time of the first write of connection c (ms): start_ms, plus the stagger phase for rate writers. */
export function writer_first_ms(ctx: SimContext, c: number): number {
  return group_writer_first_ms(ctx.groups[ctx.conn_group[c]], ctx.conn_index[c]);
}

/** writer_first_ms for the connection of index i in group gr. */
export function group_writer_first_ms(gr: GroupRuntime, i: number): number {
  const w = gr.g.writer;
  if (w.program.kind === 'rate' && w.program.stagger) {
    const period_ms = 1000 / w.program.messages_per_s;
    return w.start_ms + (i * period_ms) / gr.g.count;
  }
  return w.start_ms;
}

/** Time (ns) of step k of a rate writer (connection i of group gr): the schedule `writer_wake` keeps. */
export function rate_wake_ns(gr: GroupRuntime, i: number, k: number): number {
  const prog = gr.g.writer.program;
  const period_ms = prog.kind === 'rate' ? 1000 / prog.messages_per_s : 0;
  return ms_to_ns(group_writer_first_ms(gr, i) + k * period_ms);
}

/**
 * Queues connection c's writer wake-up at time_ns: through its group's rate schedule when it has one
 * (rate_schedule.ts: same place in the event order, no heap slot), else on the heap.
 */
export function schedule_writer_timer(ctx: SimContext, c: number, time_ns: number): void {
  const rs = ctx.rate_schedules[ctx.conn_group[c]];
  if (rs !== null && rs.schedule(ctx.conn_index[c], time_ns)) return;
  ctx.heap.push(time_ns, EV_WRITER, c, WAKE_TIMER);
}

/** Sends the pending bytes of connection c's writer; true when all went out. */
function flush_pending(ctx: SimContext, c: number, s: number): boolean {
  const pending = ctx.wr_pending[c];
  if (pending <= 0) return true;
  const n = tcp_sendmsg(ctx, s, pending);
  ctx.wr_pending[c] = pending - n;
  if (ctx.wr_pending[c] > 0) {
    ctx.wr_state[c] = WR_BLOCKED;
    return false;
  }
  ctx.wr_state[c] = WR_IDLE;
  return true;
}

/**
 * The writer program of connection c (scenario groups[].writer): `writes` steps with bursts and
 * spacing, `rate` messages on a fixed schedule (staggered phases), `fill` until the socket refuses,
 * `none`. A write the socket cannot take whole leaves the writer blocked (blocking) or waiting for
 * EPOLLOUT (non-blocking) — the same in this model — until an ACK frees space.
 * Model: spacing is measured from the end of the previous write; a rate writer that is blocked keeps
 * its schedule and queues the messages it could not send; `fill` stops at the first refusal whether
 * blocking or not; no write starts at or after stop_ms, but a blocked one (with a rate writer's queue) is
 * still flushed as space frees.
 */
export function writer_wake(ctx: SimContext, c: number, reason: number): void {
  if (ctx.wr_state[c] === WR_DONE) return;
  const gr = ctx.groups[ctx.conn_group[c]];
  const wr = gr.g.writer;
  const prog = wr.program;
  const s = 2 * c + gr.writer_side;
  if (wr.stop_ms !== undefined && ctx.now_ms >= wr.stop_ms) {
    // no write is issued at or after stop_ms, but one already issued (a blocked write, a rate writer's
    // queued messages) is still flushed as space frees, as the capture runner does (write_schedule.ts)
    if (reason === WAKE_SPACE && ctx.wr_state[c] === WR_BLOCKED && !flush_pending(ctx, c, s)) return;
    ctx.wr_state[c] = WR_DONE;
    return;
  }
  if (reason === WAKE_SPACE && ctx.wr_state[c] !== WR_BLOCKED) return;
  switch (prog.kind) {
    case 'none':
      ctx.wr_state[c] = WR_DONE;
      return;
    case 'fill': {
      if (reason === WAKE_SPACE) return;
      const n = tcp_sendmsg(ctx, s, prog.size_bytes);
      if (n < prog.size_bytes) {
        // EAGAIN: SOCK_NOSPACE stays set (only sk_stream_write_space clears it, once writeable), so
        // every later ACK still runs tcp_new_space → tcp_sndbuf_expand
        ctx.wr_state[c] = WR_DONE;
        return;
      }
      // the next write() is a new system call: what this one sent is processed first
      ctx.heap.push(ctx.now_ns + SYSCALL_GAP_NS, EV_WRITER, c, WAKE_TIMER);
      return;
    }
    case 'rate': {
      if (reason === WAKE_TIMER) {
        ctx.wr_pending[c] += prog.size_bytes;
        const period_ms = 1000 / prog.messages_per_s;
        ctx.wr_step[c] += 1;
        const next_ms = writer_first_ms(ctx, c) + ctx.wr_step[c] * period_ms;
        if (wr.stop_ms === undefined || next_ms < wr.stop_ms) schedule_writer_timer(ctx, c, ms_to_ns(next_ms));
      }
      flush_pending(ctx, c, s);
      return;
    }
    case 'writes': {
      if (reason === WAKE_TIMER) {
        // start the current write
        ctx.wr_pending[c] = prog.steps[ctx.wr_step[c]].size_bytes;
      }
      if (!flush_pending(ctx, c, s)) return;
      // the write completed: advance the program
      const step = prog.steps[ctx.wr_step[c]];
      ctx.wr_left[c] -= 1;
      const done_in_step = step.count - ctx.wr_left[c];
      let delay_ms = 0;
      if (ctx.wr_left[c] === 0) {
        ctx.wr_step[c] += 1;
        if (ctx.wr_step[c] === prog.steps.length) {
          ctx.wr_rep[c] -= 1;
          if (ctx.wr_rep[c] === 0) {
            ctx.wr_state[c] = WR_DONE;
            return;
          }
          ctx.wr_step[c] = 0;
        }
        ctx.wr_left[c] = prog.steps[ctx.wr_step[c]].count;
      } else if (done_in_step % step.burst === 0) {
        delay_ms = step.spacing_ms;
      }
      // each write() is its own system call: the ACKs this one provoked are processed before the next
      // (on lo/veth they wait in the sender's backlog until release_sock, R-4.9)
      ctx.heap.push(ctx.now_ns + Math.max(ms_to_ns(delay_ms), SYSCALL_GAP_NS), EV_WRITER, c, WAKE_TIMER);
      return;
    }
  }
}

/** Whether the reader of socket s reads as soon as data arrives (a continuous reader, not stalled). */
export function reader_wants_data(ctx: SimContext, s: number): boolean {
  const gr = ctx.groups[ctx.conn_group[s >> 1]];
  if ((s & 1) === gr.writer_side) return false;
  const rd = gr.g.reader;
  return rd.kind === 'continuous' && ctx.now_ms >= rd.start_ms && !reader_stalled(gr, ctx.now_ms);
}

/**
 * The reading task's whole time for one recv() of `bytes` (kernel and user space, at least the socket hold):
 * its next recv() starts no earlier.
 * Model: profile data (`reader_cost.reader_bytes_per_us` per link kind, measured on the capture runner: see the
 * profile's provenance).
 */
export function reader_cycle_ns(ctx: SimContext, bytes: number): number {
  const c = ctx.p.reader_cost;
  if (!c) return 0;
  const rate = ctx.link.kind === 'nic' ? (c.reader_bytes_per_us.nic ?? c.reader_bytes_per_us.loopback) : c.reader_bytes_per_us[ctx.link.kind];
  return Math.max(tcp_recvmsg_hold_ns(ctx, bytes), Math.ceil((bytes * 1000) / rate));
}

/**
 * One recv() of at most `max` bytes that takes time (profile `reader_cost`): with data queued, the reader
 * takes the socket (lock_sock) and the copy ends at now + tcp_recvmsg_hold_ns (READ_RELEASE). Nothing can
 * join or leave the receive queue while it is owned (arrivals go to the backlog, R-4.11), so the bytes to
 * copy are known now. With nothing queued the call returns EAGAIN and the task waits for sk_data_ready.
 */
function recv_start(ctx: SimContext, s: number, max: number): void {
  const sk = ctx.sock;
  const n = Math.min(max, sk.rcv_nxt[s] - sk.copied_seq[s]);
  if (n <= 0) return;
  lock_sock(ctx, s);
  const end_ns = ctx.now_ns + tcp_recvmsg_hold_ns(ctx, n);
  ctx.rd_busy_until_ns[s >> 1] = end_ns;
  if (!nothing_due_until(ctx, end_ns)) {
    ctx.heap.push(end_ns, EV_READ, s, READ_RELEASE, n);
    return;
  }
  // nothing happens before the hold ends: running the release now, with the clock at its end, is the same
  // as running its event (one event less per read when connections are mostly idle)
  const t_ns = ctx.now_ns;
  ctx.now_ns = end_ns;
  ctx.now_ms = end_ns / 1e6;
  recv_release(ctx, s, n);
  ctx.now_ns = t_ns;
  ctx.now_ms = t_ns / 1e6;
}

/**
 * Whether no event, no sample and not the end of the run falls in (now, end_ns]. Samples are at
 * round(k × interval_ms × 1e6) ns (simulate.ts); the three candidates around now cover float rounding.
 */
function nothing_due_until(ctx: SimContext, end_ns: number): boolean {
  if (ctx.heap.peek_time_ns() <= end_ns) return false;
  const { interval_ms, duration_ms } = ctx.scenario.sampling;
  if (end_ns > ms_to_ns(duration_ms)) return false;
  const k = Math.floor(ctx.now_ns / (interval_ms * 1e6));
  for (let i = k; i <= k + 2; i++) {
    const t = ms_to_ns(i * interval_ms);
    if (t > ctx.now_ns && t <= end_ns) return false;
  }
  return true;
}

/**
 * The end of a timed recv(): copy (tcp_recvmsg: free read skbs, DRS, __tcp_cleanup_rbuf), then release_sock
 * processes what the backlog gathered meanwhile. A continuous reader calls recv() again once its cycle
 * (reader_cycle_ns) is over.
 * Kernel: net/ipv4/tcp.c `tcp_recvmsg` (lock_sock, tcp_recvmsg_locked, release_sock). With MSG_DONTWAIT (the
 * capture runner's reads) tcp_recvmsg_locked stops when the receive queue is empty and never reaches its
 * `__sk_flush_backlog` (that is for blocking readers that already copied their target), so the backlog waits
 * for release_sock.
 */
function recv_release(ctx: SimContext, s: number, bytes: number): void {
  const sk = ctx.sock;
  tcp_recvmsg(ctx, s, bytes);
  release_sock(ctx, s);
  const gr = ctx.groups[ctx.conn_group[s >> 1]];
  if (gr.g.reader.kind !== 'continuous') return;
  const next_ns = ctx.now_ns + Math.max(0, reader_cycle_ns(ctx, bytes) - tcp_recvmsg_hold_ns(ctx, bytes));
  ctx.rd_busy_until_ns[s >> 1] = next_ns;
  // more to read (the backlog brought data): call again at the end of the cycle. Otherwise no event: data
  // arriving during the cycle schedules that call (reader_wake), data arriving later wakes the reader.
  if (sk.rcv_nxt[s] > sk.copied_seq[s]) reader_call_at_cycle_end(ctx, s);
}

/** Queues the reading task's next recv() for the end of its cycle, once (F_READ_QUEUED). */
function reader_call_at_cycle_end(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  if (sk.flags[s] & F_READ_QUEUED) return;
  sk.flags[s] |= F_READ_QUEUED;
  ctx.heap.push(ctx.rd_busy_until_ns[s >> 1], EV_READ, s, READ_NEXT);
}

/**
 * The reader program of socket s (scenario groups[].reader): `continuous` reads read_bytes per call
 * until the queue is empty whenever data arrives (outside stalls); `periodic` reads up to max_bytes
 * every every_ms; `never` reads nothing.
 * Model: without `reader_cost` in the profile a read takes no time: the reader runs right after the softirq
 * work that woke it (same simulated instant). With it, each recv() holds the socket for
 * tcp_recvmsg_hold_ns (arrivals go to the backlog) and a continuous reader's next recv() starts one
 * reader_cycle_ns after the previous one began, so a writer faster than the reader builds a queue.
 */
export function reader_wake(ctx: SimContext, s: number, reason: number, c = 0): void {
  const sk = ctx.sock;
  const gr = ctx.groups[ctx.conn_group[s >> 1]];
  const rd = gr.g.reader;
  if (reason === READ_DATA || reason === READ_NEXT) sk.flags[s] &= ~F_READ_QUEUED;
  if (rd.kind === 'never') return;
  if (reason === READ_RELEASE) {
    recv_release(ctx, s, c);
    return;
  }
  const timed = ctx.p.reader_cost !== undefined;
  if (rd.kind === 'continuous') {
    if (!reader_wants_data(ctx, s)) return;
    if (timed) {
      // inside recv(): the release looks at the queue; between two calls: read at the end of the cycle
      if (sk.owned[s] !== 0) return;
      if (ctx.rd_busy_until_ns[s >> 1] > ctx.now_ns) {
        reader_call_at_cycle_end(ctx, s);
        return;
      }
      recv_start(ctx, s, rd.read_bytes);
      return;
    }
    for (;;) {
      const n = tcp_recvmsg(ctx, s, rd.read_bytes);
      if (n < rd.read_bytes) return;
    }
  }
  // periodic
  if (reason !== READ_TICK) return;
  const next_ms = ctx.now_ms + rd.every_ms;
  ctx.heap.push(ms_to_ns(next_ms), EV_READ, s, READ_TICK);
  if (reader_stalled(gr, ctx.now_ms)) return;
  if (timed) {
    if (sk.owned[s] === 0) recv_start(ctx, s, rd.max_bytes);
    return;
  }
  tcp_recvmsg(ctx, s, rd.max_bytes);
}
