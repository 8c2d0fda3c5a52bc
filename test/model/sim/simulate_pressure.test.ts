import { describe, expect, it } from 'vitest';
import { last_global, one_group, run } from './helpers';

const one_message = {
  count: 20,
  writer: { program: { kind: 'writes', steps: [{ size_bytes: 4000, count: 1 }] } },
};

describe('simulate: memory cgroup v1 TCP limit (R-6.15) and tcp_mem pressure (R-6.4, R-6.11)', () => {
  it('charges readers to the memcg until the limit, then refuses, prunes and force-accepts into empty queues', () => {
    // 20 connections each deliver one 4000-byte message (truesize 4832 → 2 pages) to a reader that
    // never reads; the memcg (readers) allows 10 pages. Receivers 1..5 charge 2 pages each (usage 10).
    // Receivers 6..20: the try-charge fails (failcnt, tcpmem_pressure) → sk_rmem_schedule fails →
    // tcp_prune_queue (PruneCalled) finds r = 0 → fails → ICSK_ACK_NOMEM (zero window, 6.18) and, the
    // queue being empty, sk_forced_mem_schedule: a second failed try (failcnt) then a forced charge
    // . So usage 40 pages, failcnt 2 × 15 = 30, PruneCalled 15, every receiver holds
    // r = 4832 and nothing is dropped. The NOMEM zero window is not counted as TCPToZeroWindowAdv:
    // tcp_select_window returns 0 before that accounting (R-5.13; the memcg-pressure capture counts 0).
    const r = run(one_group({ ...one_message }, { kernel: { memcg: { tcp_limit_bytes: 10 * 4096, holds: 'readers' } } }));
    const g = last_global(r);
    expect(g.memcg_tcp_usage_bytes).toBe(40 * 4096);
    expect(g.memcg_tcp_max_usage_bytes).toBe(40 * 4096);
    expect(g.memcg_tcp_failcnt_count).toBe(30);
    expect(g.counter_PruneCalled_count).toBe(15);
    expect(g.counter_TCPToZeroWindowAdv_count).toBe(0);
    expect(g.counter_TCPRcvQDrop_count).toBe(0);
    const servers = r.run.sockets.filter((x) => x.t_ms === 1000 && x.side === 'server');
    expect(servers.reduce((a, x) => a + x.weight, 0)).toBe(20);
    expect(servers.every((x) => x.r_bytes === 4832)).toBe(true);
    expect(r.run.meta.notes.some((n) => n.startsWith('weighting abandoned'))).toBe(true);
  });

  it('enters global pressure once the lagging counter passes tcp_mem[1] and moderates later writers\' sndbuf', () => {
    // tcp_mem = 50 100 150 pages, 200 connections, one 4000-byte write each, never read. Each writer
    // charges 2 pages (832 forced for the first skb, R-2.3; then 736 more for the copy, R-2.6) into the
    // per-CPU reserve; at the 128th writer's second page it reaches 256 and folds: global 256 > 150
    // pressure is entered (TCPMemoryPressures 1, R-6.11), the charge is over tcp_mem[2] and
    // suppressed, sk_stream_moderate_sndbuf sets sndbuf to 4608 (R-6.4 step 9); the tcp_wmem[0]
    // fallback still lets the write through. Writers 128..200 all see global ≥ 256: 73 clients
    // end with sndbuf 4608, 127 keep 3939840. Receivers are admitted by the r < tcp_rmem[0] guarantee
    // (R-6.4 step 6): all hold 4832 but one. The true sum stays ≥ 400 pages, so pressure is never left.
    // The exception: the writers share the task's 32 KiB page frag (R-2.4, tcp_sendmsg.ts), so every
    // ~8th write straddles a page (writes 8, 16, … of 4000 B: rooms 768, 1536, …). Writer 163 (0-based,
    // under pressure) finds 3360 B left in its page, more than the 3264 B of forward alloc its forced
    // 832 left: the charge is refused, the tcp_wmem[0] fallback forces nothing new (4096 − 832 = 3264
    // = f) and the copy stops at 3264; the next 96 B (same page) are refused too (w + 96 = 4192
    // < sndbuf 4608: suppress_allocation fails), so the writer pushes 3264 B and waits. Its receiver
    // takes them (r = 832 + 3264 = 4096) and then holds r = tcp_rmem[0], so the other 736 B are refused
    // under pressure and dropped.
    const r = run(
      one_group({ ...one_message, count: 200 }, { kernel: { sysctls: { 'net.ipv4.tcp_mem': '50 100 150' } } }),
      undefined,
      {},
      'vm',
    );
    const g = last_global(r);
    expect(g.counter_TCPMemoryPressures_count).toBe(1);
    expect(g.tcp_memory_pressure).toBe(1);
    const rows = r.run.sockets.filter((x) => x.t_ms === 1000);
    const clients_by_tb = new Map<number, number>();
    for (const x of rows.filter((x) => x.side === 'client')) clients_by_tb.set(x.tb_bytes as number, (clients_by_tb.get(x.tb_bytes as number) ?? 0) + x.weight);
    expect(Object.fromEntries(clients_by_tb)).toEqual({ 3939840: 127, 4608: 73 });
    const servers = rows.filter((x) => x.side === 'server');
    expect(servers.filter((x) => x.conn !== 163).every((x) => x.r_bytes === 4832)).toBe(true);
    const straddler = servers.find((x) => x.conn === 163)!;
    expect([straddler.r_bytes, straddler.recv_q_bytes]).toEqual([4096, 3264]);
    expect(straddler.d_count).toBeGreaterThan(0);
  });
});
