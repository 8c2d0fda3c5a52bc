import type { SimContext } from './sim_context';
import { WeightingBroken } from './mem_pool';

/** SKB_FRAG_PAGE_ORDER 3: the task page frag is 32 KiB. */
const PFRAG_BYTES = 32768;

/**
 * Connections (conn index = s >> 1) of a weighted run whose siblings may hold their bytes in a different
 * number of frags than the simulated representative. Keyed by the run's context, so nothing outlives a run.
 */
const diverged = new WeakMap<SimContext, Set<number>>();

/**
 * Kernel: net/core/sock.c `skb_page_frag_refill` + net/ipv4/tcp.c `tcp_sendmsg_locked`:
 * the `n` sibling copies of `copy` bytes that follow the representative's own one on the writing task's
 * page frag starting at `off_bytes`. When one of them runs past the page end (a straddle: two frags
 * instead of one) or starts with fewer than 32 bytes left (a refill), the task page changes in the middle of
 * the siblings: from then on a sibling may hold its bytes in one frag more (the straddle) or one frag less
 * or more (its next copy merges into its last frag only if no page change happened since) than the
 * representative.
 * Model: marks the connection; frag counts alone change no memory number (truesize counts bytes, R-2.6), so
 * the run stays weighted until a decision that compares frag counts with MAX_SKB_FRAGS is reached for it
 * (`weighted_frag_decision`).
 */
export function task_frag_siblings_straddle(
  ctx: SimContext,
  s: number,
  off_bytes: number,
  copy: number,
  n: number,
  appends: boolean,
  merged: boolean,
): void {
  if (n <= 0 || copy <= 0) return;
  if (!task_frag_siblings_differ(off_bytes, copy, n, appends, merged)) return;
  let set = diverged.get(ctx);
  if (!set) {
    set = new Set<number>();
    diverged.set(ctx, set);
  }
  set.add(s >> 1);
}

/**
 * Whether `n` sibling copies of `copy` bytes from `off_bytes` (0 ≤ off ≤ 32768, right after the
 * representative's own copy) can give a sibling another frag count than the representative:
 * - a page boundary strictly inside one of them (a straddle: two frags, R-2.5);
 * - the copy appends to an skb that has frags (`appends`) and a page change lies in some sibling's window
 *   but maybe not in the representative's: the representative did not merge (a change in its window, which
 *   a later sibling's window may miss), or a boundary is reached among the siblings (in their windows, not
 *   in the representative's).
 * Copies that are fresh skbs hold one frag each for everyone (two with a straddle).
 */
export function task_frag_siblings_differ(off_bytes: number, copy: number, n: number, appends: boolean, merged: boolean): boolean {
  if (appends && !merged) return true;
  const end = off_bytes + copy * n;
  // boundaries b × 32768 with off ≤ b × 32768 < end: each one is a page change for the copy starting there
  const first = Math.ceil(off_bytes / PFRAG_BYTES);
  const last = Math.floor((end - 1) / PFRAG_BYTES);
  if (first > last) return false;
  if (appends) return true;
  // Copies start at off + i × copy: a boundary falls on a start iff (b × 32768 − off) % copy == 0. When
  // copy divides 32768 every boundary behaves like the first; otherwise two boundaries cannot both do.
  if ((first * PFRAG_BYTES - off_bytes) % copy !== 0) return true;
  return PFRAG_BYTES % copy !== 0 && first < last;
}

/**
 * Called where the kernel compares an skb's frag count with MAX_SKB_FRAGS (17): the 17-frag limit of
 * `tcp_sendmsg_locked` (R-2.5), `skb_try_coalesce` in tcp_try_coalesce (R-4.6, R-4.7) and in
 * tcp_add_backlog, `tcp_shift_skb_data` for SACK merging, and `tcp_grow_skb`. There the siblings of a
 * connection marked by `task_frag_siblings_straddle` may decide otherwise than the representative (a
 * coalesce that succeeds for one and fails for another changes truesize, r and the skb count): the
 * weighted run is given up (WeightingBroken) and redone unweighted (docs/simulator.md "The weighting rule").
 * Model: the siblings' own frag counts are not tracked, so any such decision for a marked connection
 * counts as one that can differ.
 */
export function weighted_frag_decision(ctx: SimContext, s: number): void {
  if (!ctx.weighted) return;
  const set = diverged.get(ctx);
  if (set && set.has(s >> 1)) throw new WeightingBroken('a weighted connection\'s siblings straddle the task page frag before a frag-limit decision');
}
