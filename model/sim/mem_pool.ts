import type { SimContext } from './sim_context';
import { F_MEMCG } from './socket_table';
import { C_MemoryPressures, C_MemoryPressuresChrono } from './counters';

/**
 * Global TCP memory: tcp_memory_allocated with its per-CPU reserve, the pressure flag, and the memcg v1
 * TCP page counter.
 *
 * Kernel: net/core/sock.c `__sk_mem_raise_allocated`, `__sk_mem_reduce_allocated`,
 * include/net/sock.h `sk_memory_allocated_add/sub`, net/ipv4/tcp.c
 * `tcp_enter/leave_memory_pressure`, mm/memcontrol-v1 tcpmem counter.
 * Model: every charge happens on one CPU (CPU 0), so the global counter lags the true sum by the one
 * pending per-CPU delta in (−mem_pcpu_rsv, +mem_pcpu_rsv); a weighted connection (standing for w identical
 * ones) charges as if its w copies charged back to back.
 */
export interface MemPool {
  tcp_mem: readonly [number, number, number];
  pcpu_rsv: number;
  /** tcp_memory_allocated (pages): what sockstat shows (clamped at 0) and the tests use. */
  global_pages: number;
  /** Pending per-CPU delta (pages). */
  percpu_pages: number;
  /** True sum of all charges (pages). */
  true_pages: number;
  /** tcp_memory_pressure: entry time in ms, or -1 when not under pressure. */
  pressure_since_ms: number;
  sockets_allocated: number;
  memcg_limit_pages: number;
  memcg_usage_pages: number;
  memcg_max_usage_pages: number;
  memcg_failcnt: number;
  memcg_pressure: boolean;
  memcg_enabled: boolean;
}

/** Thrown when a weighted run reaches a region where identical sockets stop behaving identically. */
export class WeightingBroken extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'WeightingBroken';
  }
}

/**
 * `weight` successive sk_memory_allocated_add(amt) (amt may be negative: _sub) on one CPU, in closed form.
 * Kernel: include/net/sock.h: the per-CPU delta is folded into the global counter when it
 * reaches +rsv (adds) or −rsv (subs).
 */
export function sk_memory_allocated_add(m: MemPool, amt: number, weight: number): void {
  if (amt === 0 || weight <= 0) return;
  m.true_pages += amt * weight;
  const rsv = m.pcpu_rsv;
  let L = m.percpu_pages;
  const step = Math.abs(amt);
  const sign = amt > 0 ? 1 : -1;
  // work in the direction of amt: x = sign * L, fold when x >= rsv
  const x0 = sign * L;
  const k1 = x0 + step >= rsv ? 1 : Math.ceil((rsv - x0) / step);
  if (weight < k1) {
    L += amt * weight;
  } else {
    m.global_pages += L + amt * k1;
    let remaining = weight - k1;
    const k = Math.ceil(rsv / step);
    const folds = Math.floor(remaining / k);
    m.global_pages += folds * k * amt;
    remaining -= folds * k;
    L = remaining === 0 ? 0 : remaining * amt;
  }
  m.percpu_pages = L;
}

export function tcp_enter_memory_pressure(ctx: SimContext): void {
  if (ctx.mem.pressure_since_ms < 0) {
    ctx.mem.pressure_since_ms = ctx.now_ms;
    ctx.counters[C_MemoryPressures] += 1;
  }
}

export function tcp_leave_memory_pressure(ctx: SimContext): void {
  const m = ctx.mem;
  if (m.pressure_since_ms >= 0) {
    // jiffies_to_msecs(jiffies − entry): counted in whole jiffies
    const jiffy_ms = 1000 / ctx.p.hz;
    ctx.counters[C_MemoryPressuresChrono] += Math.floor((ctx.now_ms - m.pressure_since_ms) / jiffy_ms) * jiffy_ms;
    m.pressure_since_ms = -1;
  }
}

/** tcp_under_memory_pressure(sk): memcg socket pressure or the global flag. */
export function tcp_under_memory_pressure(ctx: SimContext, s: number): boolean {
  return ctx.mem.pressure_since_ms >= 0 || ((ctx.sock.flags[s] & F_MEMCG) !== 0 && ctx.mem.memcg_pressure);
}

function weight_of(ctx: SimContext, s: number): number {
  return ctx.conn_weight[s >> 1];
}

/**
 * memcg v1 TCP charge: page_counter_try_charge; a failure counts failcnt and sets
 * tcpmem_pressure; a success clears it; `force` (__GFP_NOFAIL) charges over the limit after the failed try.
 */
function memcg_charge(ctx: SimContext, pages: number, force: boolean): boolean {
  const m = ctx.mem;
  if (m.memcg_usage_pages + pages > m.memcg_limit_pages) {
    if (ctx.weighted) throw new WeightingBroken('memcg TCP limit reached');
    m.memcg_pressure = true;
    m.memcg_failcnt += 1;
    if (!force) return false;
  } else {
    m.memcg_pressure = false;
  }
  m.memcg_usage_pages += pages;
  if (m.memcg_usage_pages > m.memcg_max_usage_pages) m.memcg_max_usage_pages = m.memcg_usage_pages;
  return true;
}

/**
 * Kernel: net/core/sock.c `__sk_mem_raise_allocated(sk, size, amt, kind)` (R-6.4, 6.18 order; the
 * 6.1 fairness variant via profile.pressure_fairness). `size` is the bytes asked beyond f.
 * Model: exact order of tests; sk_sockets_allocated is the number of simulated sockets × weight.
 */
