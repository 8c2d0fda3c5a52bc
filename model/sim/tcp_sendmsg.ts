import type { SimContext } from './sim_context';
import { F_NOSPACE, F_NODELAY } from './socket_table';
import { SKB_CLOSED } from './skb_pool';
import { sk_forced_mem_schedule, sk_mem_schedule } from './mem_pool';
import { tcp_current_mss, tcp_xmit_size_goal } from './tcp_xmit_size_goal';
import { tcp_write_xmit } from './tcp_write_xmit';

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
 * One write() of `size` bytes. Returns the bytes accepted; fewer than `size` means the writer must wait
 * for send space (blocking) or saw EAGAIN (non-blocking), and SOCK_NOSPACE is set.
 *
 * Kernel: net/ipv4/tcp.c `tcp_sendmsg_locked` (R-2.1..2.6): append to the unsent tail up to size_goal,
 * else start a new skb (tcp_stream_alloc_skb: truesize 832 on the 6.18 reference, 1280 on 6.1, R-2.3;
 * force-charged when both queues are empty) if sk_stream_memory_free; copy into the page frag
 * (truesize += bytes copied, R-2.6); a full skb is pushed at once (tcp_push_one), the tail at the end
 * (tcp_push with Nagle, R-2.13).
 * Model: one page frag per socket (the kernel's is per task); the page is never reused from offset 0.
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
    let room = PFRAG_BYTES - sk.pfrag_off[s];
    let new_page = false;
    if (room < 32) {
      sk.pfrag_off[s] = 0;
      room = PFRAG_BYTES;
      new_page = true;
    }
    const merge = k.nr_frags[skb] > 0 && !new_page;
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
    sk.pfrag_off[s] += copy;
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
