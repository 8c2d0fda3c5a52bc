import type { SimContext } from './sim_context';
import { F_NOSPACE, F_NODELAY } from './socket_table';
import { SKB_CLOSED } from './skb_pool';
import { sk_forced_mem_schedule, sk_mem_schedule } from './mem_pool';
import { tcp_current_mss, tcp_xmit_size_goal } from './tcp_xmit_size_goal';
import { tcp_write_xmit } from './tcp_write_xmit';
import { task_frag_siblings_straddle, weighted_frag_decision } from './weighted_task_frag';

/** SKB_FRAG_PAGE_ORDER 3: the task page frag is 32 KiB. */
const PFRAG_BYTES = 32768;

/**
 * Kernel: include/net/sock.h `__sk_stream_memory_free` + tcp_ipv4.c `tcp_stream_memory_free`:
 * a new skb may be started while w < sndbuf and unsent bytes < notsent_lowat.
 */
export function sk_stream_memory_free(ctx: SimContext, s: number): boolean {
  const sk = ctx.sock;
  if (sk.w[s] >= sk.tb[s]) return false;
  return sk.write_seq[s] - sk.snd_nxt[s] < ctx.p.sysctl.tcp_notsent_lowat;
}

/**
 * Kernel: net/core/stream.c `__sk_stream_is_writeable` / tcp.c `tcp_poll`: EPOLLOUT iff
 * sndbuf − w ≥ w/2, w < sndbuf and 2 × notsent < notsent_lowat.
 */
export function sk_stream_is_writeable(ctx: SimContext, s: number): boolean {
  const sk = ctx.sock;
  const w = sk.w[s];
  const tb = sk.tb[s];
  if (tb - w < w >> 1) return false;
  if (w >= tb) return false;
  return 2 * (sk.write_seq[s] - sk.snd_nxt[s]) < ctx.p.sysctl.tcp_notsent_lowat;
}

/**
 * Kernel: net/ipv4/tcp.c `tcp_wmem_schedule`: schedule `copy` bytes; on refusal, force up to
 * tcp_wmem[0] − w so that a socket with nothing queued still progresses; then copy at most f.
 */
function tcp_wmem_schedule(ctx: SimContext, s: number, copy: number): number {
  if (sk_mem_schedule(ctx, s, copy, true)) return copy;
  const left = ctx.p.sysctl.tcp_wmem[0] - ctx.sock.w[s];
  if (left > 0) sk_forced_mem_schedule(ctx, s, Math.min(left, copy));
  return Math.min(copy, ctx.sock.f[s]);
}

/**
 * Kernel: net/core/sock.c `skb_page_frag_refill` (R-2.4) seen from the task frag only: where it stands
 * after `n` more copies of `copy` bytes by the other connections a weighted connection stands for.
 * Model: closed form; the bytes flow on across pages (a straddling copy splits), a page left with fewer
 * than 32 bytes is not skipped, and the siblings' own straddles are not represented (a weighted
 * connection is simulated once, docs/simulator.md "The weighting rule"). Page numbers wrap at 2^30
 * (they are only compared for equality with a socket's last one).
 */
export function task_frag_advance(ctx: SimContext, side: number, copy: number, n: number): void {
  if (n <= 0) return;
  const end = ctx.task_frag_off[side] + copy * n;
  ctx.task_frag_off[side] = end % PFRAG_BYTES;
  ctx.task_frag_page[side] = (ctx.task_frag_page[side] + Math.floor(end / PFRAG_BYTES)) % 0x40000000;
}

/**
 * One write() of `size` bytes. Returns the bytes accepted; fewer than `size` means the writer must wait
 * for send space (blocking) or saw EAGAIN (non-blocking), and SOCK_NOSPACE is set.
 *
 * Kernel: net/ipv4/tcp.c `tcp_sendmsg_locked` (R-2.1..2.6): append to the unsent tail up to size_goal,
 * else start a new skb (tcp_stream_alloc_skb: truesize 832 on the 6.18 reference, 1280 on 6.1, R-2.3;
 * force-charged when both queues are empty) if sk_stream_memory_free; copy into the page frag
 * (truesize += bytes copied, R-2.6); a full skb is pushed at once (tcp_push_one), the tail at the end
 * (tcp_push with Nagle, R-2.13).
 * The page frag is the writing task's (`sk_page_frag` → `current->task_frag`, R-2.4), shared by every
 * socket that task writes to: the capture runs one single-threaded runner per side, so the model keeps one
 * task frag per side (`ctx.task_frag_off[side]`, `ctx.task_frag_page[side]`; side = s & 1). Interleaved
 * writers reach a page boundary sooner, and a write that straddles it takes two frags (measured:
 * data/measurements/writer-lock-2026-12-04.json, scripts/writer-lock: two connections writing 1000 B in
 * turn split write 17 of the first, r 31664 instead of 41648).
 * Model: a copy extends the skb's last frag when the task has not started a new page since that frag
 * was written (`skb.frag_page`). The kernel (`skb_can_coalesce`, R-2.5) also needs no other socket of the
 * task to have copied in between; the model's writers interleave at nanosecond steps where the runner's
 * fill loops on one socket, so that part is left out. The page is never reused from offset 0 (the kernel
 * reuses it when its only reference is ours).
 */
