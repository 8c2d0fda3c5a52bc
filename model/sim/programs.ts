import type { SimContext } from './sim_context';
import { EV_READ, EV_WRITER } from './sim_context';
import { F_READ_QUEUED } from './socket_table';
import { reader_stalled, type GroupRuntime } from './group_runtime';
import { tcp_sendmsg } from './tcp_sendmsg';
import { tcp_recvmsg } from './tcp_recvmsg';

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
 * blocking or not.
 */
export function writer_wake(ctx: SimContext, c: number, reason: number): void {
  if (ctx.wr_state[c] === WR_DONE) return;
  const gr = ctx.groups[ctx.conn_group[c]];
  const wr = gr.g.writer;
  const prog = wr.program;
  const s = 2 * c + gr.writer_side;
  if (wr.stop_ms !== undefined && ctx.now_ms >= wr.stop_ms) {
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
 * The reader program of socket s (scenario groups[].reader): `continuous` reads read_bytes per call
 * until the queue is empty whenever data arrives (outside stalls); `periodic` reads up to max_bytes
 * every every_ms; `never` reads nothing.
 * Model: the reader runs right after the softirq work that woke it (same simulated instant).
 */
export function reader_wake(ctx: SimContext, s: number, reason: number): void {
  const sk = ctx.sock;
  const gr = ctx.groups[ctx.conn_group[s >> 1]];
  const rd = gr.g.reader;
  if (reason === READ_DATA) sk.flags[s] &= ~F_READ_QUEUED;
  if (rd.kind === 'never') return;
  if (rd.kind === 'continuous') {
    if (!reader_wants_data(ctx, s)) return;
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
  tcp_recvmsg(ctx, s, rd.max_bytes);
}
