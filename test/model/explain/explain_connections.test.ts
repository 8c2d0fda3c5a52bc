import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { explain_connections, type ExplainInput } from '../../../model/explain';

const p = get_builtin_profile('6.18.44-reference');
const idle: ExplainInput = {
  connections: 1,
  state: 'established',
  side: 'pair',
  link: 'loopback',
  ip: 'ipv4',
  epoll: false,
  unread_bytes: 0,
  coalescing: 'all',
  unsent_bytes: 0,
  unacked_bytes: 0,
};

describe('explain: idle connections', () => {
  it('gives an idle loopback pair 7536 bytes of slab and no tcp_mem pages (see connection_slab_objects tests)', () => {
    const r = explain_connections(p, idle);
    expect(r.per_connection.slab_bytes).toBe(7536);
    expect(r.per_connection.total_bytes).toBe(7536);
    expect(r.per_connection.pages_charged).toBe(0);
    expect(r.tcp_mem.region).toBe('below_min');
    expect(r.tcp_mem.connections_to_pressure).toBeNull();
  });
  it('multiplies in closed form: 12,000,000 pairs hold 90,432,000,000 bytes of slab', () => {
    const r = explain_connections(p, { ...idle, connections: 12_000_000 });
    expect(r.totals.slab_bytes).toBe(12_000_000 * 7536);
    expect(r.totals.pages_charged).toBe(0);
  });
  it('lists bytes by component, summing to the total', () => {
    const r = explain_connections(p, { ...idle, unsent_bytes: 100_000 });
    expect(r.per_connection.bytes_by_component).toMatchObject({ TCP: 4736, sock_inode_cache: 1664, 'client write queue': 101664 });
    expect(Object.values(r.per_connection.bytes_by_component).reduce((a, b) => a + b, 0)).toBe(r.per_connection.total_bytes);
  });
  it('states the per-CPU lag of sockstat (2 × 255 pages)', () => {
    expect(explain_connections(p, idle).tcp_mem.sockstat_lag_bound_pages).toBe(510);
  });
});

describe('explain: unread data on loopback (R-3.3, R-4.9, R-4.10)', () => {
  const server = { ...idle, side: 'server' as const };
  it('charges 20 one-byte segments 849 + 3 × 833 = 3348 with quick-ACK coalescing (first skb takes 1 + 16)', () => {
    const r = explain_connections(p, { ...server, unread_bytes: 20, segment_bytes: 1, coalescing: 'quickack' });
    expect(r.per_connection.buffers).toEqual([{ socket: 'server', queue: 'receive', payload_bytes: 20, skbs: 4, truesize_bytes: 3348 }]);
    expect(r.per_connection.sockets[0]).toEqual({ socket: 'server', rmem_alloc_bytes: 3348, wmem_queued_bytes: 0, forward_alloc_bytes: 4096 - 3348, pages_charged: 1 });
  });
  it('charges 20 × 833 = 16660 without coalescing and 2 × 832 + 20 = 1684 when every skb fills 17 frags', () => {
    expect(explain_connections(p, { ...server, unread_bytes: 20, segment_bytes: 1, coalescing: 'none' }).per_connection.buffer_truesize_bytes).toBe(16660);
    expect(explain_connections(p, { ...server, unread_bytes: 20, segment_bytes: 1, coalescing: 'all' }).per_connection.buffer_truesize_bytes).toBe(1684);
  });
  it('charges Debian 6.1 1280 + len per skb', () => {
    const deb = get_builtin_profile('debian-6.1.192-amd64');
    expect(explain_connections(deb, { ...server, unread_bytes: 1, segment_bytes: 1 }).per_connection.buffer_truesize_bytes).toBe(1281);
  });
  it('refuses unread bytes beyond the offered window, naming the flag and the allowed range', () => {
    // 1000-byte segments: ratio floor(256000/1832) = 139 → window 131072 × 139 >> 8 = 71168.
    expect(() => explain_connections(p, { ...server, unread_bytes: 100_000, segment_bytes: 1000 })).toThrow(/--unread-bytes 100000 .* allowed: 0 to 71168/);
    // (with 1000-byte segments, 'all' coalescing keeps r far below rcvbuf, so the window is the binding limit)
  });
  it('refuses unread bytes whose truesize overflows rcvbuf (r ≤ rcvbuf before the last skb, R-4.12)', () => {
    // 1-byte segments, no coalescing: each 833; the 158th skb is admitted at r = 157 × 833 = 130781 ≤ 131072.
    expect(() => explain_connections(p, { ...server, unread_bytes: 159, segment_bytes: 1, coalescing: 'none' })).toThrow(/allowed: 0 to 158 /);
    expect(explain_connections(p, { ...server, unread_bytes: 158, segment_bytes: 1, coalescing: 'none' }).per_connection.buffer_truesize_bytes).toBe(158 * 833);
  });
});