export function sk_mem_raise_allocated(ctx: SimContext, s: number, size: number, amt: number, send: boolean): boolean {
  const m = ctx.mem;
  const sk = ctx.sock;
  const wgt = weight_of(ctx, s);
  sk_memory_allocated_add(m, amt, wgt);
  const allocated = m.global_pages;
  const in_memcg = m.memcg_enabled && (sk.flags[s] & F_MEMCG) !== 0;
  let charged = false;
  if (in_memcg) {
    charged = memcg_charge(ctx, amt * wgt, false);
  }
  if (!in_memcg || charged) {
    if (allocated <= m.tcp_mem[0]) {
      tcp_leave_memory_pressure(ctx);
      return true;
    }
    if (ctx.weighted) throw new WeightingBroken('tcp_memory_allocated above tcp_mem[0]');
    if (allocated > m.tcp_mem[1]) tcp_enter_memory_pressure(ctx);
    if (allocated <= m.tcp_mem[2]) {
      // minimum guarantees
      if (!send && sk.r[s] < ctx.p.sysctl.tcp_rmem[0]) return true;
      if (send && sk.w[s] < ctx.p.sysctl.tcp_wmem[0]) return true;
      const under =
        ctx.p.pressure_fairness === 'global' ? m.pressure_since_ms >= 0 : tcp_under_memory_pressure(ctx, s);
      if (!under) return true;
      const pages = Math.ceil((sk.w[s] + sk.r[s] + sk.f[s]) / 4096);
      if (m.tcp_mem[2] > Math.max(m.sockets_allocated, 0) * pages) return true;
    }
  }
  // suppress_allocation
  if (send) {
    sk_stream_moderate_sndbuf(ctx, s);
    if (sk.w[s] + size >= sk.tb[s]) {
      if (in_memcg && !charged) memcg_charge(ctx, amt * wgt, true);
      return true;
    }
  }
  sk_memory_allocated_add(m, -amt, wgt);
  if (charged) memcg_uncharge(ctx, amt * wgt);
  return false;
}

function memcg_uncharge(ctx: SimContext, pages: number): void {
  ctx.mem.memcg_usage_pages -= pages;
}

/**
 * Kernel: include/net/sock.h `sk_stream_moderate_sndbuf` (R-6.4 step 9):
 * sndbuf = max(min(sndbuf, w/2), SOCK_MIN_SNDBUF) unless SO_SNDBUF locked.
 * Model: no SO_RESERVE_MEM (unused reserved = 0).
 */
export function sk_stream_moderate_sndbuf(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  if (sk.flags[s] & 2 /* F_SNDBUF_LOCK */) return;
  sk.tb[s] = Math.max(Math.min(sk.tb[s], sk.w[s] >> 1), 4608);
}

/**
 * Kernel: include/net/sock.h `sk_wmem_schedule` / `sk_rmem_schedule` → `__sk_mem_schedule`.
 * Model: exact; pfmemalloc skbs are not modelled.
 */
export function sk_mem_schedule(ctx: SimContext, s: number, size: number, send: boolean): boolean {
  const sk = ctx.sock;
  const delta = size - sk.f[s];
  if (delta <= 0) return true;
  const amt = Math.ceil(delta / 4096);
  sk.f[s] += amt * 4096;
  if (sk_mem_raise_allocated(ctx, s, delta, amt, send)) return true;
  sk.f[s] -= amt * 4096;
  return false;
}

/**
 * Kernel: net/ipv4/tcp_output.c `sk_forced_mem_schedule`: charge without any test
 * (memcg with __GFP_NOFAIL).
 */
export function sk_forced_mem_schedule(ctx: SimContext, s: number, size: number): void {
  const sk = ctx.sock;
  const delta = size - sk.f[s];
  if (delta <= 0) return;
  const amt = Math.ceil(delta / 4096);
  sk.f[s] += amt * 4096;
  const wgt = weight_of(ctx, s);
  sk_memory_allocated_add(ctx.mem, amt, wgt);
  if (ctx.mem.memcg_enabled && (sk.flags[s] & F_MEMCG) !== 0) memcg_charge(ctx, amt * wgt, true);
}

/**
 * Kernel: include/net/sock.h `sk_mem_reclaim` → net/core/sock.c `__sk_mem_reclaim` /
 * `__sk_mem_reduce_allocated`: whole pages of f go back; under global pressure, falling
 * below tcp_mem[0] leaves pressure.
 * Model: no SO_RESERVE_MEM.
 */
export function sk_mem_reclaim(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const f = sk.f[s];
  if (f < 4096) return;
  const pages = Math.floor(f / 4096);
  sk.f[s] = f - pages * 4096;
  const wgt = weight_of(ctx, s);
  if (ctx.mem.memcg_enabled && (sk.flags[s] & F_MEMCG) !== 0) memcg_uncharge(ctx, pages * wgt);
  sk_memory_allocated_add(ctx.mem, -pages, wgt);
  if (ctx.mem.pressure_since_ms >= 0 && ctx.mem.global_pages < ctx.mem.tcp_mem[0]) tcp_leave_memory_pressure(ctx);
}

/** sk_mem_uncharge: f += n, then reclaim. */
export function sk_mem_uncharge(ctx: SimContext, s: number, n: number): void {
  ctx.sock.f[s] += n;
  sk_mem_reclaim(ctx, s);
}