export function tcp_sendmsg(ctx: SimContext, s: number, size: number): number {
  const sk = ctx.sock;
  const k = ctx.skb;
  const max_frags = ctx.p.struct.max_skb_frags;
  let copied = 0;
  let blocked = false;
  while (copied < size) {
    const mss_now = tcp_current_mss(ctx, s);
    const size_goal = tcp_xmit_size_goal(ctx, s, mss_now);
    let skb = sk.wq_send[s] >= 0 ? sk.wq_tail[s] : -1;
    let copy = skb >= 0 && !(k.flags[skb] & SKB_CLOSED) ? size_goal - k.len[skb] : 0;
    if (copy <= 0) {
      // new_segment
      if (!sk_stream_memory_free(ctx, s)) {
        blocked = true;
        break;
      }
      const base = ctx.tx_base_truesize;
      if (sk.wq_head[s] < 0) {
        sk_forced_mem_schedule(ctx, s, base);
      } else if (!sk_mem_schedule(ctx, s, base, true)) {
        blocked = true;
        break;
      }
      skb = k.alloc(sk.write_seq[s], 0, base, 0, 0);
      // tcp_skb_entail
      sk.w[s] += base;
      sk.f[s] -= base;
      if (sk.wq_tail[s] >= 0) k.next[sk.wq_tail[s]] = skb;
      else sk.wq_head[s] = skb;
      sk.wq_tail[s] = skb;
      if (sk.wq_send[s] < 0) sk.wq_send[s] = skb;
      copy = size_goal;
    }
    copy = Math.min(copy, size - copied);
    // page frag: refill when fewer than 32 bytes remain
    const side = s & 1;
    let room = PFRAG_BYTES - ctx.task_frag_off[side];
    if (room < 32) {
      ctx.task_frag_off[side] = 0;
      ctx.task_frag_page[side] = (ctx.task_frag_page[side] + 1) % 0x40000000;
      room = PFRAG_BYTES;
    }
    const merge = k.nr_frags[skb] > 0 && k.frag_page[skb] === ctx.task_frag_page[side];
    // a fresh skb (no frag yet) is fresh for the siblings too; otherwise theirs may hold more or fewer frags
    if (!merge && k.nr_frags[skb] > 0) weighted_frag_decision(ctx, s);
    if (!merge && k.nr_frags[skb] >= max_frags) {
      // tcp_mark_push; goto new_segment
      k.flags[skb] |= SKB_CLOSED;
      continue;
    }
    copy = Math.min(copy, room);
    copy = tcp_wmem_schedule(ctx, s, copy);
    if (copy <= 0) {
      blocked = true;
      break;
    }
    if (!merge) k.nr_frags[skb] += 1;
    ctx.task_frag_off[side] += copy;
    k.frag_page[skb] = ctx.task_frag_page[side];
    // A weighted connection stands for `weight` writers whose copies follow its own back to back.
    if (ctx.weighted) {
      task_frag_siblings_straddle(ctx, s, ctx.task_frag_off[side], copy, ctx.conn_weight[s >> 1] - 1, merge || k.nr_frags[skb] > 1, merge);
      task_frag_advance(ctx, side, copy, ctx.conn_weight[s >> 1] - 1);
    }
    k.len[skb] += copy;
    k.truesize[skb] += copy;
    sk.w[s] += copy;
    sk.f[s] -= copy;
    sk.write_seq[s] += copy;
    copied += copy;
    if (k.len[skb] >= size_goal && skb === sk.wq_send[s]) tcp_write_xmit(ctx, s, false);
  }
  if (blocked) {
    sk.flags[s] |= F_NOSPACE;
    // wait_for_space: tcp_push(..., TCP_NAGLE_PUSH) before sleeping
    tcp_write_xmit(ctx, s, true);
  } else {
    tcp_write_xmit(ctx, s, (sk.flags[s] & F_NODELAY) !== 0);
  }
  return copied;
}