describe('explain: queued data on the sender (R-2.6, R-2.10, R-6.2)', () => {
  it('puts 100000 unsent bytes in 2 skbs of ≤ 65483: 2 × 832 + 100000 = 101664 → 25 pages', () => {
    const r = explain_connections(p, { ...idle, unsent_bytes: 100_000 });
    expect(r.per_connection.buffers).toEqual([{ socket: 'client', queue: 'write', payload_bytes: 100000, skbs: 2, truesize_bytes: 101664 }]);
    expect(r.per_connection.pages_charged).toBe(25);
  });
  it('finds where N pairs cross tcp_mem: 45 pages each → pressure from floor(383865 / 45) + 1 = 8531', () => {
    // receiver, quickack: 50 segments → 1 + 33 skbs → 34 × 832 + 50000 = 78288 → 20 pages; sender 25 pages.
    const r = explain_connections(p, { ...idle, unsent_bytes: 100_000, unread_bytes: 50_000, segment_bytes: 1000, coalescing: 'quickack', connections: 10_000 });
    expect(r.per_connection.pages_charged).toBe(25 + 20);
    expect(r.tcp_mem.connections_to_pressure).toBe(8531);
    expect(r.tcp_mem.region).toBe('pressure'); // 450000 pages: above 383865, not above 575796
  });
  it('refuses more queued data than sndbuf admits, naming both flags', () => {
    expect(() => explain_connections(p, { ...idle, unsent_bytes: 10_000_000 })).toThrow(/--unsent-bytes \+ --unacked-bytes .* sndbuf 3939840/);
  });
});

describe('explain: thresholds and bad input', () => {
  it('reproduces the reference tcp_mem from --ram 24GiB', () => {
    expect(explain_connections(p, { ...idle, ram_bytes: 24 * 2 ** 30 }).tcp_mem.pages).toEqual([287898, 383865, 575796]);
  });
  it('uses a --tcp-mem override', () => {
    const r = explain_connections(p, { ...idle, unsent_bytes: 1, tcp_mem: [1, 1, 1], connections: 2 });
    expect(r.tcp_mem.region).toBe('over_max');
    expect(r.tcp_mem.source).toBe('--tcp-mem');
  });
  it('refuses a negative connection count', () => {
    expect(() => explain_connections(p, { ...idle, connections: -1 })).toThrow(/--connections must be a whole number >= 0/);
  });
  it('refuses unread data on a TIME_WAIT socket and a pair in LISTEN', () => {
    expect(() => explain_connections(p, { ...idle, side: 'server', state: 'time_wait', unread_bytes: 1 })).toThrow(/--unread-bytes needs --state established/);
    expect(() => explain_connections(p, { ...idle, state: 'listen' })).toThrow(/--side pair is only meaningful/);
  });
  it('refuses an unknown link, listing the allowed ones', () => {
    expect(() => explain_connections(p, { ...idle, link: 'wifi' as never })).toThrow(/allowed: loopback, veth, nic-2k, nic-2k-gro, nic-4k, nic-4k-gro/);
  });
});

describe('explain: NIC links (R-3.7, R-3.10, R-4.6)', () => {
  const nic = { ...idle, side: 'server' as const, link: 'nic-2k' as const, unread_bytes: 10 * 1448, segment_bytes: 1448 };
  it('charges 2304 per 1448-byte frame without coalescing', () => {
    expect(explain_connections(p, { ...nic, coalescing: 'none' }).per_connection.buffer_truesize_bytes).toBe(10 * 2304);
  });
  it('saves the 256-byte sk_buff of each frame merged into the tail: 10 × 2048 + 256', () => {
    expect(explain_connections(p, { ...nic, coalescing: 'all' }).per_connection.buffer_truesize_bytes).toBe(10 * 2048 + 256);
  });
});
