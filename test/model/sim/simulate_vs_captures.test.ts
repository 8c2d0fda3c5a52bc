import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile/builtin_profiles';
import { parse_sim_scenario, simulate } from '../../../model/sim';
import type { SocketSample } from '../../../model/run_output/run_output';

/**
 * Expected values here are kernel measurements: data/captures/<scenario>/r0..r2, taken by `tcpmem
 * capture` on the 6.18.44 reference host (loopback, private netns); each value below was the same in
 * all three repeats. The simulator runs the scenario stored in the capture's meta.json.
 */
const root = path.join(__dirname, '..', '..', '..', 'data', 'captures');

function sim_run(capture: string, profile = '6.18.44-reference') {
  const meta = JSON.parse(fs.readFileSync(path.join(root, capture, 'r0', 'meta.json'), 'utf8'));
  return simulate(parse_sim_scenario(meta.scenario), get_builtin_profile(profile), {});
}

function sim_last(capture: string, profile = '6.18.44-reference'): SocketSample[] {
  const r = sim_run(capture, profile);
  const t = r.run.global[r.run.global.length - 1].t_ms;
  return r.run.sockets.filter((x) => x.t_ms === t);
}

function one(rows: SocketSample[], group: string, side: 'client' | 'server'): SocketSample {
  const row = rows.find((x) => x.group === group && x.side === side);
  if (!row) throw new Error(`no ${group}/${side} row`);
  return row;
}

const have = (c: string) => fs.existsSync(path.join(root, c, 'r0', 'meta.json'));

describe.skipIf(!have('small-writes-nodelay-spaced'))('simulate vs kernel: 30 spaced NODELAY writes into a silent reader', () => {
  // measured (r0..r2): server r / Recv-Q / f after 30 writes of each size
  const measured: Record<string, [number, number, number]> = {
    w1: [1694, 30, 2402],
    w100: [4664, 3000, 3528],
    w1000: [31664, 30000, 1104],
    w1448: [45104, 43440, 4048],
  };
  for (const [group, [r, q, f]] of Object.entries(measured)) {
    it(`matches the kernel's r, Recv-Q and f for ${group}`, () => {
      const row = one(sim_last('small-writes-nodelay-spaced'), group, 'server');
      expect([row.r_bytes, row.recv_q_bytes, row.f_bytes]).toEqual([r, q, f]);
    });
  }
  it('matches the kernel window-bounded queue of 64 KiB writes (r 131008, Recv-Q 128512)', () => {
    const row = one(sim_last('small-writes-nodelay-spaced'), 'w65536', 'server');
    expect([row.r_bytes, row.recv_q_bytes]).toEqual([131008, 128512]);
  });
  it('counts the 4 drops the kernel counts on the w65536 receiver (zero-window probes and one tail-loss-probe duplicate, R-5.14)', () => {
    expect(one(sim_last('small-writes-nodelay-spaced'), 'w65536', 'server').d_count).toBe(4);
  });
});

describe.skipIf(!have('fill-sndbuf'))('simulate vs kernel: fill until EAGAIN with SO_SNDBUF set', () => {
  it('matches the kernel for SO_SNDBUF 4096 and 16384 (w 0, receiver r 33600 and 87872)', () => {
    const rows = sim_last('fill-sndbuf');
    expect(one(rows, 'sndbuf4096', 'server').r_bytes).toBe(33600);
    expect(one(rows, 'sndbuf16384', 'server').r_bytes).toBe(87872);
    expect(one(rows, 'sndbuf4096', 'client').w_bytes).toBe(0);
  });
  it('stops writing at w 23360 with SO_SNDBUF 65536 and 457216 with 262144 as the kernel does (tcp_grow_skb)', () => {
    // with tcp_write_xmit's tcp_grow_skb (6.10+): the window-blocked send head takes the next
    // skb's bytes (60416 > size_goal 54272), the next write finds w ≥ sndbuf and no tail with room → EAGAIN
    // at w 133568; the delayed ACK then opens the window: 37888 of the head go, the 22528 left sit in one
    // skb: 22528 + 832 = 23360 (test/model/sim/tcp_grow_skb.test.ts derives the write-by-write steps).
    const rows = sim_last('fill-sndbuf');
    expect(one(rows, 'sndbuf65536', 'client').w_bytes).toBe(23360);
    expect(one(rows, 'sndbuf262144', 'client').w_bytes).toBe(457216);
  });
});

