import { describe, expect, it } from 'vitest';
import { DEB, last_global, last_row, one_group, run } from './helpers';

const nodelay_writes = (size: number, count: number, spacing_ms = 0) => ({
  writer_sockopts: { tcp_nodelay: true },
  writer: { program: { kind: 'writes', steps: [{ size_bytes: size, count, spacing_ms }] } },
});

describe('simulate on loopback: truesize and accounting (R-2.3, R-2.6, R-3.3, R-6.3)', () => {
  it('charges the receiver 832 + 1 for one 1-byte write and leaves f = 4096 − 833', () => {
    // TX skb truesize 832 + 1 = 833: the receiver is charged the clone's truesize;
    // one page is scheduled, f = 4096 − 833 = 3263. The sender's skb is freed by the quick ACK
    // and its page reclaimed: w = 0, f = 0.
    const r = run(one_group(nodelay_writes(1, 1)));
    const srv = last_row(r, 'server');
    const cli = last_row(r, 'client');
    expect(srv.r_bytes).toBe(833);
    expect(srv.f_bytes).toBe(3263);
    expect(srv.recv_q_bytes).toBe(1);
    expect(cli.w_bytes).toBe(0);
    expect(cli.f_bytes).toBe(0);
    expect(last_global(r).sockets_pages).toBe(1);
  });

  it('charges 1280 + 1 on the Debian 6.1 profile (MAX_TCP_HEADER 320, no small-head cache)', () => {
    // SKB_HEAD_ALIGN(320) = 640 → kmalloc-1k → truesize 1024 + 256 = 1280; + 1 byte = 1281;
    // f = 4096 − 1281 = 2815.
    const r = run(one_group(nodelay_writes(1, 1)), DEB);
    expect(last_row(r, 'server').r_bytes).toBe(1281);
    expect(last_row(r, 'server').f_bytes).toBe(2815);
  });

  it('coalesces 17 spaced 1-byte writes into one skb of 833 + 16 and starts a new one for the 18th', () => {
    // spaced 10 ms, each of the first 16 segments is quick-ACKed (budget min(65483 /
    // (2 × 536), 16) = 16, R-5.15), the sender frees its original, the receiver's tail is no longer a
    // clone: segments 2..17 move their one frag each (delta = payload = 1, R-4.7) → 833 + 16 = 849 with
    // 17 frags and 16 TCPRcvCoalesce. Segment 18 finds 17 frags → a new skb of 833 (cloned: its ACK is
    // delayed 40 ms, quick budget spent) → r = 849 + 833 = 1682.
    const r17 = run(one_group(nodelay_writes(1, 17, 10)));
    expect(last_row(r17, 'server').r_bytes).toBe(849);
    expect(last_global(r17).counter_TCPRcvCoalesce_count).toBe(16);
    const r18 = run(one_group(nodelay_writes(1, 18, 10)));
    expect(last_row(r18, 'server').r_bytes).toBe(1682);
    expect(last_global(r18).counter_TCPRcvCoalesce_count).toBe(16);
  });

  it('holds small writes by Nagle once ACKs are delayed and sends them as one skb', () => {
    // No TCP_NODELAY, 40 back-to-back 1-byte writes, reader never reads. Writes 1..17 go out one by one
    // (each quick-ACKed before the next write() call, R-4.9) and coalesce into 833 + 16 = 849 (17 frags).
    // Segment 17 is not quick-ACKed (budget 16) so writes 18..40 wait behind it (Minshall/Nagle,
    // ) in one unsent skb of 832 + 23; the delayed ACK at 40 ms releases it; it cannot join the
    // 17-frag tail: r = 849 + 855 = 1704, Recv-Q 40.
    const r = run(
      one_group({ writer: { program: { kind: 'writes', steps: [{ size_bytes: 1, count: 40 }] } } }, {
        sampling: { interval_ms: 100, duration_ms: 100 },
      }),
    );
    const srv = last_row(r, 'server');
    expect(srv.r_bytes).toBe(1704);
    expect(srv.recv_q_bytes).toBe(40);
    expect(last_global(r).counter_TCPOrigDataSent_count).toBe(18);
  });

  it('returns every page once a continuous reader has read the data', () => {
    // reading frees the skb (r −= truesize, f += truesize) and returns whole pages:
    // r = 0, f = 0 on both sides; the page went through the per-CPU reserve only so sockstat
    // mem stays 0.
    const r = run(one_group({ ...nodelay_writes(1000, 5, 10), reader: { kind: 'continuous' } }));
    const srv = last_row(r, 'server');
    expect([srv.r_bytes, srv.f_bytes, srv.recv_q_bytes, srv.bytes_read]).toEqual([0, 0, 0, 5000]);
    expect(last_global(r).sockstat_tcp_mem_pages).toBe(0);
    expect(last_global(r).sockets_pages).toBe(0);
  });
});

describe('simulate: connection setup (R-5.1..5.8, R-2.18)', () => {
  it('expands the loopback send buffer to 3 × 10 × 131328 with BBR and 2 × … with cubic', () => {
    // per_mss = roundup_pow_of_two(65495 + 192 + 320) + 256 = 131328; BBR factor 3 → 3939840;
    // cubic → 2626560.
    expect(last_row(run(one_group({})), 'client').tb_bytes).toBe(3939840);
    const cubic = run(one_group({}, { kernel: { sysctls: { 'net.ipv4.tcp_congestion_control': 'cubic' } } }));
    expect(last_row(cubic, 'client').tb_bytes).toBe(2626560);
  });

  it('expands a veth (MTU 1500) send buffer to 3 × 10 × 2304 with BBR', () => {
    // per_mss = roundup_pow_of_two(1460 + 192 + 320) + 256 = 2048 + 256 = 2304 → 69120.
    const r = run(one_group({}, { kernel: { link: { kind: 'veth' } } }));
    expect(last_row(r, 'client').tb_bytes).toBe(69120);
    expect(last_row(r, 'client').mss_bytes).toBeLessThanOrEqual(1448);
  });

  it('starts loopback windows at 65495 (client) and 65483 (server) and IPv6 veth at 65536 − 1428', () => {
    // the client's initial window uses its MSS option 65495, the server 65495 − 12; space
    // 65536 rounds down to one mss. veth IPv6: tp->advmss 1440 − 12 (timestamps) = 1428 → window_clamp =
    // rcv_ssthresh = 65536 − 1428 = 64108 (one segment reserved).
    const lo = run(one_group({}));
    expect(last_row(lo, 'client').rcv_ssthresh_bytes).toBe(65495);
    expect(last_row(lo, 'server').rcv_ssthresh_bytes).toBe(65483);
    const v6 = run(one_group({}, { kernel: { link: { kind: 'veth' }, ip: 'ipv6' } }));
    expect(last_row(v6, 'server').rcv_ssthresh_bytes).toBe(64108);
  });

  it('doubles SO_RCVBUF 4096 to rb 8192 and starts its window at 4096 (R-5.2, R-5.3)', () => {
    const r = run(one_group({ reader_sockopts: { so_rcvbuf: 4096 } }));
    const srv = last_row(r, 'server');
    expect(srv.rb_bytes).toBe(8192);
    expect(srv.rcv_wnd_bytes).toBe(4096);
  });
});
