import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { parse_scenario, type Scenario } from '../../../model/scenario';
import {
  analytic_point_metrics,
  nr_free_buffer_pages_from_ram,
  plan_workload,
  render_plan_text,
  socket_steady_state,
  split_connections,
} from '../../../model/plan';
import { tcp_init_mem } from '../../../model/mem';
import { slab_bytes_per_connection } from '../../../model/slab';

const ref = get_builtin_profile('6.18.44-reference');
const deb = get_builtin_profile('debian-6.1.192-amd64');
const gib = 1024 ** 3;

function scenario(groups: unknown[], kernel: Record<string, unknown> = {}): Scenario {
  return parse_scenario({ format: 'tcpmem-scenario/1', name: 'plan-test', kernel, groups, sampling: { interval_ms: 100, duration_ms: 60_000 } }, 'simulate');
}
const one_message = (size: number, name = 'g', count = 1) => ({
  name, count,
  writer: { side: 'client', program: { kind: 'writes', steps: [{ size_bytes: size, count: 1 }] } },
  reader: { kind: 'never' },
});
const idle = (name = 'idle', count = 1) => ({ name, count, writer: { program: { kind: 'none' } }, reader: { kind: 'never' } });

describe('tcp_mem from RAM (R-6.1)', () => {
  it('gives the reference host\'s measured tcp_mem for its 24 GiB', () => {
    // /proc/sys/net/ipv4/tcp_mem on the reference host: 287898 383865 575796 (profile provenance).
    expect(tcp_init_mem(nr_free_buffer_pages_from_ram(24 * gib))).toEqual([287898, 383865, 575796]);
  });

  it('lands within the stated 1% of a 64 GB box measured by someone else', () => {
    // Seastar PR #2348: a reviewer measured tcp_mem max = 1531158 pages on a 64 GB machine (users-and-figures.md §1d).
    const max = tcp_init_mem(nr_free_buffer_pages_from_ram(64 * gib))[2];
    expect(Math.abs(max - 1531158) / 1531158).toBeLessThan(0.01);
  });
});

describe('socket_steady_state', () => {
  it('charges one unread 512-byte message as one page on both kernels (R-3.3, R-6.2)', () => {
    // 6.18: r = 832 + 512 = 1344 → 1 page; 6.1 Debian: 1280 + 512 = 1792 → 1 page (R-2.6 TX truesize, R-3.3 lo clone).
    const s = scenario([one_message(512)], { link: { kind: 'loopback' } });
    const a = socket_steady_state(ref, s, s.groups[0], 'server');
    expect(a.role).toBe('receiver');
    expect(a.message_truesize_bytes).toBe(1344);
    expect(a.steady_pages).toMatchObject({ value: 1, method: 'analytic_exact' });
    expect(a.peak_pages).toMatchObject({ value: 1, method: 'analytic_exact' });
    const b = socket_steady_state(deb, s, s.groups[0], 'server');
    expect(b.message_truesize_bytes).toBe(1792);
    expect(b.steady_pages.value).toBe(1);
  });

  it('needs a second page once 832 + payload passes 4096', () => {
    const s = scenario([one_message(3264, 'a'), one_message(3265, 'b'), one_message(16384, 'c')], { link: { kind: 'loopback' } });
    // 832 + 3264 = 4096 → 1; 4097 → 2; 832 + 16384 = 17216 → 5 (ceil(4.2)).
    expect(s.groups.map((g) => socket_steady_state(ref, s, g, 'server').steady_pages.value)).toEqual([1, 2, 5]);
  });

  it('leaves the sender of an acknowledged message with 0 pages', () => {
    const s = scenario([one_message(512)]);
    expect(socket_steady_state(ref, s, s.groups[0], 'client')).toMatchObject({ role: 'sender', steady_pages: { value: 0, method: 'analytic_exact' } });
  });

  it('holds 0 pages when idle and counts only slab', () => {
    const s = scenario([idle()]);
    const st = socket_steady_state(ref, s, s.groups[0], 'server');
    expect(st).toMatchObject({ role: 'idle', steady_pages: { value: 0 }, peak_pages: { value: 0 }, bound_pages: { value: 0 } });
    expect(st.slab_bytes).toBe(slab_bytes_per_connection(ref, { state: 'established', side: 'server', epoll: true, ip: 'ipv4' }));
    // At least the table's objects: TCP 2368 + sock_inode_cache 832 + filp 192 + dentry 192 + epitem 128.
    expect(st.slab_bytes).toBeGreaterThanOrEqual(3712);
  });

  it('bounds a stalled send queue by the pinned sndbuf plus one skb (R-2.2, R-5.2)', () => {
    const s = scenario([{
      name: 'stalled', count: 1,
      writer_sockopts: { so_sndbuf: 16384 },
      writer: { side: 'server', program: { kind: 'fill', size_bytes: 4096 } },
      reader: { kind: 'never' },
    }]);
    const st = socket_steady_state(ref, s, s.groups[0], 'server');
    // SO_SNDBUF 16384 → sndbuf 32768 (doubled, R-5.2); one TX skb 832 + 4096 = 4928 → 37696 B → 10 pages.
    expect(st.sndbuf_bytes).toBe(32768);
    expect(st.bound_pages).toMatchObject({ value: 10, method: 'analytic_bound' });
    expect(st.steady_pages.value).toBeNull();
  });
});

