import { describe, expect, it } from 'vitest';
import { sk_memory_allocated_add, type MemPool } from '../../../model/sim/mem_pool';

function pool(): MemPool {
  return {
    tcp_mem: [100, 200, 300],
    pcpu_rsv: 256,
    global_pages: 0,
    percpu_pages: 0,
    true_pages: 0,
    pressure_since_ms: -1,
    sockets_allocated: 0,
    memcg_limit_pages: 0,
    memcg_usage_pages: 0,
    memcg_max_usage_pages: 0,
    memcg_failcnt: 0,
    memcg_pressure: false,
    memcg_enabled: false,
  };
}

/** The kernel's loop (include/net/sock.h sk_memory_allocated_add/sub, R-6.6), one charge at a time. */
function step_loop(m: MemPool, amt: number, times: number): void {
  for (let i = 0; i < times; i++) {
    m.true_pages += amt;
    m.percpu_pages += amt;
    if (amt > 0 && m.percpu_pages >= m.pcpu_rsv) {
      m.global_pages += m.percpu_pages;
      m.percpu_pages = 0;
    } else if (amt < 0 && m.percpu_pages <= -m.pcpu_rsv) {
      m.global_pages += m.percpu_pages;
      m.percpu_pages = 0;
    }
  }
}

describe('sk_memory_allocated_add (per-CPU reserve, R-6.6)', () => {
  it('keeps charges below mem_pcpu_rsv on the CPU and folds them when they reach it', () => {
    // by hand: +100, +100 stay per-CPU (200); the third makes 300 ≥ 256 → global 300, per-CPU 0;
    // two more: per-CPU 200. So global 300, pending 200, true 500.
    const m = pool();
    sk_memory_allocated_add(m, 100, 5);
    expect(m.global_pages).toBe(300);
    expect(m.percpu_pages).toBe(200);
    expect(m.true_pages).toBe(500);
  });

  it('folds releases at −mem_pcpu_rsv, so sockstat can stay above the true sum', () => {
    // by hand: global 300, pending 200 (above); then 300 releases of 1 page: pending 200 → 0 after 200,
    // → −100 after 300; it never reaches −256, so global stays 300 while the true sum is 200.
    const m = pool();
    sk_memory_allocated_add(m, 100, 5);
    sk_memory_allocated_add(m, -1, 300);
    expect(m.global_pages).toBe(300);
    expect(m.percpu_pages).toBe(-100);
    expect(m.true_pages).toBe(200);
  });

  it('matches the one-at-a-time loop for weighted charges of every size', () => {
    for (const amt of [1, 2, 3, 7, 100, 255, 256, 300, -1, -5, -256, -400]) {
      for (const times of [1, 2, 85, 86, 1000, 12345]) {
        const a = pool();
        const b = pool();
        a.percpu_pages = b.percpu_pages = 17;
        sk_memory_allocated_add(a, amt, times);
        step_loop(b, amt, times);
        expect([a.global_pages, a.percpu_pages, a.true_pages]).toEqual([b.global_pages, b.percpu_pages, b.true_pages]);
      }
    }
  });
});