describe.skipIf(!have('fill-default') || !have('fill-rcvbuf'))('simulate vs kernel: sndbuf expansion after EAGAIN', () => {
  // measured (r0..r2): the client's sndbuf ends at tcp_wmem[2] = 4194304 with the peer's window closed and
  // cwnd 16.: SOCK_NOSPACE stays set after EAGAIN, so every later ACK (window update, answer to a
  // zero-window probe) runs tcp_check_space → tcp_new_space; once cwnd ≥ 11, BBR 3 × 11 × 131328 =
  // 4333824 > 4194304, so sndbuf = min(…, tcp_wmem[2]) = 4194304.
  it('expands the writer\'s sndbuf to tcp_wmem[2] on fill-default', () => {
    expect(one(sim_last('fill-default'), 'fill64k', 'client').tb_bytes).toBe(4194304);
  });
  it('expands the writer\'s sndbuf to tcp_wmem[2] on fill-rcvbuf for every SO_RCVBUF', () => {
    const rows = sim_last('fill-rcvbuf');
    for (const g of ['rcvbuf4096', 'rcvbuf16384', 'rcvbuf65536']) expect(one(rows, g, 'client').tb_bytes).toBe(4194304);
  });
  it('leaves the receiver\'s sndbuf at the ESTABLISHED expansion 3 × 10 × 131328 = 3939840 (it never writes)', () => {
    expect(one(sim_last('fill-default'), 'fill64k', 'server').tb_bytes).toBe(3939840);
  });
});

describe.skipIf(!have('debian-6.1/fill-default'))('simulate vs kernel (Debian 6.1, cubic): a receive-window-limited sender', () => {
  // measured (debian-6.1/fill-default r0..r2): the client's cwnd stays 10 and its sndbuf stays at the
  // ESTABLISHED expansion 2 × 10 × 131328 = 2626560. cubic's cong_avoid grows cwnd only when
  // tcp_is_cwnd_limited: the 128 KiB peer window keeps 2 segments in flight, 10 ≥ 2 × 2, so no growth and
  // the ACKs after EAGAIN recompute the same 2626560.
  it('keeps cwnd 10 and sndbuf 2626560', () => {
    const row = one(sim_last('debian-6.1/fill-default', 'debian-6.1.192-amd64'), 'fill64k', 'client');
    expect([row.cwnd_segs, row.tb_bytes]).toEqual([10, 2626560]);
  });
});

describe.skipIf(!have('memcg-pressure'))('simulate vs kernel: memcg v1 TCP limit with stalled readers', () => {
  // measured (memcg-pressure r0..r2): TCPToZeroWindowAdv 0 and TCPZeroWindowDrop 0 in all three repeats,
  // while TCPRcvQDrop is 7217 on average. The NOMEM zero window returns before the To/From accounting
  // (tcp_select_window, R-5.13), and the sender's retransmission into it ends beyond the window with a
  // non-empty receive queue, so 6.17+ tcp_sequence drops it before tcp_data_queue.
  it('counts no TCPToZeroWindowAdv and no TCPZeroWindowDrop, but does count TCPRcvQDrop', () => {
    const g = sim_run('memcg-pressure').run.global;
    const first = g[0].values;
    const last = g[g.length - 1].values;
    const delta = (k: string) => (last[k] as number) - (first[k] as number);
    expect(delta('counter_TCPToZeroWindowAdv_count')).toBe(0);
    expect(delta('counter_TCPZeroWindowDrop_count')).toBe(0);
    expect(delta('counter_TCPRcvQDrop_count')).toBeGreaterThan(0);
  });
});

describe.skipIf(!have('streaming-loopback'))('simulate vs kernel: 64 KiB messages at 5000/s to a continuous reader', () => {
  // measured (r0..r2): the writer's sndbuf ends at tcp_wmem[2] = 4194304 in all three repeats (the
  // receiver's rcvbuf is not stable across repeats: 2.7 MB once, 32 MB twice, so it is not pinned here).
  // With the reader's copy time (profile reader_cost: 174 MB/s on lo, slower than the 328 MB/s writer) the
  // receive queue builds up, the receive window closes, the writer waits for space (SOCK_NOSPACE) and every
  // later ACK runs tcp_new_space → tcp_sndbuf_expand up to tcp_wmem[2].
  it('expands the writer\'s sndbuf to tcp_wmem[2] once the reader falls behind and the writer waits for space', () => {
    expect(one(sim_last('streaming-loopback'), 'stream', 'client').tb_bytes).toBe(4194304);
  });
});