describe('plan_workload', () => {
  it('finds where one page per connection crosses tcp_mem (R-6.4)', () => {
    const s = scenario([one_message(512, 'g', 1000)]);
    const plan = plan_workload(ref, s, { connections: 1_000_000, side: 'server', ram_bytes: 24 * gib });
    expect(plan.tcp_mem).toMatchObject({ pages: [287898, 383865, 575796], source: 'computed_from_ram' });
    // 1 page per connection: crossing tcp_mem[k] means pages > tcp_mem[k] → N = tcp_mem[k] + 1.
    expect(plan.pressure.peak_crossings).toEqual({ min: 287899, pressure: 383866, max: 575797 });
    expect(plan.pressure.peak_region).toBe('over_max');
    expect(plan.totals.peak_buffer_bytes).toMatchObject({ value: 1_000_000 * 4096, method: 'analytic_exact' });
  });

  it('says idle sockets never reach tcp_mem and fit RAM by slab alone', () => {
    const s = scenario([idle()]);
    const plan = plan_workload(ref, s, { connections: 12_000_000, side: 'server', ram_bytes: 64 * gib });
    expect(plan.pressure.peak_crossings).toEqual({ min: null, pressure: null, max: null });
    const slab = plan.groups[0].slab_bytes;
    expect(plan.totals.slab_bytes.value).toBe(12_000_000 * slab);
    expect(plan.fit.in_ram_steady).toBe(Math.floor((64 * gib) / slab));
  });

  it('counts both sockets with --side both', () => {
    const s = scenario([one_message(512)]);
    const one = plan_workload(ref, s, { connections: 10, side: 'server' });
    const both = plan_workload(ref, s, { connections: 10, side: 'both' });
    expect(both.groups[0].sockets.map((x) => x.side)).toEqual(['client', 'server']);
    expect(both.totals.steady_pages.value).toBe(one.totals.steady_pages.value); // the client holds 0 pages
    expect(both.groups[0].slab_bytes).toBeGreaterThan(one.groups[0].slab_bytes);
  });

  it('spreads staggered one-per-minute messages: rate × RTT of the sockets peak at once', () => {
    const s = scenario([{ name: 'ws', count: 1, writer: { side: 'server', program: { kind: 'rate', size_bytes: 512, messages_per_s: 1 / 60 } }, reader: { kind: 'continuous' } }]);
    const plan = plan_workload(ref, s, { connections: 6_000_000, side: 'server', rtt_ms: 10 });
    // (1/60 per s) × 0.010 s = 1/6000 of the sockets hold their one page (832 + 512 B TX skb) at once → 1000 pages.
    expect(plan.groups[0].peak_concurrency).toBeCloseTo(1 / 6000, 12);
    expect(plan.totals.peak_pages.value).toBeCloseTo(1000, 6);
    expect(plan.totals.peak_pages.method).toBe('analytic_estimate');
  });

  it('uses a simulated sample where no exact figure exists, and says so', () => {
    const s = scenario([{ name: 'st', count: 1, writer: { side: 'server', program: { kind: 'rate', size_bytes: 1024, messages_per_s: 1 } }, reader: { kind: 'never' } }]);
    const plan = plan_workload(ref, s, { connections: 100, side: 'server', samples: { st: { sample_connections: 20, end_pages: { client: 3, server: 7 }, peak_pages: { client: 3, server: 9 } } } });
    expect(plan.groups[0].socket_steady_pages[0]).toMatchObject({ value: 7, method: 'simulation_sample' });
    expect(plan.groups[0].socket_peak_pages[0]).toMatchObject({ value: 9, method: 'simulation_sample' });
    expect(plan.totals.peak_pages).toMatchObject({ value: 900, method: 'simulation_sample' });
  });

  it('sizes SO_RCVBUF so never-read queues stay under tcp_mem[1] (R-4.12, R-5.5)', () => {
    const s = scenario([{ name: 'rx', count: 1, writer: { side: 'client', program: { kind: 'fill', size_bytes: 1000 } }, reader: { kind: 'never' } }], { link: { kind: 'loopback' } });
    const plan = plan_workload(ref, s, { connections: 149, side: 'server', tcp_mem: [1000, 2000, 3000] });
    const opt = plan.tuning.find((o) => o.setting.startsWith('SO_RCVBUF'));
    // Budget: (2000 − lag 510 [2 CPUs × 255, R-6.6]) / 149 = 10 pages = 40960 B; minus one skb 832 + 1000 = 1832
    // → rcvbuf 39128 → SO_RCVBUF 19564 (doubled by the kernel). 1000 B < mss, so the ratio stays 128: window =
    // 39128 × 128 / 256 = 19564 B; at 10 ms RTT that is 19564 × 8 / 0.01 = 15.65 Mbit/s.
    expect(opt?.setting).toMatch(/^SO_RCVBUF = 19564 /);
    expect(opt?.window_bytes).toBe(19564);
    expect(opt?.throughput_bits_per_s).toBeCloseTo(15_651_200, 0);
    expect(opt?.feasible).toBe(true);
  });

  it('splits N over the groups by their share, deterministically', () => {
    expect(split_connections(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // 12e6 × 9000/9110 = 11855104.28, × 100/9110 = 131723.38, × 10/9110 = 13172.34: floors sum to 11999999, and the
    // one left over goes to the largest fraction (.38, the second group).
    expect(split_connections(12_000_000, [9000, 100, 10])).toEqual([11855104, 131724, 13172]);
  });

  it('renders a table naming the method of every figure', () => {
    const s = scenario([one_message(512, 'u'), idle('i')]);
    const text = render_plan_text(plan_workload(ref, s, { connections: 100_000, side: 'server' }));
    expect(text).toMatch(/Totals for 100,000 connections/);
    expect(text).toMatch(/slab .*exact \(analytic\)/);
    expect(text).toMatch(/socket buffers/);
    expect(text).toMatch(/tcp_mem\[1\] \(pressure\) at/);
  });
});

describe('analytic_point_metrics', () => {
  it('fills exact figures and leaves the rest null', () => {
    const s = scenario([one_message(512, 'u', 10)]);
    const m = analytic_point_metrics(s, ref);
    expect(m.connections).toBe(10);
    expect(m.server_end_pages).toBe(1);
    expect(m.client_end_pages).toBe(0);
    expect(m.client_peak_pages).toBeNull(); // the sender's transient is an estimate, not exact
  });
});
